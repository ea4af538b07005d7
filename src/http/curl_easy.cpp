#include "http/curl_easy.hpp"

#include <cstdint>
#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <utility>

#include "http/url.hpp"
#include "roserocket/errors.hpp"
#include "roserocket/version.hpp"

namespace roserocket::detail {
namespace {

// Counts @p n more bytes against the transfer's limit; false (and too_large) once past it.
bool within_limit(Transfer& transfer, std::size_t n) {
  const std::size_t used = transfer.header_bytes + transfer.response->body.size();
  if (used > transfer.max_bytes || n > transfer.max_bytes - used) {
    transfer.too_large = true;
    return false;
  }
  return true;
}

// libcurl's progress callback: a non-zero answer aborts the transfer (CURLE_ABORTED_BY_CALLBACK).
int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* transfer = static_cast<Transfer*>(user);
  if (transfer->cancellation != nullptr && transfer->cancellation->is_cancelled()) {
    transfer->cancelled = true;
    return 1;
  }
  return 0;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (!within_limit(*transfer, n))
    return 0;  // libcurl stops at once with CURLE_WRITE_ERROR
  try {
    transfer->response->body.append(data, n);
  } catch (...) {
    return 0;  // makes libcurl fail with CURLE_WRITE_ERROR instead of unwinding through C
  }
  return n;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (!within_limit(*transfer, n))
    return 0;
  transfer->header_bytes += n;
  try {
    std::string_view line(data, n);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n'))
      line.remove_suffix(1);
    if (line.empty())
      return n;
    HttpResponse& response = *transfer->response;
    if (line.rfind("HTTP/", 0) == 0) {
      // A new status line (after a 100 Continue, say): only the final response's fields count.
      response.headers = Headers();
      return n;
    }
    if (line.front() == ' ' || line.front() == '\t')
      return n;  // obsolete line folding: ignored
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0)
      return n;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && is_space(value.front()))
      value.remove_prefix(1);
    while (!value.empty() && is_space(value.back()))
      value.remove_suffix(1);
    const std::string_view name = line.substr(0, colon);
    if (name.size() == 14 && iequals(name, "Content-Length")) {
      // A body announced larger than the limit is refused before any of it arrives; one within
      // it is sized once, which saves the copies of repeated growth.
      std::size_t length = 0;
      bool digits = !value.empty();
      bool over = false;
      for (char c : value) {
        if (c < '0' || c > '9') {
          digits = false;
          break;
        }
        const auto d = static_cast<std::size_t>(c - '0');
        if (length > (SIZE_MAX - d) / 10) {
          over = true;  // more than any size_t: certainly past the limit
          break;
        }
        length = length * 10 + d;
      }
      if (digits && (over || length > transfer->max_bytes)) {
        transfer->too_large = true;
        return 0;
      }
      if (digits)
        response.body.reserve(length);
    }
    response.headers.add(std::string(name), std::string(value));
  } catch (...) {
    return 0;
  }
  return n;
}

#if ROSEROCKET_HAVE_PREREQ
int on_prereq(void* user, char* /*conn_primary_ip*/, char* /*conn_local_ip*/,
              int /*conn_primary_port*/, int /*conn_local_port*/) {
  auto* transfer = static_cast<Transfer*>(user);
  ++transfer->send_starts;
  if (transfer->send_starts > 1 && transfer->forbid_resend)
    return CURL_PREREQFUNC_ABORT;
  return CURL_PREREQFUNC_OK;
}
#endif

#if !ROSEROCKET_HAVE_PREREQ
// Errors that libcurl reports only before any byte of the request was written.
bool fails_before_sending(CURLcode code) {
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
      return true;
    default:
      return false;
  }
}
#endif

// Removes @p secret from @p text, in case libcurl's error text quotes a proxy URL.
void redact(std::string& text, const std::string& secret) {
  if (secret.empty())
    return;
  for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos)) {
    text.replace(pos, secret.size(), "***");
  }
}

// The part of a proxy URL between "://" and "@", if any ("user:password").
std::string proxy_userinfo(const std::string& proxy) {
  const auto scheme = proxy.find("://");
  const auto begin = scheme == std::string::npos ? 0 : scheme + 3;
  const auto at = proxy.find('@', begin);
  if (at == std::string::npos)
    return {};
  return proxy.substr(begin, at - begin);
}

// Simple loops rather than find_first_of: these run over every header of every request.
bool has_line_break(std::string_view s) {
  for (const char c : s) {
    if (c == '\r' || c == '\n' || c == '\0')
      return true;
  }
  return false;
}

bool is_valid_header_name(std::string_view name) {
  if (name.empty())
    return false;
  for (const char c : name) {
    if (c == ':' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0')
      return false;
  }
  return true;
}

void append(Slist& list, const std::string& line) {
  curl_slist* grown = curl_slist_append(list.get(), line.c_str());
  if (grown == nullptr)
    throw std::bad_alloc();
  list.release();
  list.reset(grown);
}

}  // namespace

void ensure_curl_global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw TransportError("libcurl global initialisation failed", {}, false);
    }
  });
}

CurlSettings::CurlSettings(CurlTransportOptions o) : options(std::move(o)) {
  user_agent = options.user_agent.empty() ? default_user_agent() : options.user_agent;
  const auto colon = options.proxy_credentials.find(':');
  proxy_user = options.proxy_credentials.substr(0, colon);
  if (colon != std::string::npos)
    proxy_password = options.proxy_credentials.substr(colon + 1);
  proxy_url_secret = proxy_userinfo(options.proxy);
}

void configure_easy(CURL* c, const CurlSettings& settings, char* error_buffer) {
  const CurlTransportOptions& options = settings.options;
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt(c, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, options.verify_peer ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, options.verify_peer ? 2L : 0L);
  if (!options.ca_file.empty())
    curl_easy_setopt(c, CURLOPT_CAINFO, options.ca_file.c_str());
  if (!options.ca_path.empty())
    curl_easy_setopt(c, CURLOPT_CAPATH, options.ca_path.c_str());
  if (!options.proxy.empty())
    curl_easy_setopt(c, CURLOPT_PROXY, options.proxy.c_str());
  if (!options.proxy_credentials.empty()) {
    curl_easy_setopt(c, CURLOPT_PROXYUSERNAME, settings.proxy_user.c_str());
    curl_easy_setopt(c, CURLOPT_PROXYPASSWORD, settings.proxy_password.c_str());
  }
  if (!options.no_proxy.empty())
    curl_easy_setopt(c, CURLOPT_NOPROXY, options.no_proxy.c_str());
  curl_easy_setopt(c, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
  curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, options.tcp_keepalive ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, settings.user_agent.c_str());
  // "" offers every coding this libcurl decodes; on_body then counts decoded bytes.
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, options.accept_compressed ? "" : nullptr);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &on_progress);
#if ROSEROCKET_HAVE_PREREQ
  curl_easy_setopt(c, CURLOPT_PREREQFUNCTION, &on_prereq);
#endif
}

Slist build_header_list(const HttpRequest& request, bool& sends_body) {
  Slist headers;
  std::string line;  // reused: one buffer for all the header lines
  bool has_content_type = false;
  for (const auto& [name, value] : request.headers) {
    if (!is_valid_header_name(name)) {
      throw InvalidArgumentError("a header name is empty or contains ':', a space or a line break");
    }
    if (has_line_break(value)) {
      throw InvalidArgumentError("the value of header '" + name + "' contains a line break");
    }
    if (iequals(name, "Content-Type"))
      has_content_type = true;
    // "Name;" is libcurl's way of sending a field with an empty value.
    line.assign(name);
    if (value.empty()) {
      line += ';';
    } else {
      line += ": ";
      line += value;
    }
    append(headers, line);
  }
  sends_body = !request.body.empty() || request.method == HttpMethod::kPost ||
               request.method == HttpMethod::kPut || request.method == HttpMethod::kPatch;
  if (sends_body) {
    // No "Expect: 100-continue" round trip for large bodies, and no invented form content type.
    append(headers, "Expect:");
    if (!has_content_type)
      append(headers, "Content-Type:");
  }
  return headers;
}

void bind_request(CURL* c, const HttpRequest& request, curl_slist* headers, bool sends_body,
                  Transfer& transfer, long timeout_ms) {
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &transfer);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, transfer.cancellation != nullptr ? 0L : 1L);
#if ROSEROCKET_HAVE_PREREQ
  curl_easy_setopt(c, CURLOPT_PREREQDATA, &transfer);
#endif
  if (sends_body) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(c, CURLOPT_POST, 1L);
  } else {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, nullptr);
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  }
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST,
                   request.method == HttpMethod::kGet || request.method == HttpMethod::kPost
                       ? nullptr
                       : to_string(request.method).data());
}

void unbind_request(CURL* c) {
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, nullptr);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, nullptr);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, nullptr);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, nullptr);
#if ROSEROCKET_HAVE_PREREQ
  curl_easy_setopt(c, CURLOPT_PREREQDATA, nullptr);
#endif
}

void throw_transfer_error(CURLcode code, CURL* c, const char* error_text,
                          const HttpRequest& request, const Transfer& transfer, long timeout_ms,
                          const CurlSettings& settings) {
  const CurlTransportOptions& options = settings.options;
#if ROSEROCKET_HAVE_PREREQ
  // Nothing was sent unless libcurl got as far as handing the request to a connection. Once
  // it did, even a later connect failure (libcurl re-connecting after a reused connection
  // died) leaves the first copy possibly delivered.
  const bool maybe_sent = transfer.send_starts > 0;
  (void)c;
#else
  curl_off_t connected_us = 0;
  curl_easy_getinfo(c, CURLINFO_CONNECT_TIME_T, &connected_us);
  const bool maybe_sent =
      !(fails_before_sending(code) || (code == CURLE_OPERATION_TIMEDOUT && connected_us == 0));
#endif
  ErrorContext context;
  context.method = std::string(to_string(request.method));
  context.path = path_for_errors(request.url);
  if (transfer.too_large) {
    throw MalformedResponseError(
        "the response is larger than the limit of " + std::to_string(options.max_response_bytes) +
            " bytes (CurlTransportOptions.max_response_bytes); the rest was not read",
        std::move(context));
  }
  if (transfer.cancelled) {
    throw CancelledError(std::string("cancelled during the transfer") +
                             (maybe_sent ? " (the request may have reached the server)"
                                         : " (the request was not sent)"),
                         std::move(context), 1, maybe_sent);
  }

  std::string summary;
  if (code == CURLE_OPERATION_TIMEDOUT && maybe_sent) {
    summary = "timed out (limit " + std::to_string(timeout_ms) + " ms)";
  } else if (code == CURLE_OPERATION_TIMEDOUT) {
    summary = "timed out before a connection was established (connect limit " +
              std::to_string(options.connect_timeout.count()) + " ms)";
  } else if (code == CURLE_ABORTED_BY_CALLBACK && transfer.send_starts > 1) {
    summary =
        "the connection closed before any response; not re-sent automatically because "
        "the request may have reached the server";
  } else {
    summary = curl_easy_strerror(code);
  }
  std::string detail(error_text != nullptr ? error_text : "");
  if (!detail.empty())
    summary += ": " + detail;
  summary +=
      maybe_sent ? " (the request may have reached the server)" : " (the request was not sent)";
  redact(summary, settings.proxy_password);
  redact(summary, settings.proxy_url_secret);
  if (code == CURLE_OPERATION_TIMEDOUT)
    throw TimeoutError(summary, std::move(context), maybe_sent);
  throw TransportError(summary, std::move(context), maybe_sent);
}

}  // namespace roserocket::detail
