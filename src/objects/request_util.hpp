#pragma once

// Private helpers shared by Boards, Events and UserGroups: request building and input checks.

#include <string>
#include <string_view>

#include "roserocket/client.hpp"
#include "roserocket/objects/objects_api.hpp"

namespace roserocket::detail {

/// An `ApiRequest` carrying the per-call headers and timeout of @p options.
inline ApiRequest make_request(const char* operation, HttpMethod method, std::string path,
                               const RequestOptions& options,
                               Idempotency idempotency = Idempotency::kIdempotent) {
  ApiRequest r;
  r.operation = operation;
  r.method = method;
  r.path = std::move(path);
  r.idempotency = idempotency;
  r.headers = options.headers;
  r.timeout = options.timeout;
  return r;
}

/// Refuses bad input before any request, naming the operation.
[[noreturn]] inline void invalid(const char* operation, const std::string& why) {
  ErrorContext context;
  context.operation = operation;
  throw InvalidArgumentError(why, std::move(context));
}

inline void require_non_empty(std::string_view value, const char* what, const char* operation) {
  if (value.empty())
    invalid(operation, std::string(what) + " must not be empty");
}

/// A 2xx answer whose body is not what the operation promises.
[[noreturn]] inline void malformed(const Client& client, const ApiRequest& request, int status,
                                   const std::string& why) {
  ErrorContext context;
  context.operation = request.operation;
  context.method = std::string(to_string(request.method));
  context.path = client.options().api_prefix + request.path;
  context.status = status;
  throw MalformedResponseError(why, std::move(context));
}

/// The string at @p key of @p json, or "" when absent or not a string.
inline std::string string_at(const Json& json, const char* key) {
  const auto it = json.find(key);
  return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace roserocket::detail
