// WinHttpTransport: the HttpTransport of Windows builds (docs/transport.md). One WinHTTP session
// per transport (WinHTTP pools its connections per session), a connect and a request handle per
// call, synchronous calls; cancellation closes the request handle from a watcher thread, which
// makes the blocked WinHTTP call fail with ERROR_WINHTTP_OPERATION_CANCELLED.

#include "roserocket/http/winhttp_transport.hpp"

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
// windows.h first: winhttp.h needs its types.
#include <winhttp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "http/url.hpp"
#include "roserocket/errors.hpp"

namespace roserocket {
namespace {

constexpr auto kWinHttpCancelPoll = std::chrono::milliseconds(50);

std::wstring winhttp_wide(std::string_view text) {
  if (text.empty())
    return {};
  const int size =
      MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0);
  std::wstring out(static_cast<std::size_t>(std::max(size, 0)), L'\0');
  if (size > 0) {
    MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), size);
  }
  return out;
}

std::string winhttp_narrow(std::wstring_view text) {
  if (text.empty())
    return {};
  const int size = WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()),
                                       nullptr, 0, nullptr, nullptr);
  std::string out(static_cast<std::size_t>(std::max(size, 0)), '\0');
  if (size > 0) {
    WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), size,
                        nullptr, nullptr);
  }
  return out;
}

struct WinHttpHandle {
  HINTERNET handle = nullptr;
  explicit WinHttpHandle(HINTERNET h = nullptr) : handle(h) {}
  WinHttpHandle(const WinHttpHandle&) = delete;
  WinHttpHandle& operator=(const WinHttpHandle&) = delete;
  ~WinHttpHandle() {
    if (handle != nullptr)
      WinHttpCloseHandle(handle);
  }
};

DWORD clamp_ms(std::chrono::milliseconds value) {
  const auto count = std::max<long long>(1, value.count());
  return static_cast<DWORD>(std::min<long long>(count, 0x7FFFFFFF));
}

// A WinHTTP failure as CurlTransport maps libcurl's: the error class, a summary and whether the
// request may have reached the server.
[[noreturn]] void throw_winhttp_error(DWORD code, bool sending, const HttpRequest& request,
                                      std::chrono::milliseconds timeout) {
  ErrorContext context;
  context.method = std::string(to_string(request.method));
  context.path = detail::path_for_errors(request.url);
  bool maybe_sent = !sending;
  std::string summary;
  switch (code) {
    case ERROR_WINHTTP_NAME_NOT_RESOLVED:
      summary = "could not resolve the host name";
      maybe_sent = false;
      break;
    case ERROR_WINHTTP_CANNOT_CONNECT:
      summary = "could not connect to the server";
      maybe_sent = false;
      break;
    case ERROR_WINHTTP_SECURE_FAILURE:
    case ERROR_WINHTTP_SECURE_CERT_CN_INVALID:
    case ERROR_WINHTTP_SECURE_CERT_DATE_INVALID:
    case ERROR_WINHTTP_SECURE_INVALID_CA:
    case ERROR_WINHTTP_SECURE_CERT_REV_FAILED:
    case ERROR_WINHTTP_SECURE_CHANNEL_ERROR:
    case ERROR_WINHTTP_SECURE_INVALID_CERT:
    case ERROR_WINHTTP_SECURE_CERT_REVOKED:
    case ERROR_WINHTTP_SECURE_CERT_WRONG_USAGE:
      // The handshake comes before the request: nothing was sent.
      summary = "TLS handshake failed (WinHTTP error " + std::to_string(code) + ")";
      maybe_sent = false;
      break;
    case ERROR_WINHTTP_CONNECTION_ERROR:
      summary = "the connection was reset";
      break;
    case ERROR_WINHTTP_INVALID_SERVER_RESPONSE:
      summary = "the server's response is not valid HTTP";
      break;
    case ERROR_WINHTTP_TIMEOUT:
      summary = "timed out (limit " + std::to_string(timeout.count()) + " ms)";
      break;
    default:
      summary = "WinHTTP error " + std::to_string(code);
      break;
  }
  summary +=
      maybe_sent ? " (the request may have reached the server)" : " (the request was not sent)";
  if (code == ERROR_WINHTTP_TIMEOUT)
    throw TimeoutError(summary, std::move(context), maybe_sent);
  throw TransportError(summary, std::move(context), maybe_sent);
}

[[noreturn]] void throw_winhttp_cancelled(const HttpRequest& request, bool maybe_sent) {
  ErrorContext context;
  context.method = std::string(to_string(request.method));
  context.path = detail::path_for_errors(request.url);
  throw CancelledError(std::string("cancelled during the transfer") +
                           (maybe_sent ? " (the request may have reached the server)"
                                       : " (the request was not sent)"),
                       std::move(context), 1, maybe_sent);
}

// Closes the request handle when the call's token is cancelled; stops when the call ends.
class CancelWatcher {
 public:
  CancelWatcher(const CancellationToken& token, HINTERNET request) {
    if (!token.can_be_cancelled())
      return;
    thread_ = std::thread([this, token, request] {
      while (!done_.load()) {
        if (token.wait_for(kWinHttpCancelPoll)) {
          std::lock_guard<std::mutex> lock(mutex_);
          if (!done_.load()) {
            fired_ = true;
            WinHttpCloseHandle(request);
          }
          return;
        }
      }
    });
  }
  CancelWatcher(const CancelWatcher&) = delete;
  CancelWatcher& operator=(const CancelWatcher&) = delete;
  ~CancelWatcher() { stop(); }

  // Stops watching; true when the watcher closed the handle.
  bool stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_.store(true);
    }
    if (thread_.joinable())
      thread_.join();
    return fired_;
  }

 private:
  std::atomic<bool> done_{false};
  std::mutex mutex_;
  bool fired_ = false;
  std::thread thread_;
};

void check_header(const std::string& name, const std::string& value) {
  if (name.empty() || name.find_first_of(": \r\n") != std::string::npos)
    throw InvalidArgumentError("a header name is empty or contains ':', a space or a line break");
  if (value.find_first_of("\r\n") != std::string::npos)
    throw InvalidArgumentError("the value of header '" + name + "' contains a line break");
}

Headers parse_raw_headers(const std::string& raw) {
  Headers out;
  std::size_t pos = raw.find("\r\n");  // skip the status line
  while (pos != std::string::npos && pos + 2 < raw.size()) {
    const std::size_t start = pos + 2;
    const std::size_t end = raw.find("\r\n", start);
    const std::string line = raw.substr(start, end == std::string::npos ? end : end - start);
    pos = end;
    const auto colon = line.find(':');
    if (colon == std::string::npos || colon == 0)
      continue;
    std::string value = line.substr(colon + 1);
    const auto first = value.find_first_not_of(" \t");
    value = first == std::string::npos ? std::string() : value.substr(first);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
      value.pop_back();
    out.add(line.substr(0, colon), std::move(value));
  }
  return out;
}

}  // namespace

struct WinHttpTransport::Impl {
  WinHttpTransportOptions options;
  HINTERNET session = nullptr;
  bool decompression = false;
};

WinHttpTransport::WinHttpTransport(WinHttpTransportOptions options)
    : impl_(std::make_unique<Impl>()) {
  if (options.max_response_bytes == 0)
    throw InvalidArgumentError("WinHttpTransportOptions: max_response_bytes must be positive");
  if (options.connect_timeout.count() <= 0 || options.request_timeout.count() <= 0)
    throw InvalidArgumentError("WinHttpTransportOptions: timeouts must be positive");
  const std::wstring agent =
      winhttp_wide(options.user_agent.empty() ? "roserocket-cpp" : options.user_agent);
  HINTERNET session = nullptr;
  if (!options.proxy.empty()) {
    const std::wstring proxy = winhttp_wide(options.proxy);
    const std::wstring bypass = winhttp_wide(options.no_proxy);
    session = WinHttpOpen(agent.c_str(), WINHTTP_ACCESS_TYPE_NAMED_PROXY, proxy.c_str(),
                          bypass.empty() ? WINHTTP_NO_PROXY_BYPASS : bypass.c_str(), 0);
  } else {
    // The system's proxy settings, auto-detection included (Windows 8.1+); older systems and
    // Wine fall back to the default (registry) proxy.
    session = WinHttpOpen(agent.c_str(), WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY, WINHTTP_NO_PROXY_NAME,
                          WINHTTP_NO_PROXY_BYPASS, 0);
    if (session == nullptr) {
      session = WinHttpOpen(agent.c_str(), WINHTTP_ACCESS_TYPE_DEFAULT_PROXY, WINHTTP_NO_PROXY_NAME,
                            WINHTTP_NO_PROXY_BYPASS, 0);
    }
  }
  if (session == nullptr) {
    throw TransportError(
        "WinHTTP could not open a session (error " + std::to_string(GetLastError()) + ")", {},
        false);
  }
  impl_->session = session;
  DWORD never = WINHTTP_OPTION_REDIRECT_POLICY_NEVER;
  WinHttpSetOption(session, WINHTTP_OPTION_REDIRECT_POLICY, &never, sizeof(never));
  if (options.accept_compressed) {
    DWORD all = WINHTTP_DECOMPRESSION_FLAG_ALL;
    impl_->decompression =
        WinHttpSetOption(session, WINHTTP_OPTION_DECOMPRESSION, &all, sizeof(all)) != FALSE;
  }
  impl_->options = std::move(options);
}

WinHttpTransport::~WinHttpTransport() {
  if (impl_ && impl_->session != nullptr)
    WinHttpCloseHandle(impl_->session);
}

HttpResponse WinHttpTransport::send(const HttpRequest& request) {
  const WinHttpTransportOptions& options = impl_->options;
  for (const auto& [name, value] : request.headers.fields())
    check_header(name, value);
  const std::wstring url = winhttp_wide(request.url);
  URL_COMPONENTS parts{};
  parts.dwStructSize = sizeof(parts);
  parts.dwSchemeLength = static_cast<DWORD>(-1);
  parts.dwHostNameLength = static_cast<DWORD>(-1);
  parts.dwUrlPathLength = static_cast<DWORD>(-1);
  parts.dwExtraInfoLength = static_cast<DWORD>(-1);
  if (!WinHttpCrackUrl(url.c_str(), static_cast<DWORD>(url.size()), 0, &parts) ||
      (parts.nScheme != INTERNET_SCHEME_HTTP && parts.nScheme != INTERNET_SCHEME_HTTPS)) {
    throw InvalidArgumentError("the request URL is not an absolute http(s) URL");
  }
  const std::wstring host(parts.lpszHostName, parts.dwHostNameLength);
  std::wstring target(parts.lpszUrlPath, parts.dwUrlPathLength);
  if (parts.lpszExtraInfo != nullptr)
    target.append(parts.lpszExtraInfo, parts.dwExtraInfoLength);
  if (target.empty())
    target = L"/";

  const auto timeout = request.timeout.count() > 0 ? request.timeout : options.request_timeout;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto left = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                 std::chrono::steady_clock::now());
  };

  WinHttpHandle connect(WinHttpConnect(impl_->session, host.c_str(), parts.nPort, 0));
  if (connect.handle == nullptr)
    throw_winhttp_error(GetLastError(), true, request, timeout);
  const std::wstring verb = winhttp_wide(to_string(request.method));
  // Owned here unless the cancel watcher closes it (then released below).
  HINTERNET handle =
      WinHttpOpenRequest(connect.handle, verb.c_str(), target.c_str(), nullptr, WINHTTP_NO_REFERER,
                         WINHTTP_DEFAULT_ACCEPT_TYPES,
                         parts.nScheme == INTERNET_SCHEME_HTTPS ? WINHTTP_FLAG_SECURE : 0);
  if (handle == nullptr)
    throw_winhttp_error(GetLastError(), true, request, timeout);
  WinHttpHandle owned(handle);

  WinHttpSetTimeouts(handle, static_cast<int>(clamp_ms(options.connect_timeout)),
                     static_cast<int>(clamp_ms(options.connect_timeout)),
                     static_cast<int>(clamp_ms(timeout)), static_cast<int>(clamp_ms(timeout)));
  DWORD never = WINHTTP_OPTION_REDIRECT_POLICY_NEVER;
  WinHttpSetOption(handle, WINHTTP_OPTION_REDIRECT_POLICY, &never, sizeof(never));
  if (!options.verify_peer) {
    DWORD flags = SECURITY_FLAG_IGNORE_UNKNOWN_CA | SECURITY_FLAG_IGNORE_CERT_DATE_INVALID |
                  SECURITY_FLAG_IGNORE_CERT_CN_INVALID | SECURITY_FLAG_IGNORE_CERT_WRONG_USAGE;
    WinHttpSetOption(handle, WINHTTP_OPTION_SECURITY_FLAGS, &flags, sizeof(flags));
  }

  std::wstring headers;
  for (const auto& [name, value] : request.headers.fields())
    headers += winhttp_wide(name + ": " + value + "\r\n");
  if (options.accept_compressed && !impl_->decompression &&
      !request.headers.contains("Accept-Encoding")) {
    // WinHTTP cannot decode here: ask for the identity coding so that bodies stay readable.
    headers += L"Accept-Encoding: identity\r\n";
  }

  CancelWatcher watcher(request.cancellation, handle);
  auto fail = [&](bool sending) {
    const DWORD code = GetLastError();
    if (watcher.stop()) {
      owned.handle = nullptr;  // closed by the watcher
      throw_winhttp_cancelled(request, !sending);
    }
    throw_winhttp_error(code, sending, request, timeout);
  };
  if (request.cancellation.is_cancelled()) {
    if (watcher.stop())
      owned.handle = nullptr;
    throw_winhttp_cancelled(request, false);
  }
  void* body =
      request.body.empty() ? WINHTTP_NO_REQUEST_DATA : const_cast<char*>(request.body.data());
  const auto body_size = static_cast<DWORD>(request.body.size());
  if (!WinHttpSendRequest(handle, headers.empty() ? WINHTTP_NO_ADDITIONAL_HEADERS : headers.c_str(),
                          static_cast<DWORD>(headers.size()), body, body_size, body_size, 0)) {
    fail(true);
  }
  if (!WinHttpReceiveResponse(handle, nullptr))
    fail(false);

  HttpResponse response;
  DWORD status = 0;
  DWORD status_size = sizeof(status);
  if (!WinHttpQueryHeaders(handle, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER,
                           WINHTTP_HEADER_NAME_BY_INDEX, &status, &status_size,
                           WINHTTP_NO_HEADER_INDEX)) {
    fail(false);
  }
  response.status = static_cast<int>(status);
  DWORD raw_size = 0;
  WinHttpQueryHeaders(handle, WINHTTP_QUERY_RAW_HEADERS_CRLF, WINHTTP_HEADER_NAME_BY_INDEX,
                      WINHTTP_NO_OUTPUT_BUFFER, &raw_size, WINHTTP_NO_HEADER_INDEX);
  if (raw_size > 0) {
    std::wstring raw(raw_size / sizeof(wchar_t) + 1, L'\0');
    if (WinHttpQueryHeaders(handle, WINHTTP_QUERY_RAW_HEADERS_CRLF, WINHTTP_HEADER_NAME_BY_INDEX,
                            raw.data(), &raw_size, WINHTTP_NO_HEADER_INDEX)) {
      raw.resize(raw_size / sizeof(wchar_t));
      response.headers = parse_raw_headers(winhttp_narrow(raw));
    }
  }

  // WinHttpReadData hands over decoded bytes when WinHTTP decompresses: the limit counts those,
  // as CurlTransport's does.
  char buffer[16384];
  for (;;) {
    if (left().count() <= 0) {
      if (watcher.stop())
        owned.handle = nullptr;
      throw_winhttp_error(ERROR_WINHTTP_TIMEOUT, false, request, timeout);
    }
    DWORD read = 0;
    if (!WinHttpReadData(handle, buffer, sizeof(buffer), &read))
      fail(false);
    if (read == 0)
      break;
    if (response.body.size() + read > options.max_response_bytes) {
      if (watcher.stop())
        owned.handle = nullptr;
      ErrorContext context;
      context.method = std::string(to_string(request.method));
      context.path = detail::path_for_errors(request.url);
      throw MalformedResponseError(
          "the response is larger than the limit of " + std::to_string(options.max_response_bytes) +
              " bytes (WinHttpTransportOptions.max_response_bytes); the rest was not read",
          std::move(context));
    }
    response.body.append(buffer, read);
  }
  if (watcher.stop()) {
    owned.handle = nullptr;
    throw_winhttp_cancelled(request, true);
  }
  return response;
}

}  // namespace roserocket
