// Token files: FileTokenStore::load reads a token set or throws the SDK's error.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "roserocket/auth/token_store.hpp"
#include "roserocket/errors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/rr_fuzz_token_file_" + std::to_string(::getpid());
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr)
    return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  roserocket::FileTokenStore store(path);
  try {
    (void)store.load();
  } catch (const roserocket::Error&) {
  }
  return 0;
}
