#pragma once

// Private: what one libcurl easy transfer needs, shared by CurlTransport (one transfer per call)
// and the bulk engine's multi loop (many transfers on one multi handle): handle setup from
// CurlTransportOptions, the header list, the write/header/progress/prereq callbacks and the
// mapping of a failed transfer to the SDK's errors.

#include <curl/curl.h>

#include <cstddef>
#include <memory>
#include <string>

#include "roserocket/http/curl_transport.hpp"
#include "roserocket/http/transport.hpp"

// CURLOPT_PREREQFUNCTION (7.80) tells exactly when a request is about to leave on a connection.
#if LIBCURL_VERSION_NUM >= 0x075000
#define ROSEROCKET_HAVE_PREREQ 1
#else
#define ROSEROCKET_HAVE_PREREQ 0
#endif

namespace roserocket::detail {

// libcurl's global state is set up once per process and never torn down.
void ensure_curl_global_init();

// What the callbacks of one transfer write to.
struct Transfer {
  HttpResponse* response = nullptr;
  // How many times libcurl was about to send the request (more than one: it re-sent it on a new
  // connection after a reused one died).
  int send_starts = 0;
  // POST and PATCH may create records; libcurl must not re-send them on its own.
  bool forbid_resend = false;
  // Most bytes (header lines plus body) this response may take; passing it stops the transfer.
  std::size_t max_bytes = 0;
  std::size_t header_bytes = 0;
  // Set when the response announced or sent more than max_bytes.
  bool too_large = false;
  // The caller's cancellation; the progress callback aborts the transfer once it is set.
  const CancellationToken* cancellation = nullptr;
  bool cancelled = false;
};

// Frees a curl_slist when the transfer ends, however it ends.
struct SlistDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

// The per-transport strings libcurl keeps pointers to (they must outlive every handle).
struct CurlSettings {
  CurlTransportOptions options;
  std::string user_agent;
  std::string proxy_user;
  std::string proxy_password;
  std::string proxy_url_secret;

  explicit CurlSettings(CurlTransportOptions o);
};

// The settings of @p transport when it is a live CurlTransport (the bulk engine then runs its
// transfers itself, set up the same way); null for any other transport.
std::shared_ptr<const CurlSettings> curl_settings_of(const HttpTransport* transport);

// Sets the options that are the same for every request of @p settings on @p c; @p error_buffer
// (CURL_ERROR_SIZE bytes) receives libcurl's detailed error text.
void configure_easy(CURL* c, const CurlSettings& settings, char* error_buffer);

// The request's header lines, checked (InvalidArgumentError before anything reaches the wire).
// @p sends_body tells whether the request carries a body (POST, PUT, PATCH or a non-empty one).
Slist build_header_list(const HttpRequest& request, bool& sends_body);

// Points @p c at @p request for one transfer (every per-request option is set again).
void bind_request(CURL* c, const HttpRequest& request, curl_slist* headers, bool sends_body,
                  Transfer& transfer, long timeout_ms);

// Clears the pointers into one call's data, so none outlives it inside a pooled handle.
void unbind_request(CURL* c);

// Throws the SDK's error for the failed transfer: TimeoutError, TransportError,
// CancelledError or MalformedResponseError (response too large).
[[noreturn]] void throw_transfer_error(CURLcode code, CURL* c, const char* error_text,
                                       const HttpRequest& request, const Transfer& transfer,
                                       long timeout_ms, const CurlSettings& settings);

}  // namespace roserocket::detail
