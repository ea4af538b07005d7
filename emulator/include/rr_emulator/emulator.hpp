#pragma once

/// @file
/// @brief `rr_emulator::Emulator`: a stateful local stand-in for the Rose Rocket platform.
///
/// Serves the OAuth 2.0 token endpoint, `/authorize` and every operation of
/// `/api/v2/platformModel` over real HTTP on a loopback port, so examples and integration tests
/// run without vendor credentials. See docs/emulator.md for what it emulates and where it differs.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rr_emulator {

/// @brief Demo client id accepted by default (not a secret: it only unlocks the local emulator).
inline constexpr const char* kDemoClientId = "demo-client-id";
/// @brief Demo client secret accepted by default (only valid against the local emulator).
inline constexpr const char* kDemoClientSecret = "demo-client-secret";
/// @brief Organisation id stamped on records by default.
inline constexpr const char* kDemoOrgId = "2c39fa07-b82c-493f-8ec8-996cd0618612";
/// @brief User id every token acts as by default (the `createdBy`/`updatedBy` of records).
inline constexpr const char* kDemoUserId = "bfcf84aa-55d4-4d58-a8d6-871f0d462a04";

/// @brief How the emulator delivers webhooks (emulator/src/webhooks.cpp). The platform retries
/// 3 times 30 s apart; the emulator retries sooner so tests and examples stay quick.
struct WebhookDeliveryOptions {
  /// Attempts per delivery, the first included (the platform: 4).
  int max_attempts = 4;
  /// Wait before the first retry; each later one waits `backoff_multiplier` times longer.
  std::chrono::milliseconds initial_backoff{100};
  /// Growth of the wait between retries.
  double backoff_multiplier = 2.0;
  /// Limit on one attempt (connect and answer).
  std::chrono::milliseconds attempt_timeout{2000};
};

/// @brief How the emulator is started.
struct Options {
  /// Address to listen on; keep it on loopback.
  std::string host = "127.0.0.1";
  /// Port to listen on; 0 picks any free port (read it back with `Emulator::port()`).
  int port = 0;
  /// The one OAuth client the emulator knows.
  std::string client_id = kDemoClientId;
  /// That client's secret.
  std::string client_secret = kDemoClientSecret;
  /// When not empty: a PEM public key (RSA or EC P-256) of the client, which may then also
  /// authenticate with private_key_jwt (client assertions signed by the matching private key).
  std::string client_public_key_pem;
  /// Lifetime of access tokens (`expires_in`).
  std::chrono::seconds token_ttl{3600};
  /// Lifetime of authorization codes (single use in any case).
  std::chrono::seconds code_ttl{60};
  /// When not empty, records, events and user groups are loaded from and saved to this SQLite
  /// database (one transaction per change; a format-1 JSON data file is imported at start).
  std::string data_file;
  /// The organisation every record belongs to.
  std::string org_id = kDemoOrgId;
  /// The user every issued token acts as.
  std::string user_id = kDemoUserId;
  /// Webhook delivery retries and timeouts.
  WebhookDeliveryOptions webhooks;
  /// How long a write (create, update, upsert, delete) takes to reach the search index: until
  /// then `POST /objects/search` answers the record as it was before the write (a record
  /// created meanwhile is not found, a deleted one still is), while a GET by id is immediate.
  /// 0 (the default): searchable at once. `seed_records` is searchable at once in any case.
  /// Changed while running with `set_search_lag` or `PUT /__emulator/search-lag`.
  std::chrono::milliseconds search_lag{0};
  /// Every time stamp the emulator writes (createdAt, updatedAt, events' createdAt, ...) is
  /// rounded down to a multiple of this, so that writes close together share one `updatedAt`
  /// (1000: every write of one second). 1 ms (the default) is the platform's precision.
  std::chrono::milliseconds timestamp_resolution{1};
};

/// @brief What a delivery fault does to the next webhook deliveries.
enum class DeliveryFaultKind {
  /// The delivery is POSTed twice (same event id), as an at-least-once platform may do.
  kDuplicate,
  /// The delivery waits `delay_ms` first, so later events may overtake it.
  kDelay,
};

/// @brief One injected delivery fault: it applies to the next `count` deliveries queued.
struct DeliveryFault {
  DeliveryFaultKind kind = DeliveryFaultKind::kDuplicate;
  /// Delay for kDelay, in milliseconds.
  int delay_ms = 0;
  /// How many deliveries it applies to; then it is gone.
  int count = 1;
};

/// @brief One webhook delivery (one event to one destination; a duplicate is its own entry).
struct WebhookDelivery {
  /// The envelope's `id` (shared by a duplicate and its original).
  std::string event_id;
  /// The envelope's `type`, e.g. "Order Status Changed".
  std::string event_type;
  /// The record the event is about.
  std::string ref_id;
  /// The destination record and its URL.
  std::string destination_id;
  std::string url;
  /// Attempts made so far.
  int attempts = 0;
  /// Status of the last attempt; 0 when it got no HTTP answer.
  int last_status = 0;
  /// "pending", "delivered" (a 2xx) or "failed" (attempts used up, or a URL not on loopback).
  std::string state = "pending";
  /// True for the extra copy a kDuplicate fault made.
  bool duplicate = false;
  /// The envelope POSTed, as JSON text.
  std::string body;
};

/// @brief What a fault does to a matching request.
enum class FaultKind {
  /// Answer with `status`, an optional `Retry-After`, and a NestJS error body.
  kStatus,
  /// Wait `delay_ms`, then handle the request normally.
  kDelay,
  /// Send headers and part of the body, then abort the connection.
  kDrop,
  /// Send a complete HTTP response whose JSON body is cut short (status 200 by default).
  kTruncatedBody,
  /// Send a complete response whose body is not JSON (an HTML page; status 200 by default).
  kNonJsonBody,
  /// Handle the request normally (a write is committed), then lose its answer: send the
  /// headers and half the body, then abort the connection, as a proxy that fails after the
  /// server acted does.
  kCommitThenDrop,
};

/// @brief One injected fault: it answers the next `count` requests that match it.
struct Fault {
  /// HTTP method to match ("GET", ...); empty matches any method.
  std::string method;
  /// Path prefix to match, e.g. "/api/v2/platformModel/objects" or "/oauth/token".
  std::string path_prefix = "/";
  FaultKind kind = FaultKind::kStatus;
  /// Status for kStatus (default 503), kTruncatedBody and kNonJsonBody (default 200 for those
  /// two when left at 0).
  int status = 0;
  /// `Retry-After` header value for kStatus (seconds or an HTTP-date), if any.
  std::optional<std::string> retry_after;
  /// `message` of the NestJS body for kStatus; a default per status when empty.
  std::string message;
  /// Delay for kDelay, in milliseconds.
  int delay_ms = 0;
  /// How many matching requests this fault answers; then it is gone.
  int count = 1;
};

/// @brief Counters of what the emulator has served since start (or the last reset).
struct Stats {
  /// Token endpoint requests by `grant_type` ("client_credentials", ...; "(none)" if missing).
  std::map<std::string, std::uint64_t> token_requests;
  /// API requests by "METHOD /path" (the path without query string).
  std::map<std::string, std::uint64_t> api_requests;
  /// TCP connections accepted.
  std::uint64_t accepted_connections = 0;
  /// Requests answered by an injected fault.
  std::uint64_t faults_served = 0;
};

/// @brief The local Rose Rocket platform.
///
/// Thread safety: every member function may be called from any thread, concurrently with
/// requests being served. `start()` and `stop()` must not race each other.
class Emulator {
 public:
  /// @brief Prepares an emulator; nothing listens until `start()`.
  explicit Emulator(Options options = {});
  /// @brief Stops the server if it is running.
  ~Emulator();
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  /// @brief Loads `data_file` (if set), binds and starts serving; returns once listening.
  /// @throw std::runtime_error if the port cannot be bound or the data file is unreadable.
  void start();
  /// @brief Stops serving and waits for the server thread and the webhook delivery thread
  /// (deliveries not yet made are dropped). Idempotent.
  void stop();
  /// @brief Whether the server is listening.
  [[nodiscard]] bool running() const;

  /// @brief The bound port (after `start()`).
  [[nodiscard]] int port() const;
  /// @brief "http://HOST:PORT" (the OAuth endpoints live here).
  [[nodiscard]] std::string base_url() const;
  /// @brief "http://HOST:PORT/api/v2/platformModel".
  [[nodiscard]] std::string api_base_url() const;
  /// @brief "http://HOST:PORT/oauth/token".
  [[nodiscard]] std::string token_url() const;
  /// @brief "http://HOST:PORT/.well-known/jwks.json": the keys that sign the ID tokens, whose
  /// issuer (`iss`) is `base_url()`.
  [[nodiscard]] std::string jwks_url() const;
  /// @brief The options the emulator runs with.
  [[nodiscard]] const Options& options() const noexcept;

  /// @brief Adds a fault; faults are matched in the order they were added.
  void add_fault(const Fault& fault);
  /// @brief Removes every pending fault.
  void clear_faults();
  /// @brief A snapshot of the counters.
  [[nodiscard]] Stats stats() const;
  /// @brief Creates records of @p object_key in-process and in bulk, without HTTP (for tests
  /// that need thousands of records). Each item is the `json` of a create; an item may also
  /// carry `createdAt` and `updatedAt`, kept as given (ISO-8601 text), so that tests can build
  /// ties and orderings that real clocks would not.
  /// @return the new records' ids, in the order of @p records.
  /// @throw std::invalid_argument naming the item and the problem when the API would refuse
  /// it; records before it stay created.
  std::vector<std::string> seed_records(const std::string& object_key,
                                        const std::vector<nlohmann::json>& records);

  /// @brief Adds a webhook delivery fault (also `POST /__emulator/webhooks/faults`).
  void add_delivery_fault(const DeliveryFault& fault);
  /// @brief Every webhook delivery since start (or the last reset), oldest first (also
  /// `GET /__emulator/webhooks`).
  [[nodiscard]] std::vector<WebhookDelivery> webhook_deliveries() const;
  /// @brief Forgets every record, event, user group, fault, counter and webhook delivery (issued
  /// tokens stay valid). With a data file, the emptied state is saved.
  void reset();
  /// @brief Sets the search index's lag (see Options::search_lag) from now on; writes already
  /// queued keep the time they were due. Also `PUT /__emulator/search-lag {"lagMs": N}`.
  /// @throw std::invalid_argument for a negative lag.
  void set_search_lag(std::chrono::milliseconds lag);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rr_emulator
