// The platform layer on Windows (built with MinGW-w64 and tested under Wine; MSVC untested). See
// platform.hpp. Paths are UTF-8 in the SDK and UTF-16 at the Win32 calls.
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <winsock2.h>
#include <ws2tcpip.h>
// winsock2.h must come before windows.h.
#include <windows.h>
// After windows.h, which they need.
#include <aclapi.h>
#include <bcrypt.h>
#include <fcntl.h>
#include <io.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <mutex>

#include "platform/platform.hpp"

namespace roserocket::detail::platform {
namespace {

std::wstring widen(const std::string& utf8) {
  if (utf8.empty() || utf8.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    return {};
  const int size = static_cast<int>(utf8.size());
  const int n = ::MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), size, nullptr, 0);
  if (n <= 0)
    return {};
  std::wstring out(static_cast<std::size_t>(n), L'\0');
  ::MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), size, out.data(), n);
  return out;
}

std::string system_text(DWORD code) {
  char* buffer = nullptr;
  const DWORD n = ::FormatMessageA(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
      nullptr, code, 0, reinterpret_cast<LPSTR>(&buffer), 0, nullptr);
  std::string text = n > 0 && buffer != nullptr ? std::string(buffer, n) : std::string();
  if (buffer != nullptr)
    ::LocalFree(buffer);
  while (!text.empty() &&
         (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' || text.back() == '.'))
    text.pop_back();
  const std::string number = "Windows error " + std::to_string(code);
  return text.empty() ? number : text + " (" + number + ")";
}

std::string last_error_text() {
  return system_text(::GetLastError());
}

bool invalid_path(const std::wstring& wide, std::string& error) {
  if (!wide.empty())
    return false;
  error = "the path is empty or not valid UTF-8";
  return true;
}

// Closes a kernel handle when the scope ends.
struct HandleCloser {
  HANDLE handle;
  ~HandleCloser() {
    if (handle != nullptr && handle != INVALID_HANDLE_VALUE)
      ::CloseHandle(handle);
  }
};

// The SID of the user this process runs as (from its token), or empty with @p error.
std::vector<unsigned char> current_user_sid(std::string& error) {
  HANDLE token = nullptr;
  if (!::OpenProcessToken(::GetCurrentProcess(), TOKEN_QUERY, &token)) {
    error = "cannot read the process token: " + last_error_text();
    return {};
  }
  HandleCloser closer{token};
  DWORD size = 0;
  ::GetTokenInformation(token, TokenUser, nullptr, 0, &size);
  std::vector<unsigned char> buffer(size);
  if (size == 0 || !::GetTokenInformation(token, TokenUser, buffer.data(), size, &size)) {
    error = "cannot read the current user: " + last_error_text();
    return {};
  }
  const PSID sid = reinterpret_cast<const TOKEN_USER*>(buffer.data())->User.Sid;
  const DWORD length = ::GetLengthSid(sid);
  std::vector<unsigned char> copy(length);
  if (!::CopySid(length, copy.data(), sid)) {
    error = "cannot copy the current user's SID: " + last_error_text();
    return {};
  }
  return copy;
}

// A security descriptor for a new file that only the current user may open: the user as its
// owner and a protected DACL (nothing inherited from the folder) with one entry, full access for
// the user's SID. Not copyable: the descriptor points into the members.
class OwnerOnlySecurity {
 public:
  OwnerOnlySecurity() = default;
  OwnerOnlySecurity(const OwnerOnlySecurity&) = delete;
  OwnerOnlySecurity& operator=(const OwnerOnlySecurity&) = delete;

  bool init(std::string& error) {
    sid_ = current_user_sid(error);
    if (sid_.empty())
      return false;
    const DWORD acl_size = static_cast<DWORD>(sizeof(ACL) + sizeof(ACCESS_ALLOWED_ACE) -
                                              sizeof(DWORD) + ::GetLengthSid(sid_.data()));
    acl_.assign((acl_size + sizeof(DWORD) - 1) / sizeof(DWORD), 0);
    auto* acl = reinterpret_cast<PACL>(acl_.data());
    if (!::InitializeAcl(acl, acl_size, ACL_REVISION) ||
        !::AddAccessAllowedAce(acl, ACL_REVISION, FILE_ALL_ACCESS, sid_.data()) ||
        !::InitializeSecurityDescriptor(&descriptor_, SECURITY_DESCRIPTOR_REVISION) ||
        !::SetSecurityDescriptorOwner(&descriptor_, sid_.data(), FALSE) ||
        !::SetSecurityDescriptorDacl(&descriptor_, TRUE, acl, FALSE) ||
        !::SetSecurityDescriptorControl(&descriptor_, SE_DACL_PROTECTED, SE_DACL_PROTECTED)) {
      error = "cannot build an owner-only access list: " + last_error_text();
      return false;
    }
    attributes_.nLength = sizeof attributes_;
    attributes_.lpSecurityDescriptor = &descriptor_;
    attributes_.bInheritHandle = FALSE;
    return true;
  }

  SECURITY_ATTRIBUTES* attributes() { return &attributes_; }

 private:
  std::vector<unsigned char> sid_;
  std::vector<DWORD> acl_;  // DWORD-aligned, as an ACL must be
  SECURITY_DESCRIPTOR descriptor_{};
  SECURITY_ATTRIBUTES attributes_{};
};

std::once_flag winsock_once;
int winsock_status = 0;

// Winsock is started once, inside, the first time the SDK needs a socket (no global init for
// users); it stays up until the process ends.
bool start_winsock(std::string& error) {
  std::call_once(winsock_once, [] {
    WSADATA data{};
    winsock_status = ::WSAStartup(MAKEWORD(2, 2), &data);
  });
  if (winsock_status != 0) {
    error = "cannot start Winsock: " + system_text(static_cast<DWORD>(winsock_status));
    return false;
  }
  return true;
}

// The platform's Socket is an int (platform.hpp): handles have 32 significant bits, and
// sign-extending one back is what Windows documents for 32/64-bit interoperation.
SOCKET native(Socket socket) {
  return static_cast<SOCKET>(static_cast<std::intptr_t>(socket));
}

Socket portable(SOCKET socket) {
  return static_cast<Socket>(static_cast<std::intptr_t>(socket));
}

void keep_from_children(SOCKET socket) {
  ::SetHandleInformation(reinterpret_cast<HANDLE>(socket), HANDLE_FLAG_INHERIT, 0);
}

}  // namespace

ReadStatus read_file(const std::string& path, std::size_t max_bytes, std::string& content,
                     std::string& error) {
  content.clear();
  const std::wstring wide = widen(path);
  if (invalid_path(wide, error))
    return ReadStatus::kFailed;
  const HANDLE file = ::CreateFileW(wide.c_str(), GENERIC_READ,
                                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                                    OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) {
    const DWORD code = ::GetLastError();
    if (code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND)
      return ReadStatus::kMissing;
    error = system_text(code);
    return ReadStatus::kFailed;
  }
  HandleCloser closer{file};
  char chunk[4096];
  while (true) {
    DWORD n = 0;
    if (!::ReadFile(file, chunk, sizeof chunk, &n, nullptr)) {
      error = last_error_text();
      content.clear();
      return ReadStatus::kFailed;
    }
    if (n == 0)
      break;
    content.append(chunk, n);
    if (content.size() > max_bytes) {
      content.clear();
      return ReadStatus::kTooLarge;
    }
  }
  return ReadStatus::kOk;
}

bool write_file_atomically(const std::string& path, std::string_view data, std::string& error) {
  return write_file_atomically(path, data, /*flush_to_disk=*/true, error);
}

bool write_file_atomically(const std::string& path, std::string_view data, bool flush_to_disk,
                           std::string& error) {
  const std::wstring wide = widen(path);
  if (invalid_path(wide, error))
    return false;
  OwnerOnlySecurity security;
  if (!security.init(error))
    return false;
  unsigned char noise[8];
  if (!random_bytes(noise, sizeof noise)) {
    error = "cannot name a file beside it: no random bytes";
    return false;
  }
  std::wstring temp = wide + L".";
  for (const unsigned char byte : noise) {
    temp += L"0123456789abcdef"[byte >> 4];
    temp += L"0123456789abcdef"[byte & 15];
  }
  temp += L".tmp";
  // CREATE_NEW with the owner-only descriptor: the content is never readable by others.
  const HANDLE file = ::CreateFileW(temp.c_str(), GENERIC_WRITE, 0, security.attributes(),
                                    CREATE_NEW, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) {
    error = "cannot create a file beside it: " + last_error_text();
    return false;
  }
  auto fail = [&](const char* step, DWORD code) {
    ::DeleteFileW(temp.c_str());
    error = std::string(step) + ": " + system_text(code);
    return false;
  };
  std::size_t done = 0;
  bool ok = true;
  while (ok && done < data.size()) {
    const DWORD want = static_cast<DWORD>(std::min<std::size_t>(data.size() - done, 1u << 30));
    DWORD n = 0;
    ok = ::WriteFile(file, data.data() + done, want, &n, nullptr) && n > 0;
    done += n;
  }
  ok = ok && (!flush_to_disk || ::FlushFileBuffers(file));
  const DWORD code = ok ? ERROR_SUCCESS : ::GetLastError();
  ::CloseHandle(file);
  if (!ok)
    return fail("writing", code);
  // MoveFileExW rather than ReplaceFileW: ReplaceFileW would give the new file the replaced
  // file's access list, and an older, looser one must not survive.
  const DWORD move_flags =
      MOVEFILE_REPLACE_EXISTING | (flush_to_disk ? MOVEFILE_WRITE_THROUGH : DWORD{0});
  if (!::MoveFileExW(temp.c_str(), wide.c_str(), move_flags))
    return fail("replacing", ::GetLastError());
  return true;
}

LockStatus lock_file(const std::string& path, FileLock& lock, std::string& error) {
  const std::wstring wide = widen(path);
  if (invalid_path(wide, error))
    return LockStatus::kFailed;
  OwnerOnlySecurity security;
  if (!security.init(error))
    return LockStatus::kFailed;
  // Shared read and write: the lock below, not the sharing mode, decides who holds it.
  const HANDLE file =
      ::CreateFileW(wide.c_str(), GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                    security.attributes(), OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) {
    error = "cannot open it: " + last_error_text();
    return LockStatus::kFailed;
  }
  OVERLAPPED whole{};
  if (!::LockFileEx(file, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, MAXDWORD,
                    MAXDWORD, &whole)) {
    const DWORD code = ::GetLastError();
    ::CloseHandle(file);
    if (code == ERROR_LOCK_VIOLATION || code == ERROR_SHARING_VIOLATION)
      return LockStatus::kHeldElsewhere;
    error = "cannot lock it: " + system_text(code);
    return LockStatus::kFailed;
  }
  lock = reinterpret_cast<FileLock>(file);
  return LockStatus::kLocked;
}

void unlock_file(FileLock lock) {
  if (lock == kNoFileLock)
    return;
  const HANDLE file = reinterpret_cast<HANDLE>(lock);
  OVERLAPPED whole{};
  ::UnlockFileEx(file, 0, MAXDWORD, MAXDWORD, &whole);
  ::CloseHandle(file);
}

bool remove_file(const std::string& path, std::string& error) {
  const std::wstring wide = widen(path);
  if (invalid_path(wide, error))
    return false;
  if (!::DeleteFileW(wide.c_str())) {
    const DWORD code = ::GetLastError();
    if (code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND)
      return true;
    error = system_text(code);
    return false;
  }
  return true;
}

bool owner_only(const std::string& path, std::string& why) {
  const std::wstring wide = widen(path);
  if (invalid_path(wide, why))
    return false;
  const std::vector<unsigned char> user = current_user_sid(why);
  if (user.empty())
    return false;
  PSID owner = nullptr;
  PACL dacl = nullptr;
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  const DWORD status = ::GetNamedSecurityInfoW(
      wide.c_str(), SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &owner,
      nullptr, &dacl, nullptr, &descriptor);
  if (status != ERROR_SUCCESS) {
    why = system_text(status);
    return false;
  }
  struct Freer {
    PSECURITY_DESCRIPTOR d;
    ~Freer() { ::LocalFree(d); }
  } freer{descriptor};
  PSID user_sid = const_cast<unsigned char*>(user.data());
  if (owner == nullptr || !::EqualSid(owner, user_sid)) {
    why = "owned by another user";
    return false;
  }
  if (dacl == nullptr) {
    why = "it has no access list (everyone has access)";
    return false;
  }
  SECURITY_DESCRIPTOR_CONTROL control = 0;
  DWORD revision = 0;
  if (!::GetSecurityDescriptorControl(descriptor, &control, &revision) ||
      (control & SE_DACL_PROTECTED) == 0) {
    why = "its access list inherits entries from its folder";
    return false;
  }
  for (DWORD i = 0; i < dacl->AceCount; ++i) {
    void* entry = nullptr;
    if (!::GetAce(dacl, i, &entry)) {
      why = "its access list cannot be read: " + last_error_text();
      return false;
    }
    const auto* header = static_cast<const ACE_HEADER*>(entry);
    if (header->AceType == ACCESS_DENIED_ACE_TYPE)
      continue;  // denying is never too open
    if (header->AceType != ACCESS_ALLOWED_ACE_TYPE) {
      why = "its access list has an entry of another kind than allow or deny";
      return false;
    }
    auto* allowed = static_cast<ACCESS_ALLOWED_ACE*>(entry);
    if (!::EqualSid(reinterpret_cast<PSID>(&allowed->SidStart), user_sid)) {
      why = "its access list grants access to someone other than the current user";
      return false;
    }
  }
  return true;
}

std::FILE* open_for_append(const std::string& path, std::string& error) {
  const std::wstring wide = widen(path);
  if (invalid_path(wide, error))
    return nullptr;
  // Deletion shared, as POSIX has it: the file can be replaced (write_file_atomically) or removed
  // while this handle is open. Not inherited by child processes (no inheritable attributes).
  const HANDLE handle = ::CreateFileW(wide.c_str(), FILE_APPEND_DATA,
                                      FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                      nullptr, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (handle == INVALID_HANDLE_VALUE) {
    error = "cannot open it: " + last_error_text();
    return nullptr;
  }
  const int fd = ::_open_osfhandle(reinterpret_cast<intptr_t>(handle), _O_APPEND | _O_BINARY);
  if (fd < 0) {
    ::CloseHandle(handle);
    error = "cannot open it as a stream";
    return nullptr;
  }
  std::FILE* file = ::_fdopen(fd, "ab");
  if (file == nullptr) {
    ::_close(fd);  // closes the handle too
    error = "cannot open it as a stream";
  }
  return file;
}

bool sync_file(std::FILE* file, std::string& error) {
  if (std::fflush(file) != 0) {
    error = "cannot flush it";
    return false;
  }
  const auto handle = reinterpret_cast<HANDLE>(::_get_osfhandle(::_fileno(file)));
  if (handle == INVALID_HANDLE_VALUE || !::FlushFileBuffers(handle)) {
    error = last_error_text();
    return false;
  }
  return true;
}

bool random_bytes(void* out, std::size_t count) {
  auto* bytes = static_cast<unsigned char*>(out);
  while (count > 0) {
    const ULONG chunk = static_cast<ULONG>(std::min<std::size_t>(count, 1u << 30));
    if (::BCryptGenRandom(nullptr, bytes, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) < 0)
      return false;
    bytes += chunk;
    count -= chunk;
  }
  return true;
}

std::string os_description() {
  SYSTEM_INFO info{};
  ::GetNativeSystemInfo(&info);
  switch (info.wProcessorArchitecture) {
    case PROCESSOR_ARCHITECTURE_AMD64:
      return "Windows x86_64";
    case PROCESSOR_ARCHITECTURE_INTEL:
      return "Windows x86";
    case 12:  // PROCESSOR_ARCHITECTURE_ARM64, missing from older headers
      return "Windows arm64";
    default:
      return "Windows";
  }
}

Socket listen_loopback(std::uint16_t port, std::uint16_t& bound_port, std::string& error) {
  if (!start_winsock(error))
    return kNoSocket;
  const SOCKET s = ::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (s == INVALID_SOCKET) {
    error = "cannot open a socket: " + system_text(static_cast<DWORD>(::WSAGetLastError()));
    return kNoSocket;
  }
  keep_from_children(s);
  // Windows' SO_REUSEADDR would let another program take the port over; this refuses that.
  const BOOL one = TRUE;
  ::setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, reinterpret_cast<const char*>(&one), sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // never reachable from other machines
  address.sin_port = htons(port);
  if (::bind(s, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(s, 8) != 0) {
    error = system_text(static_cast<DWORD>(::WSAGetLastError()));
    ::closesocket(s);
    return kNoSocket;
  }
  int length = sizeof address;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&address), &length);
  bound_port = ntohs(address.sin_port);
  return portable(s);
}

Socket accept_connection(Socket listener) {
  const SOCKET s = ::accept(native(listener), nullptr, nullptr);
  if (s == INVALID_SOCKET)
    return kNoSocket;
  keep_from_children(s);
  u_long non_blocking = 1;  // recv must never wait (MSG_DONTWAIT elsewhere)
  ::ioctlsocket(s, FIONBIO, &non_blocking);
  return portable(s);
}

Receive receive_some(Socket socket, std::string& into, std::size_t max) {
  char chunk[2048];
  const int n = ::recv(native(socket), chunk, static_cast<int>(std::min(sizeof chunk, max)), 0);
  if (n == SOCKET_ERROR) {
    const int code = ::WSAGetLastError();
    return code == WSAEWOULDBLOCK || code == WSAEINTR ? Receive::kNothingYet : Receive::kClosed;
  }
  if (n == 0)
    return Receive::kClosed;
  into.append(chunk, static_cast<std::size_t>(n));
  return Receive::kData;
}

void send_all(Socket socket, std::string_view data) {
  const SOCKET s = native(socket);
  std::size_t sent = 0;
  while (sent < data.size()) {
    const int want = static_cast<int>(std::min<std::size_t>(data.size() - sent, 1 << 20));
    const int n = ::send(s, data.data() + sent, want, 0);
    if (n == SOCKET_ERROR && ::WSAGetLastError() == WSAEWOULDBLOCK) {
      // The socket is non-blocking: wait (a little) for room, then try again.
      WSAPOLLFD poll{s, POLLWRNORM, 0};
      if (::WSAPoll(&poll, 1, 1000) <= 0)
        return;
      continue;
    }
    if (n <= 0)
      return;  // the peer went away; nothing more to tell it
    sent += static_cast<std::size_t>(n);
  }
}

void close_socket(Socket socket) {
  if (socket != kNoSocket)
    ::closesocket(native(socket));
}

bool wait_readable(const std::vector<Socket>& sockets, int timeout_ms, std::vector<bool>& ready,
                   std::string& error) {
  std::vector<WSAPOLLFD> polls;
  polls.reserve(sockets.size());
  for (const Socket s : sockets)
    polls.push_back(WSAPOLLFD{native(s), POLLRDNORM, 0});
  ready.assign(sockets.size(), false);
  const int n = ::WSAPoll(polls.data(), static_cast<ULONG>(polls.size()), timeout_ms);
  if (n == SOCKET_ERROR) {
    error = system_text(static_cast<DWORD>(::WSAGetLastError()));
    return false;
  }
  for (std::size_t i = 0; i < polls.size() && n > 0; ++i)
    ready[i] = (polls[i].revents & (POLLRDNORM | POLLHUP | POLLERR)) != 0;
  return true;
}

}  // namespace roserocket::detail::platform
