#pragma once

/// @file
/// @brief `Client`: authentication, retries, timeouts and error mapping over one `HttpTransport`.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "roserocket/auth/token_provider.hpp"
#include "roserocket/cancellation.hpp"
#include "roserocket/errors.hpp"
#include "roserocket/export.hpp"
#include "roserocket/http/curl_transport.hpp"
#include "roserocket/http/transport.hpp"
#include "roserocket/logging.hpp"
#include "roserocket/retry.hpp"

namespace roserocket {

class ObjectsApi;
class Boards;
class Events;
class UserGroups;
class Webhooks;
struct OAuthOptions;

/// @brief Reads one environment variable by name: its value, or empty when it is not set (an
/// empty value counts as not set). `ClientOptions::from_env` takes one, so that tests can pass
/// a map instead of the process environment.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

/// @brief The process environment (`std::getenv`) as an `EnvironmentLookup`.
[[nodiscard]] ROSEROCKET_API EnvironmentLookup process_environment();
namespace detail {
struct ClientState;  // private: the state every copy of a client shares (src/core/)
}  // namespace detail

// Typed records and their facades (roserocket/resources/resource.hpp), declared from the catalog.
namespace model {
#define RR_OBJECT_BEGIN(Type, object_key, prefix, prefix_provenance, display) class Type;
#include "roserocket/model/catalog.def"
}  // namespace model
template <class T>
class Resource;
#define RR_FACADE(Type, Facade, method) using Facade = Resource<model::Type>;
#include "roserocket/model/catalog.def"

/// @brief Everything a `Client` is configured with.
///
/// Precedence: what a field says is what the client does; the constructor reads nothing from the
/// environment. `from_env()` makes options from the `RR_*` variables that the examples and `rr`
/// read.
struct ROSEROCKET_API ClientOptions {
  /// Scheme and host, no path: "https://network.roserocket.com" or "https://<org>.roserocket.com".
  std::string base_url = "https://network.roserocket.com";
  /// Path prefix of the platform-model API.
  std::string api_prefix = "/api/v2/platformModel";
  /// Source of bearer tokens. Required.
  std::shared_ptr<TokenProvider> token_provider;
  /// Which failures are retried, how often and how long apart (see ADR 0003).
  RetryPolicy retry;
  /// Limit on one attempt (connect to last byte). Connect has its own limit in `transport_options`.
  std::chrono::milliseconds request_timeout{30000};
  /// Sent as `x-org-id` on every request when set (scopes the multi-tenant host).
  std::optional<std::string> org_id;
  /// Receives one record per attempt and per retry decision; tokens are never in them.
  Logger logger;
  /// Called at the start and end of every attempt with the attempt's fields (see
  /// `AttemptEvent`); tokens are never in them.
  RequestObserver observer;
  /// The transport; when null a `CurlTransport` is made from `transport_options`.
  std::shared_ptr<HttpTransport> transport;
  /// Used only when `transport` is null.
  CurlTransportOptions transport_options;
  /// Appended to the user agent, e.g. "my-erp-sync/2.3".
  std::string user_agent_suffix;
  /// Time source and sleep for retries; tests replace it so that backoff takes no real time.
  Clock clock = Clock::real();
  /// Seed of the jitter's random numbers; 0 draws one from the system.
  std::uint64_t jitter_seed = 0;
  /// Plain `http://` is refused unless the host is loopback (127.0.0.0/8, ::1, localhost).
  /// Setting this lets bearer tokens cross the network unencrypted: only for a test network.
  bool dangerously_allow_plain_http = false;

  /// @brief Options from the `RR_*` environment variables (the process environment).
  ///
  /// - `RR_BASE_URL`: the API host (default `https://network.roserocket.com`).
  /// - `RR_ACCESS_TOKEN`: a bearer token used as is (`StaticTokenProvider`); otherwise
  /// - `RR_CLIENT_ID` and `RR_CLIENT_SECRET`: the client-credentials grant, at `RR_TOKEN_URL`
  ///   when set, else at the token endpoint that belongs with `RR_BASE_URL`
  ///   (`oauth_endpoints_for`: Rose Rocket's tenant for a `*.roserocket.com` host, the same
  ///   origin for a loopback one, such as the emulator). For any other host `RR_TOKEN_URL` (or
  ///   `RR_ISSUER`, whose discovery document names it) is required: the client secret is never
  ///   sent to a host the environment does not name.
  /// - `RR_AUDIENCE` (default `https://roserocket.com`), `RR_ISSUER` (OpenID discovery),
  ///   `RR_ORG_ID` (sent as `x-org-id`).
  ///
  /// Everything else keeps its default; change the returned options as you like.
  /// @throw InvalidArgumentError naming the variable to set: no credentials, a client id without
  /// a secret (or the reverse), no known token endpoint for `RR_BASE_URL`, or an unsafe URL.
  [[nodiscard]] static ClientOptions from_env();
  /// @brief As `from_env()`, reading the variables through @p lookup.
  [[nodiscard]] static ClientOptions from_env(const EnvironmentLookup& lookup);
  /// @brief As `from_env(lookup)`, starting the client-credentials settings from @p oauth
  /// (its transport, clock, retry policy, logger...); the variables that are set override its
  /// endpoints, credentials and audience.
  [[nodiscard]] static ClientOptions from_env(const EnvironmentLookup& lookup,
                                              const OAuthOptions& oauth);
};

/// @brief What the server said on success, besides the body: set through
/// `RequestOptions::metadata` (or `ApiRequest::metadata`). A value type.
struct ResponseMetadata {
  /// The 2xx status, e.g. 200 or 201.
  int status = 0;
  /// The answer's headers.
  Headers headers;
  /// The server's request id header (`x-request-id`, ...), empty when it sent none.
  std::string request_id;
  /// Attempts sent, the successful one included (a 401 refresh counts as one more).
  int attempts = 0;
  /// Time from the start of the call to the end of the answer, backoff included.
  std::chrono::milliseconds elapsed{0};
};

/// @brief One API call, as the layers above `Client` describe it.
struct ROSEROCKET_API ApiRequest {
  /// SDK operation name for errors and logs, e.g. "objects.get".
  std::string operation;
  /// HTTP method.
  HttpMethod method = HttpMethod::kGet;
  /// Path below `api_prefix`, already percent-encoded, e.g. "/objects/<id>".
  std::string path;
  /// Query parameters, not yet encoded; the client encodes them.
  std::vector<std::pair<std::string, std::string>> query;
  /// JSON body; none when empty.
  std::optional<nlohmann::json> body;
  /// Whether sending the request twice can act twice; decides the retries.
  Idempotency idempotency = Idempotency::kIdempotent;
  /// Extra headers for this call only.
  Headers headers;
  /// Overrides `ClientOptions::request_timeout` when non-zero.
  std::chrono::milliseconds timeout{0};
  /// Budget of the whole call, every attempt and backoff included; zero means none. When it runs
  /// out the call throws `DeadlineExceededError`.
  std::chrono::milliseconds deadline{0};
  /// Replaces `ClientOptions::retry` for this call (e.g. `RetryPolicy::none()`).
  std::optional<RetryPolicy> retry;
  /// Cancels the call from another thread (`CancelledError`).
  CancellationToken cancellation;
  /// Filled in on success when not null.
  ResponseMetadata* metadata = nullptr;
};

/// @brief A 2xx answer, parsed.
struct ROSEROCKET_API ApiResponse {
  /// The HTTP status (2xx).
  int status = 0;
  /// The response headers.
  Headers headers;
  /// The parsed body; `nullptr` (JSON null) when the body was empty.
  nlohmann::json body;
};

/// @brief The entry point: holds configuration, credentials and connections.
///
/// Copies are cheap and share one configuration, token cache and connection pool.
/// Thread safety: every member function may be called from any number of threads at once.
class ROSEROCKET_API Client {
 public:
  /// @throw InvalidArgumentError for a missing token provider, a malformed base URL, or plain
  /// `http://` to a non-loopback host without `dangerously_allow_plain_http`.
  explicit Client(ClientOptions options);

  /// @brief Record operations (create, get, update, search, ...).
  [[nodiscard]] ObjectsApi objects() const;

  /// @brief The typed facade of each documented object, one member function per catalog
  /// `RR_FACADE` line: `customers()`, `orders()`, `tasks()`, ... `contacts()` (include
  /// roserocket/resources/resource.hpp to use them).
#define RR_FACADE(Type, Facade, method) [[nodiscard]] Facade method() const;
#include "roserocket/model/catalog.def"

  /// @brief `GET /boards/nav` (roserocket/objects/boards.hpp).
  [[nodiscard]] Boards boards() const;
  /// @brief `GET/POST /events` (roserocket/objects/events.hpp).
  [[nodiscard]] Events events() const;
  /// @brief `/userGroups` and their members (roserocket/objects/user_groups.hpp).
  [[nodiscard]] UserGroups user_groups() const;
  /// @brief Webhook destinations and subscriptions (roserocket/webhooks/webhooks.hpp).
  [[nodiscard]] Webhooks webhooks() const;

  /// @brief Sends @p request with auth, retries and error mapping.
  /// @return the 2xx response with its body parsed as JSON.
  /// @throw ApiError subclasses for non-2xx answers, TransportError (TimeoutError,
  /// DeadlineExceededError when `request.deadline` ran out), CancelledError,
  /// MalformedResponseError, AuthError.
  ApiResponse call(const ApiRequest& request) const;

  /// @brief The options this client was made with (token provider and transport included).
  [[nodiscard]] const ClientOptions& options() const noexcept;

 private:
  friend struct detail::ClientState;
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

/// @brief Percent-encodes @p value for use as one path segment or query value (RFC 3986
/// unreserved characters pass through; everything else, '/' '?' '#' '%' included, is encoded).
[[nodiscard]] ROSEROCKET_API std::string percent_encode(std::string_view value);

}  // namespace roserocket
