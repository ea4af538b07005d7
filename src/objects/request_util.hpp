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

/// The `total` of a listing's answer as an integer (rounded; 0 when absent or not a number).
inline std::int64_t total_of(const Json& body) {
  const auto it = body.find("total");
  if (it == body.end() || !it->is_number())
    return 0;
  const double value = it->get<double>();
  return value > 0 ? static_cast<std::int64_t>(value + 0.5) : 0;
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
