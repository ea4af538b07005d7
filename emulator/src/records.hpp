#pragma once

// Record storage rules: validation of write bodies against the catalog, creation with fullId
// counters, updates with version and events, nested creation and linking, and rendering with
// `paths`. No locking: callers hold Core::mutex.

#include <optional>
#include <string>
#include <vector>

#include "core.hpp"
#include "paths.hpp"

namespace rr_emulator::detail {

/// @brief A parsed write body `{id?, objectKey, json, paths?, boardId?}`.
struct Envelope {
  std::optional<std::string> id;
  std::string object_key;
  Json json = Json::object();
  bool has_json = false;
  std::vector<std::string> paths;
  std::optional<std::string> board_id;
};

/// @brief Parses and validates the envelope (unknown keys, objectKey, types); 400 on failure.
/// @param object_key_required false where the object key may come from elsewhere.
Envelope parse_envelope(const Json& body, bool object_key_required);

/// @brief A 400 unless @p object_key is in the catalog or custom (`__c`).
void check_object_key(const std::string& object_key);

/// @brief The record operations over one state.
class RecordStore {
 public:
  RecordStore(State& state, Caller caller);

  /// @brief The record with @p id, or null.
  [[nodiscard]] Record* find(const std::string& id);
  /// @brief The record of @p object_key whose externalId is @p external_id, or null.
  [[nodiscard]] Record* find_external(const std::string& object_key,
                                      const std::string& external_id);
  /// @brief The record with @p id or a 404.
  Record& get_or_404(const std::string& id);

  /// @brief Validates @p json for a write of @p object_key; a 400 listing every problem.
  void validate(const std::string& object_key, const Json& json);

  /// @brief Creates a record (nested records too); returns it rendered with @p paths plus the
  /// connections the body wrote. Call validate() first.
  Json create(const std::string& object_key, const Json& json, const PathTree& paths,
              const std::optional<std::string>& id = std::nullopt);
  /// @brief Applies @p json to @p record; returns it rendered like create(). Call validate().
  Json update(Record& record, const Json& json, const PathTree& paths);
  /// @brief Deletes @p id; returns the record as it was (top-level fields).
  Json remove(const std::string& id);

  /// @brief @p record with its own fields, derived fields, and the connections in @p paths.
  [[nodiscard]] Json render(const Record& record, const PathTree& paths) const;

 private:
  void validate_fields(const std::string& object_key, const Json& json, const std::string& where,
                       std::vector<std::string>& errors);
  void validate_connection(const std::string& target, bool many, const Json& value,
                           const std::string& where, std::vector<std::string>& errors);
  void validate_ref(const std::string& target, const Json& value, const std::string& where,
                    std::vector<std::string>& errors);

  Record& create_record(const std::string& object_key, const Json& json, PathTree& written,
                        const std::optional<std::string>& id, const std::string& where);
  void update_record(Record& record, const Json& json, PathTree& written, const std::string& where);
  void apply_fields(Record& record, const Json& json, Json& changes, PathTree& written,
                    const std::string& where);
  /// @brief The id @p value links to or creates; nothing when that nested part failed (then
  /// recorded in part_errors_).
  std::optional<std::string> resolve_ref(const std::string& target, const Json& value,
                                         PathTree& written, const std::string& where);
  /// @brief Why a nested record of @p target with fields @p json cannot be created (an enum
  /// value the catalog does not list), or nothing.
  [[nodiscard]] std::optional<std::string> nested_failure(const std::string& target,
                                                          const Json& json,
                                                          const std::string& where) const;
  /// @brief Gives a new manifest the fullId of the order its first task belongs to ("M-O-19").
  void name_manifest(Record& manifest);
  /// @brief A 400 when @p json moves a manifest's status where its stages do not go.
  void check_transition(const Record& record, const Json& json) const;
  /// @brief Answers @p out, plus the `errors` array of this write's failed nested parts, if any.
  Json with_part_errors(Json out);

  State& state_;
  Caller caller_;
  /// During validate(): how many records created by this write enclose the current value.
  int new_depth_ = 0;
  /// Nested parts of the current write that failed without failing the write.
  std::vector<Json> part_errors_;
};

}  // namespace rr_emulator::detail
