#pragma once

// `paths` ("tasks,tasks.commodities,customer") as a tree of connection names.

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace rr_emulator::detail {

/// @brief Connected fields to expand, each with what to expand inside it.
struct PathTree {
  std::map<std::string, PathTree> children;

  /// @brief Adds one dot path ("tasks.commodities").
  void add(const std::string& dot_path);
  /// @brief Adds every path of @p other.
  void merge(const PathTree& other);
  /// @brief The tree as dot paths, parents first.
  [[nodiscard]] std::vector<std::string> to_list() const;
};

/// Most dot segments in one path (the tree is walked recursively).
constexpr std::size_t kMaxPathSegments = 32;

/// @brief A tree from dot paths; each entry may itself be comma-separated.
/// @throw ApiError (400) for a path of more than `kMaxPathSegments` segments.
PathTree parse_paths(const std::vector<std::string>& paths);

}  // namespace rr_emulator::detail
