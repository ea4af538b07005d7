#pragma once

// Private helpers shared by Boards, Events and UserGroups: request building and input checks.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "roserocket/client.hpp"
#include "roserocket/objects/objects_api.hpp"
#include "roserocket/paging.hpp"

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
  r.deadline = options.deadline;
  r.retry = options.retry;
  r.cancellation = options.cancellation;
  r.metadata = options.metadata;
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

/// @brief A count the server sent at @p key of @p body (a listing's `total`, a membership
/// change's `added`): 0 when absent or null; otherwise it must be a whole number from 0 to
/// 2^63 - 1 (`250.0` reads as 250). Anything else (`1e30`, `-1`, `2.5`, a string) is refused
/// rather than converted out of range, truncated or read as 0.
/// @throw MalformedResponseError naming the key, the value and the operation.
inline std::int64_t count_at(const Client& client, const ApiRequest& request, int status,
                             const Json& body, const char* key) {
  const auto it = body.find(key);
  if (it == body.end() || it->is_null())
    return 0;
  std::int64_t value = -1;
  if (it->is_number()) {
    try {
      value = model::integer_from_json<std::int64_t>(*it);
    } catch (const Error&) {
      value = -1;  // out of range or fractional: refused below with the value shown
    }
  }
  if (value < 0) {
    const std::string shown = it->is_number() ? it->dump() : std::string(it->type_name());
    malformed(client, request, status,
              std::string("'") + key + "' is not a count (a whole number from 0 up): " + shown);
  }
  return value;
}

/// @brief The `total` of a listing's answer, checked as `count_at` does.
inline std::int64_t total_of(const Client& client, const ApiRequest& request, int status,
                             const Json& body) {
  return count_at(client, request, status, body, "total");
}

/// One page of an offset-paged listing and the server's total, if it sent one (else 0).
template <class Item>
struct OffsetPage {
  std::vector<Item> items;
  std::int64_t total = 0;
};

/// An offset-paged listing as a lazy range, from @p first_offset on: @p fetch(offset) returns
/// one page of at most @p page_size items. Ends at a short or empty page, once `total` is
/// reached, or when a page starts with the same item as the one before (a server that ignores
/// `offset` would otherwise be asked for ever); @p id_of names an item for that check.
template <class Item, class Fetch, class IdOf>
PagedRange<Item> offset_range(const char* operation, int first_offset, int page_size, Fetch fetch,
                              IdOf id_of) {
  if (page_size < 1)
    invalid(operation, "page_size must be at least 1");
  struct Walk {
    int offset = 0;
    std::string previous_first;
    bool finished = false;
  };
  auto walk = std::make_shared<Walk>();
  walk->offset = first_offset;
  return PagedRange<Item>([walk, page_size, fetch, id_of](std::vector<Item>& out) mutable {
    Walk& w = *walk;
    if (w.finished)
      return false;
    OffsetPage<Item> page = fetch(w.offset);
    if (page.items.empty())
      return false;
    std::string first = id_of(page.items.front());
    if (!w.previous_first.empty() && first == w.previous_first)
      return false;
    w.previous_first = std::move(first);
    const int got = static_cast<int>(page.items.size());
    w.offset += got;
    w.finished = got < page_size || (page.total > 0 && w.offset >= page.total);
    out = std::move(page.items);
    return true;
  });
}

}  // namespace roserocket::detail
