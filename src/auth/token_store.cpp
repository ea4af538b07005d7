#include "roserocket/auth/token_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "roserocket/errors.hpp"

namespace roserocket {

void to_json(nlohmann::json& j, const TokenSet& tokens) {
  j = nlohmann::json{{"access_token", tokens.access_token}, {"token_type", tokens.token_type}};
  if (!tokens.refresh_token.empty())
    j["refresh_token"] = tokens.refresh_token;
  if (!tokens.id_token.empty())
    j["id_token"] = tokens.id_token;
  if (!tokens.scope.empty())
    j["scope"] = tokens.scope;
  if (tokens.expires_at) {
    j["expires_at"] =
        std::chrono::duration_cast<std::chrono::seconds>(tokens.expires_at->time_since_epoch())
            .count();
  }
}

void from_json(const nlohmann::json& j, TokenSet& tokens) {
  tokens = TokenSet{};
  tokens.access_token = j.value("access_token", std::string());
  tokens.token_type = j.value("token_type", std::string("Bearer"));
  tokens.refresh_token = j.value("refresh_token", std::string());
  tokens.id_token = j.value("id_token", std::string());
  tokens.scope = j.value("scope", std::string());
  if (auto it = j.find("expires_at"); it != j.end() && it->is_number_integer()) {
    tokens.expires_at =
        std::chrono::system_clock::time_point(std::chrono::seconds(it->get<long long>()));
  }
}

std::optional<TokenSet> InMemoryTokenStore::load() {
  std::lock_guard<std::mutex> lock(mutex_);
  return tokens_;
}

void InMemoryTokenStore::save(const TokenSet& tokens) {
  std::lock_guard<std::mutex> lock(mutex_);
  tokens_ = tokens;
}

void InMemoryTokenStore::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  tokens_.reset();
}

FileTokenStore::FileTokenStore(std::string path) : path_(std::move(path)) {
  if (path_.empty())
    throw InvalidArgumentError("FileTokenStore: the path is empty");
}

std::optional<TokenSet> FileTokenStore::load() {
  std::lock_guard<std::mutex> lock(mutex_);
  const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT)
      return std::nullopt;
    throw Error("FileTokenStore: cannot read '" + path_ + "': " + std::strerror(errno), {});
  }
  std::string content;
  char chunk[4096];
  while (true) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n > 0) {
      content.append(chunk, static_cast<std::size_t>(n));
    } else if (n == 0) {
      break;
    } else if (errno != EINTR) {
      const int err = errno;
      ::close(fd);
      throw Error("FileTokenStore: cannot read '" + path_ + "': " + std::strerror(err), {});
    }
  }
  ::close(fd);
  const auto parsed = nlohmann::json::parse(content, nullptr, /*allow_exceptions=*/false);
  // The content holds tokens, so a parse failure names the file, never the text.
  if (parsed.is_discarded() || !parsed.is_object()) {
    throw Error("FileTokenStore: '" + path_ + "' is not a saved token set", {});
  }
  return parsed.get<TokenSet>();
}

void FileTokenStore::save(const TokenSet& tokens) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string text = nlohmann::json(tokens).dump();
  std::string temp = path_ + ".XXXXXX";
  // mkstemp creates the file 0600, so the tokens are never readable by others, not even briefly.
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    throw Error(
        "FileTokenStore: cannot create a file beside '" + path_ + "': " + std::strerror(errno), {});
  }
  auto fail = [&](const char* step) {
    const int err = errno;
    ::close(fd);
    ::unlink(temp.c_str());
    throw Error(
        std::string("FileTokenStore: ") + step + " '" + path_ + "' failed: " + std::strerror(err),
        {});
  };
  if (::fchmod(fd, S_IRUSR | S_IWUSR) != 0)
    fail("setting the mode of");
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      fail("writing");
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0)
    fail("flushing");
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    throw Error("FileTokenStore: closing '" + path_ + "' failed: " + std::strerror(err), {});
  }
  if (::rename(temp.c_str(), path_.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    throw Error("FileTokenStore: replacing '" + path_ + "' failed: " + std::strerror(err), {});
  }
}

void FileTokenStore::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (::unlink(path_.c_str()) != 0 && errno != ENOENT) {
    throw Error("FileTokenStore: deleting '" + path_ + "' failed: " + std::strerror(errno), {});
  }
}

}  // namespace roserocket
