// The platform layer on POSIX systems (Linux; BSDs and macOS are untested). See platform.hpp.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/random.h>
#endif

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "platform/platform.hpp"

namespace roserocket::detail::platform {
namespace {

std::string errno_text(int err) {
  return std::strerror(err);
}

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos)
    return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

bool write_fully(int fd, std::string_view data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

ReadStatus read_file(const std::string& path, std::size_t max_bytes, std::string& content,
                     std::string& error) {
  content.clear();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT)
      return ReadStatus::kMissing;
    error = errno_text(errno);
    return ReadStatus::kFailed;
  }
  char chunk[4096];
  while (true) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n > 0) {
      content.append(chunk, static_cast<std::size_t>(n));
      if (content.size() > max_bytes) {
        ::close(fd);
        content.clear();
        return ReadStatus::kTooLarge;
      }
    } else if (n == 0) {
      break;
    } else if (errno != EINTR) {
      error = errno_text(errno);
      ::close(fd);
      content.clear();
      return ReadStatus::kFailed;
    }
  }
  ::close(fd);
  return ReadStatus::kOk;
}

bool write_file_atomically(const std::string& path, std::string_view data, std::string& error) {
  return write_file_atomically(path, data, /*flush_to_disk=*/true, error);
}

bool write_file_atomically(const std::string& path, std::string_view data, bool flush_to_disk,
                           std::string& error) {
  std::string temp = path + ".XXXXXX";
  // mkstemp creates the file 0600: the content is never readable by others, not even briefly.
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    error = "cannot create a file beside it: " + errno_text(errno);
    return false;
  }
  auto fail = [&](const char* step, int err) {
    ::unlink(temp.c_str());
    error = std::string(step) + ": " + errno_text(err);
    return false;
  };
  if (::fchmod(fd, S_IRUSR | S_IWUSR) != 0 || !write_fully(fd, data) ||
      (flush_to_disk && ::fsync(fd) != 0)) {
    const int err = errno;
    ::close(fd);
    return fail("writing", err);
  }
  if (::close(fd) != 0)
    return fail("closing", errno);
  if (::rename(temp.c_str(), path.c_str()) != 0)
    return fail("replacing", errno);
  if (!flush_to_disk)
    return true;
  // The rename itself must survive a power cut too (best effort: some file systems refuse).
  const int dir = ::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return true;
}

LockStatus lock_file(const std::string& path, FileLock& lock, std::string& error) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    error = "cannot open it: " + errno_text(errno);
    return LockStatus::kFailed;
  }
  int result = 0;
  do {
    result = ::flock(fd, LOCK_EX | LOCK_NB);
  } while (result != 0 && errno == EINTR);
  if (result != 0) {
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK)
      return LockStatus::kHeldElsewhere;
    error = "cannot lock it: " + errno_text(err);
    return LockStatus::kFailed;
  }
  lock = fd;
  return LockStatus::kLocked;
}

void unlock_file(FileLock lock) {
  if (lock == kNoFileLock)
    return;
  ::flock(static_cast<int>(lock), LOCK_UN);
  ::close(static_cast<int>(lock));
}

bool remove_file(const std::string& path, std::string& error) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    error = errno_text(errno);
    return false;
  }
  return true;
}

bool owner_only(const std::string& path, std::string& why) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    why = errno_text(errno);
    return false;
  }
  if (info.st_uid != ::geteuid()) {
    why = "owned by another user";
    return false;
  }
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%03o", static_cast<unsigned>(info.st_mode & 0777));
    why = std::string("group or others have access (mode ") + mode + ")";
    return false;
  }
  return true;
}

std::FILE* open_for_append(const std::string& path, std::string& error) {
  std::FILE* file = std::fopen(path.c_str(), "ae");  // e: O_CLOEXEC
  if (file == nullptr)
    error = errno_text(errno);
  return file;
}

bool sync_file(std::FILE* file, std::string& error) {
  if (std::fflush(file) != 0 || ::fdatasync(::fileno(file)) != 0) {
    error = errno_text(errno);
    return false;
  }
  return true;
}

bool random_bytes(void* out, std::size_t count) {
  auto* bytes = static_cast<char*>(out);
  std::size_t filled = 0;
#if defined(__linux__)
  while (filled < count) {
    const ssize_t n = ::getrandom(bytes + filled, count - filled, 0);
    if (n > 0) {
      filled += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;  // ENOSYS on old kernels: fall back to the device below
    }
  }
  if (filled == count)
    return true;
#endif
  const int fd = ::open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  while (filled < count) {
    const ssize_t n = ::read(fd, bytes + filled, count - filled);
    if (n > 0) {
      filled += static_cast<std::size_t>(n);
    } else if (!(n < 0 && errno == EINTR)) {
      ::close(fd);
      return false;
    }
  }
  ::close(fd);
  return true;
}

std::string os_description() {
  struct utsname info {};
  if (::uname(&info) != 0)
    return "unknown-os";
  return std::string(info.sysname) + " " + info.machine;
}

Socket listen_loopback(std::uint16_t port, std::uint16_t& bound_port, std::string& error) {
#ifdef SOCK_CLOEXEC
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
#else  // macOS: no SOCK_CLOEXEC
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd >= 0)
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
#endif
  if (fd < 0) {
    error = "cannot open a socket: " + errno_text(errno);
    return kNoSocket;
  }
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // never reachable from other machines
  address.sin_port = htons(port);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(fd, 8) != 0) {
    error = errno_text(errno);
    ::close(fd);
    return kNoSocket;
  }
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  bound_port = ntohs(address.sin_port);
  return fd;
}

Socket accept_connection(Socket listener) {
#ifdef SOCK_CLOEXEC
  const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
#else  // macOS: no accept4
  const int fd = ::accept(listener, nullptr, nullptr);
  if (fd >= 0)
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
#endif
  return fd >= 0 ? fd : kNoSocket;
}

Receive receive_some(Socket socket, std::string& into, std::size_t max) {
  char chunk[2048];
  const ssize_t n = ::recv(socket, chunk, std::min(sizeof chunk, max), MSG_DONTWAIT);
  if (n < 0)
    return errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK ? Receive::kNothingYet
                                                                     : Receive::kClosed;
  if (n == 0)
    return Receive::kClosed;
  into.append(chunk, static_cast<std::size_t>(n));
  return Receive::kData;
}

void send_all(Socket socket, std::string_view data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(socket, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return;  // the peer went away; nothing more to tell it
    sent += static_cast<std::size_t>(n);
  }
}

void close_socket(Socket socket) {
  if (socket != kNoSocket)
    ::close(socket);
}

bool wait_readable(const std::vector<Socket>& sockets, int timeout_ms, std::vector<bool>& ready,
                   std::string& error) {
  std::vector<pollfd> polls;
  polls.reserve(sockets.size());
  for (const Socket s : sockets)
    polls.push_back(pollfd{s, POLLIN, 0});
  ready.assign(sockets.size(), false);
  const int n = ::poll(polls.data(), polls.size(), timeout_ms);
  if (n < 0) {
    if (errno == EINTR)
      return true;
    error = errno_text(errno);
    return false;
  }
  for (std::size_t i = 0; i < polls.size() && n > 0; ++i)
    ready[i] = (polls[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
  return true;
}

}  // namespace roserocket::detail::platform
