// Test-only: the one symbol the crypto test program's small source set lacks (errors.cpp's
// redaction calls it; it lives in core/client.cpp with the whole client). Never called by the
// crypto tests. The full MinGW build of the library (issue 26's toolchain) has the real one.

#include <stdexcept>
#include <string>
#include <string_view>

namespace roserocket {

std::string percent_encode(std::string_view) {
  throw std::logic_error("percent_encode is not part of the crypto test program");
}

}  // namespace roserocket
