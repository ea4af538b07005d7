#pragma once

// Derived (read-only, computed) fields. The catalog says which fields are derived and from
// what; the computations live here, chosen by the shape of the catalog entry.

#include "state.hpp"

namespace rr_emulator::detail {

/// @brief Adds every derived field of @p record's object that can be computed to @p out.
void add_derived(const Record& record, const State& state, Json& out);

}  // namespace rr_emulator::detail
