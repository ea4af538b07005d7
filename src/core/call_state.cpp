#include "core/call_state.hpp"

#include <algorithm>

#include "core/client_core.hpp"
#include "core/json_limits.hpp"
#include "core/redaction.hpp"
#include "objects/nested_writes.hpp"

namespace roserocket::detail {
namespace {

using std::chrono::milliseconds;

const char* const kRequestIdHeaders[] = {"x-request-id", "request-id", "x-amzn-requestid",
                                         "x-correlation-id", "x-amz-cf-id"};

// Fills messages and error_code from a NestJS body {statusCode, message, error}; a body that is
// not JSON (or nests too deep) is quoted, shortened, as the one message. Everything read passes
// the SDK's redaction, with the request's own token among the secrets.
void read_error_body(const std::string& body, const std::string& token, ErrorContext& context) {
  if (body.empty())
    return;
  const std::vector<std::string> secrets{token};
  JsonParse outcome = JsonParse::kOk;
  const auto parsed = parse_json_limited(body, outcome);
  if (outcome != JsonParse::kOk || !parsed.is_object()) {
    std::string snippet = redact_snippet(body, 200, secrets);
    for (auto& c : snippet) {
      if (c == '\n' || c == '\r' || c == '\t')
        c = ' ';
    }
    const char* label = outcome == JsonParse::kTooDeep
                            ? "(JSON nested deeper than the SDK's limit) "
                            : (outcome == JsonParse::kInvalid ? "(not JSON) " : "");
    context.messages.push_back(label + snippet);
    return;
  }
  auto add = [&](const nlohmann::json& m) {
    if (m.is_string()) {
      context.messages.push_back(redact(m.get<std::string>(), secrets));
    } else if (!m.is_null()) {
      context.messages.push_back(
          redact(m.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), secrets));
    }
  };
  if (auto it = parsed.find("message"); it != parsed.end()) {
    if (it->is_array()) {
      for (const auto& m : *it)
        add(m);
    } else {
      add(*it);
    }
  }
  if (auto it = parsed.find("details"); it != parsed.end())
    add(*it);
  if (auto it = parsed.find("error"); it != parsed.end() && it->is_string()) {
    context.error_code = redact(it->get<std::string>(), secrets);
  }
}

std::string request_id_of(const Headers& headers, const std::string& token) {
  for (const char* name : kRequestIdHeaders) {
    if (auto v = headers.get(name))
      return redact_snippet(*v, 200, {token});
  }
  return {};
}

// The `error_kind` of telemetry for an answer with a non-2xx status.
const char* error_kind_of_status(int status) {
  switch (status) {
    case 400:
    case 422:
      return "bad_request";
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 409:
      return "conflict";
    case 429:
      return "rate_limited";
    default:
      return status >= 500 && status <= 599 ? "server_error" : "api_error";
  }
}

}  // namespace

CallAttempts::CallAttempts(const ClientCore& core, const ApiRequest& request)
    : impl_(core),
      request_(request),
      policy_(request.retry ? *request.retry : impl_.options.retry),
      idempotency_(effective_idempotency(request)) {
  const ClientOptions& options = impl_.options;
  context_.operation = request.operation;
  context_.method = std::string(to_string(request.method));
  context_.path = options.api_prefix + request.path;

  http_.method = request.method;
  http_.url.reserve(impl_.url_prefix.size() + request.path.size() + 64);
  http_.url = impl_.url_prefix;
  http_.url += request.path;
  char sep = '?';
  for (const auto& [key, value] : request.query) {
    http_.url += sep;
    http_.url += percent_encode(key);
    http_.url += '=';
    http_.url += percent_encode(value);
    sep = '&';
  }
  http_.headers.add("Accept", "application/json");
  http_.headers.add("User-Agent", impl_.user_agent);
  if (request.body) {
    http_.headers.add("Content-Type", "application/json");
    try {
      http_.body = request.body->dump();
    } catch (const nlohmann::json::type_error&) {
      // nlohmann refuses text that is not UTF-8 (error 316); nothing was sent.
      throw InvalidArgumentError(
          "the request body contains text that is not valid UTF-8; nothing was sent", context_);
    }
  }
  if (options.org_id)
    http_.headers.add("x-org-id", *options.org_id);
  for (const auto& [name, value] : request.headers)
    http_.headers.set(name, value);
  per_attempt_ = request.timeout.count() > 0 ? request.timeout : options.request_timeout;
  http_.cancellation = request.cancellation;

  fields_.operation = request.operation;
  fields_.method = context_.method;
  fields_.path = context_.path;

  started_ = options.clock.steady_now();
  has_deadline_ = request.deadline.count() > 0;
}

milliseconds CallAttempts::since_start() const {
  return std::chrono::duration_cast<milliseconds>(impl_.options.clock.steady_now() - started_);
}

CancelledError CallAttempts::cancelled(const std::string& when, bool maybe_sent) {
  fields_.error_kind = "cancelled";
  fields_.elapsed = since_start();
  impl_.emit(LogRecord{LogLevel::kInfo, request_.operation + ": cancelled " + when, fields_});
  return CancelledError("cancelled " + when + " after " + std::to_string(sent_) + " attempt" +
                            (sent_ == 1 ? "" : "s"),
                        context_, sent_, maybe_sent);
}

DeadlineExceededError CallAttempts::deadline_exceeded(const std::string& why, bool maybe_sent) {
  fields_.error_kind = "deadline_exceeded";
  fields_.elapsed = since_start();
  impl_.emit(LogRecord{LogLevel::kInfo, request_.operation + ": deadline exceeded", fields_});
  return DeadlineExceededError("deadline of " + std::to_string(request_.deadline.count()) +
                                   " ms exceeded after " + std::to_string(sent_) + " attempt" +
                                   (sent_ == 1 ? "" : "s") + (why.empty() ? "" : "; " + why),
                               context_, maybe_sent, sent_);
}

DeadlineExceededError CallAttempts::token_deadline_exceeded(const std::string& why,
                                                            bool maybe_sent) {
  fields_.error_kind = "deadline_exceeded";
  fields_.elapsed = since_start();
  impl_.emit(LogRecord{LogLevel::kInfo,
                       request_.operation + ": deadline exceeded (the cancellation token's)",
                       fields_});
  return DeadlineExceededError(
      "the deadline of the cancellation token (CancellationSource::cancel_after) ran out after " +
          std::to_string(sent_) + " attempt" + (sent_ == 1 ? "" : "s") +
          (why.empty() ? "" : "; " + why),
      context_, maybe_sent, sent_);
}

CancelledError CallAttempts::cancelled_during_backoff() {
  return cancelled("during the backoff", last_maybe_sent_);
}

std::exception_ptr CallAttempts::interrupted_backoff() {
  if (request_.cancellation.deadline_exceeded())
    return std::make_exception_ptr(token_deadline_exceeded("during the backoff", last_maybe_sent_));
  return std::make_exception_ptr(cancelled_during_backoff());
}

HttpRequest& CallAttempts::begin_attempt() {
  const ClientOptions& options = impl_.options;
  if (request_.cancellation.is_cancelled()) {
    if (request_.cancellation.deadline_exceeded())
      throw token_deadline_exceeded("", last_maybe_sent_);
    throw cancelled("before the attempt", last_maybe_sent_);
  }
  http_.timeout = per_attempt_;
  if (has_deadline_) {
    const milliseconds left = request_.deadline - since_start();
    if (left.count() <= 0)
      throw deadline_exceeded("", last_maybe_sent_);
    http_.timeout = std::min(per_attempt_, left);
  }
  // The token's deadline (a whole walk's) bounds the attempt too.
  if (const auto token_left = request_.cancellation.time_left()) {
    if (token_left->count() <= 0)
      throw token_deadline_exceeded("", last_maybe_sent_);
    http_.timeout = std::min(http_.timeout, *token_left);
  }
  ++attempt_;
  ++sent_;
  token_ = options.token_provider->access_token();
  http_.headers.set("Authorization", "Bearer " + token_);
  fields_.attempt = sent_;
  fields_.status = 0;
  fields_.request_id.clear();
  fields_.error_kind.clear();
  fields_.elapsed = since_start();
  impl_.observe(AttemptPhase::kStart, fields_);
  if (options.logger) {
    impl_.emit(LogRecord{LogLevel::kDebug,
                         context_.method + " " + context_.path + " attempt " +
                             std::to_string(sent_) + " (Authorization: Bearer ***)",
                         fields_});
  }
  return http_;
}

bool CallAttempts::may_retry(milliseconds delay, const std::string& why) {
  if (attempt_ >= policy_.max_attempts)
    return false;
  if (delay > policy_.max_retry_after)
    return false;
  const milliseconds elapsed = since_start();
  if (elapsed + delay > policy_.max_total)
    return false;
  if (has_deadline_ && elapsed + delay >= request_.deadline) {
    throw deadline_exceeded("no time left to wait " + std::to_string(delay.count()) +
                                " ms before another attempt; last: " + why,
                            last_maybe_sent_);
  }
  if (const auto token_left = request_.cancellation.time_left();
      token_left && delay >= *token_left) {
    throw token_deadline_exceeded("no time left to wait " + std::to_string(delay.count()) +
                                      " ms before another attempt; last: " + why,
                                  last_maybe_sent_);
  }
  fields_.elapsed = elapsed;
  impl_.emit(LogRecord{
      LogLevel::kInfo,
      request_.operation + ": " + why + "; retrying in " + std::to_string(delay.count()) + " ms",
      fields_});
  return true;
}

bool CallAttempts::wait(milliseconds delay) const {
  const Clock& clock = impl_.options.clock;
  if (!request_.cancellation.can_be_cancelled()) {
    clock.sleep(delay);
    return false;
  }
  if (clock.interruptible_sleep)
    return clock.interruptible_sleep(delay, request_.cancellation);
  clock.sleep(delay);
  return request_.cancellation.is_cancelled();
}

CallAttempts::Next CallAttempts::on_transport_error(const std::exception_ptr& error) {
  last_status_ = 0;
  try {
    std::rethrow_exception(error);
  } catch (const CancelledError& e) {
    fields_.elapsed = since_start();
    fields_.error_kind = "cancelled";
    if (request_.cancellation.deadline_exceeded()) {
      fields_.error_kind = "deadline_exceeded";
      impl_.observe(AttemptPhase::kEnd, fields_);
      throw token_deadline_exceeded("during the transfer", e.request_may_have_been_sent());
    }
    impl_.observe(AttemptPhase::kEnd, fields_);
    throw cancelled("during the transfer", e.request_may_have_been_sent());
  } catch (const TransportError& e) {
    // Only a request that is safe to repeat, or one that never left, is sent again.
    const bool maybe_sent = e.request_may_have_been_sent();
    last_maybe_sent_ = maybe_sent;
    const bool timed_out = dynamic_cast<const TimeoutError*>(&e) != nullptr;
    fields_.elapsed = since_start();
    fields_.error_kind = timed_out ? "timeout" : "transport";
    if (has_deadline_ && timed_out && fields_.elapsed >= request_.deadline) {
      fields_.error_kind = "deadline_exceeded";
      impl_.observe(AttemptPhase::kEnd, fields_);
      throw deadline_exceeded(e.summary(), maybe_sent);
    }
    if (timed_out && request_.cancellation.deadline_exceeded()) {
      fields_.error_kind = "deadline_exceeded";
      impl_.observe(AttemptPhase::kEnd, fields_);
      throw token_deadline_exceeded(e.summary(), maybe_sent);
    }
    impl_.observe(AttemptPhase::kEnd, fields_);
    if (idempotency_ == Idempotency::kIdempotent || !maybe_sent) {
      const milliseconds delay = backoff_delay(policy_, attempt_, impl_.unit_random());
      if (may_retry(delay, e.summary())) {
        Next next;
        next.delay = delay;
        next.wait = true;
        return next;
      }
    }
    // Rethrown with this call's context, keeping the timeout's type.
    const std::string note = maybe_sent ? not_resent_note(request_) : std::string();
    const std::string summary = note.empty() ? e.summary() : e.summary() + "; " + note;
    if (timed_out)
      throw TimeoutError(summary, context_, maybe_sent);
    throw TransportError(summary, context_, maybe_sent);
  }
}

CallAttempts::Next CallAttempts::on_response(HttpResponse&& response) {
  const ClientOptions& options = impl_.options;
  last_maybe_sent_ = true;
  last_status_ = response.status;

  fields_.status = response.status;
  // A server that echoes headers back could put the token anywhere; not into telemetry.
  fields_.request_id = request_id_of(response.headers, token_);
  fields_.elapsed = since_start();
  if (options.logger) {
    impl_.emit(LogRecord{
        LogLevel::kDebug,
        context_.method + " " + context_.path + " -> " + std::to_string(response.status), fields_});
  }

  if (response.status >= 200 && response.status < 300) {
    Next next;
    next.done = true;
    ApiResponse& out = next.response;
    out.status = response.status;
    out.headers = std::move(response.headers);
    if (!response.body.empty()) {
      JsonParse outcome = JsonParse::kOk;
      out.body = parse_json_limited(response.body, outcome);
      if (outcome == JsonParse::kTooDeep) {
        fields_.error_kind = "malformed_response";
        impl_.observe(AttemptPhase::kEnd, fields_);
        context_.status = response.status;
        context_.request_id = fields_.request_id;
        throw MalformedResponseError("the response body is JSON " +
                                         describe_parse_failure(outcome) + " (" +
                                         std::to_string(response.body.size()) + " bytes)",
                                     context_);
      }
      if (outcome != JsonParse::kOk) {
        fields_.error_kind = "malformed_response";
        impl_.observe(AttemptPhase::kEnd, fields_);
        context_.status = response.status;
        context_.request_id = fields_.request_id;
        throw MalformedResponseError("the response body is not valid JSON (" +
                                         std::to_string(response.body.size()) +
                                         " bytes; truncated or not JSON)",
                                     context_);
      }
    }
    impl_.observe(AttemptPhase::kEnd, fields_);
    if (request_.metadata != nullptr) {
      ResponseMetadata& m = *request_.metadata;
      m.status = out.status;
      m.headers = out.headers;
      m.request_id = fields_.request_id;
      m.attempts = sent_;
      m.elapsed = fields_.elapsed;
    }
    return next;
  }

  fields_.error_kind = error_kind_of_status(response.status);
  impl_.observe(AttemptPhase::kEnd, fields_);

  if (response.status == 401 && !auth_retried_ && options.token_provider->invalidate(token_)) {
    auth_retried_ = true;
    --attempt_;  // a refresh is not a retry: it does not use up the policy's attempts
    impl_.emit(LogRecord{LogLevel::kInfo, request_.operation + ": 401, refreshing the token once",
                         fields_});
    return Next{};  // at once, no wait
  }

  std::optional<milliseconds> retry_after;
  if (auto value = response.headers.get("Retry-After")) {
    retry_after = parse_retry_after(*value, options.clock.system_now());
  }
  if (is_retryable_status(response.status, idempotency_)) {
    const auto delay =
        retry_after ? *retry_after : backoff_delay(policy_, attempt_, impl_.unit_random());
    if (may_retry(delay, "status " + std::to_string(response.status))) {
      Next next;
      next.delay = delay;
      next.wait = true;
      next.server_asked = retry_after.has_value();
      return next;
    }
  }

  context_.status = response.status;
  context_.request_id = request_id_of(response.headers, token_);
  read_error_body(response.body, token_, context_);
  // A status only an idempotent request would have been retried on: say why this one was not.
  if (!is_retryable_status(response.status, idempotency_) &&
      is_retryable_status(response.status, Idempotency::kIdempotent)) {
    if (std::string note = not_resent_note(request_); !note.empty())
      context_.messages.push_back(std::move(note));
  }
  throw_api_error(std::move(context_), retry_after);
}

}  // namespace roserocket::detail
