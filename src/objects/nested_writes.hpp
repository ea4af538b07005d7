#pragma once

// Private: what a write body does to connected records, read from its JSON. A nested object
// without an `id` in a connection (an order's tasks, a task's commodities) is created by the
// write, so sending that write twice creates it twice: such a request is not idempotent,
// whatever its operation (see docs/adr/0003-retries-and-idempotency.md). Also the plan of
// `upsert_nested`: which nested records carry an external id to look up first.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "roserocket/client.hpp"
#include "roserocket/objects/objects_api.hpp"

namespace roserocket::detail {

/// Where the first nested record @p fields (the `json` of a write of @p object_key) would
/// create sits, e.g. "json.tasks[0]", or nothing when the write creates no nested record.
std::optional<std::string> first_nested_create(std::string_view object_key, const Json& fields);

/// The same for a whole request: looks at `{objectKey, json}` bodies of PUT, PATCH and POST.
std::optional<std::string> first_nested_create(const ApiRequest& request);

/// How the retry decision must treat @p request: its declared idempotency, made
/// `kNonIdempotent` when its body would create nested records.
Idempotency effective_idempotency(const ApiRequest& request);

/// One line for the error of a write the SDK did not send again because its body creates
/// nested records; empty when that is not why (a declared create, or an idempotent write).
std::string not_resent_note(const ApiRequest& request);

/// A nested record to look up by external id before an `upsert_nested` write.
struct NestedLookup {
  std::string path;         // "json.tasks[0]", for results and errors
  std::string object_key;   // the nested record's object, e.g. "task"
  std::string external_id;  // its external id
  Json::json_pointer at;    // where it sits inside the fields
};

/// What `upsert_nested` must do to @p fields before writing.
struct NestedPlan {
  std::vector<NestedLookup> lookups;
  // Nested records with neither id nor external id: created by every repeat.
  std::vector<std::string> unkeyed;
};

/// Plans the lookups of @p fields (the `json` of a write of @p object_key).
/// @throw InvalidArgumentError naming @p operation when two nested records of one object carry
/// the same external id, or when a nested record with an external id is in a field whose object
/// is unknown (a custom field without `objectKey`), or when an `externalId` is not a string.
NestedPlan plan_nested(std::string_view object_key, const Json& fields, const char* operation);

/// Gives each nested record of @p plan the id found for it (@p ids[i] for `plan.lookups[i]`;
/// empty when none exists yet) inside @p fields.
/// @return the result's `linked`, `created_by_external_id` and `unkeyed` (record left empty).
NestedUpsertResult apply_lookups(const NestedPlan& plan, const std::vector<std::string>& ids,
                                 Json& fields);

/// The lookup options of @p options: its headers, timeouts, deadline, retry and cancellation,
/// without paths, board or metadata (those belong to the write).
RequestOptions lookup_options(const RequestOptions& options);

}  // namespace roserocket::detail
