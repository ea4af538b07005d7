#include "roserocket/errors.hpp"

#include <utility>

#include "core/redaction.hpp"

namespace roserocket {
namespace {

// what() reads: "<operation>: <summary> (<METHOD> <path> -> <status>): <messages> [request id
// <id>]".
std::string describe(const std::string& summary, const ErrorContext& c) {
  std::string out;
  if (!c.operation.empty())
    out += c.operation + ": ";
  out += summary;
  if (!c.method.empty() || c.status != 0) {
    out += " (";
    if (!c.method.empty())
      out += c.method + " " + c.path;
    if (c.status != 0)
      out += (c.method.empty() ? "" : " -> ") + std::to_string(c.status);
    if (!c.error_code.empty())
      out += " " + c.error_code;
    out += ")";
  } else if (!c.error_code.empty()) {
    out += " (" + c.error_code + ")";
  }
  if (!c.messages.empty()) {
    out += ": ";
    for (std::size_t i = 0; i < c.messages.size(); ++i) {
      if (i > 0)
        out += "; ";
      out += c.messages[i];
    }
  }
  if (!c.request_id.empty())
    out += " [request id " + c.request_id + "]";
  return out;
}

// Every text an error carries passes the one redaction mechanism, whoever built it.
ErrorContext redacted(ErrorContext c) {
  for (auto& m : c.messages)
    m = detail::redact(std::move(m));
  c.error_code = detail::redact(std::move(c.error_code));
  c.request_id = detail::redact(std::move(c.request_id));
  c.path = detail::redact(std::move(c.path));
  return c;
}

}  // namespace

Error::Error(const std::string& summary, ErrorContext context)
    : std::runtime_error(describe(detail::redact(summary), redacted(context))),
      summary_(detail::redact(summary)),
      context_(redacted(std::move(context))) {}

InvalidArgumentError::InvalidArgumentError(const std::string& summary, ErrorContext context)
    : Error(summary, std::move(context)) {}

ReadOnlyFieldError::ReadOnlyFieldError(std::string object_key, std::string field,
                                       std::string reason)
    : InvalidArgumentError("field '" + field + "' of " +
                           (object_key.empty() ? std::string("a record") : object_key) +
                           " is read-only: " + reason),
      object_key_(std::move(object_key)),
      field_(std::move(field)),
      reason_(std::move(reason)) {}

namespace {

std::string not_loaded_summary(const std::string& object_key, const std::string& connection,
                               const std::string& record_id) {
  std::string record = object_key.empty() ? std::string("the record") : object_key;
  if (!record_id.empty())
    record += " " + record_id;
  return "'" + connection + "' of " + record +
         " was not loaded: the record was read without it, which is not the same as having "
         "none. Add \"" +
         connection +
         "\" to the paths of the get or search (RequestOptions::paths, or the typed path "
         "constant; for a record read inside another, the dot path from the record read, such as "
         "\"tasks.commodities\"), or test loaded(\"" +
         connection + "\") first";
}

}  // namespace

NotLoadedError::NotLoadedError(std::string object_key, std::string connection,
                               const std::string& record_id)
    : InvalidArgumentError(not_loaded_summary(object_key, connection, record_id)),
      object_key_(std::move(object_key)),
      connection_(std::move(connection)) {}

TransportError::TransportError(const std::string& summary, ErrorContext context,
                               bool request_may_have_been_sent)
    : Error(summary, std::move(context)), maybe_sent_(request_may_have_been_sent) {}

TimeoutError::TimeoutError(const std::string& summary, ErrorContext context,
                           bool request_may_have_been_sent)
    : TransportError(summary, std::move(context), request_may_have_been_sent) {}

DeadlineExceededError::DeadlineExceededError(const std::string& summary, ErrorContext context,
                                             bool request_may_have_been_sent, int attempts)
    : TimeoutError(summary, std::move(context), request_may_have_been_sent), attempts_(attempts) {}

CancelledError::CancelledError(const std::string& summary, ErrorContext context, int attempts,
                               bool request_may_have_been_sent)
    : Error(summary, std::move(context)),
      attempts_(attempts),
      maybe_sent_(request_may_have_been_sent) {}

MalformedResponseError::MalformedResponseError(const std::string& summary, ErrorContext context)
    : Error(summary, std::move(context)) {}

AuthError::AuthError(const std::string& summary, ErrorContext context)
    : Error(summary, std::move(context)) {}

ApiError::ApiError(const std::string& summary, ErrorContext context)
    : Error(summary, std::move(context)) {}

RateLimitedError::RateLimitedError(const std::string& summary, ErrorContext context,
                                   std::optional<std::chrono::milliseconds> retry_after)
    : ApiError(summary, std::move(context)), retry_after_(retry_after) {}

void throw_api_error(ErrorContext context, std::optional<std::chrono::milliseconds> retry_after) {
  const int status = context.status;
  switch (status) {
    case 400:
    case 422:
      throw BadRequestError("the server rejected the request", std::move(context));
    case 401:
      throw UnauthorizedError("not authorized: the token is missing, malformed or expired",
                              std::move(context));
    case 403:
      throw ForbiddenError("forbidden: the token's user lacks the permission", std::move(context));
    case 404:
      throw NotFoundError("not found", std::move(context));
    case 409:
      throw ConflictError("conflict with the current state", std::move(context));
    case 429:
      throw RateLimitedError("rate limited", std::move(context), retry_after);
    default:
      break;
  }
  if (status >= 500 && status <= 599)
    throw ServerError("server error", std::move(context));
  throw ApiError("unexpected status " + std::to_string(status), std::move(context));
}

}  // namespace roserocket
