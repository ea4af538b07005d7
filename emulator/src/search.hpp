#pragma once

// POST /objects/search (filters, ordering, limit) and GET /objects/autocomplete.

#include <string>

#include "records.hpp"

namespace rr_emulator::detail {

/// @brief POST /objects/search: `{boardId, timezone, filters[], filtersOperator, orderByPath,
/// orderByDirection, limit, paths?, objectKey?}` -> `{total, results}`.
Json search_records(const State& state, const RecordStore& store, const Json& body);

/// @brief GET /objects/autocomplete: records of @p object_key whose label (the @p label_path
/// field, default `name`, else `fullId`) contains @p search_term, optionally only @p ids.
Json autocomplete(const State& state, const RecordStore& store, const std::string& object_key,
                  const std::string& search_term, const std::string& ids,
                  const std::string& label_path);

}  // namespace rr_emulator::detail
