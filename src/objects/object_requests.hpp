#pragma once

// Private: the requests of ObjectsApi's record operations and the readers of their answers,
// shared by ObjectsApi (one call at a time) and the bulk engine (many at once), so that both
// send exactly the same requests and read the answers the same way. The builders check their
// input as the ObjectsApi members do (InvalidArgumentError naming the operation).

#include <optional>
#include <string_view>

#include "roserocket/client.hpp"
#include "roserocket/objects/objects_api.hpp"

namespace roserocket::detail {

ApiRequest create_request(std::string_view object_key, const Json& fields,
                          const RequestOptions& options);
ApiRequest get_request(std::string_view id, const RequestOptions& options);
ApiRequest update_request(std::string_view object_key, std::string_view id, const Json& fields,
                          const RequestOptions& options);
ApiRequest remove_request(std::string_view id, const RequestOptions& options);
ApiRequest get_by_external_id_request(std::string_view object_key, std::string_view external_id,
                                      const RequestOptions& options);
ApiRequest upsert_by_external_id_request(std::string_view object_key, std::string_view external_id,
                                         const Json& fields, const RequestOptions& options);

// A 2xx whose body is not the record the operation promises: MalformedResponseError.
void check_record(const ApiResponse& response, const ApiRequest& request, const Client& client);
Json expect_object(ApiResponse&& response, const ApiRequest& request, const Client& client);
// What an upsert route's status says (docs/external-ids.md): the keyed `PATCH /objects` answers
// 201 or 200, the unkeyed one always creates, the others answer 200 either way.
enum class UpsertRoute { kStatusTells, kAlwaysCreates, kStatusSilent };
// The outcome read from the status where the route tells, else from the record's
// version/createdAt/updatedAt (a 201 always means created).
UpsertOutcome upsert_outcome(int status, const Json& record, UpsertRoute route);
UpsertResult to_upsert(ApiResponse&& response, UpsertRoute route);
std::optional<Json> to_optional(ApiResponse&& response);

}  // namespace roserocket::detail
