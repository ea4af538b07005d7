#include "paths.hpp"

#include <algorithm>

#include "http_util.hpp"
#include "util.hpp"

namespace rr_emulator::detail {

void PathTree::add(const std::string& dot_path) {
  PathTree* node = this;
  for (const auto& segment : split(dot_path, '.'))
    node = &node->children[segment];
}

void PathTree::merge(const PathTree& other) {
  for (const auto& [name, child] : other.children)
    children[name].merge(child);
}

std::vector<std::string> PathTree::to_list() const {
  std::vector<std::string> out;
  for (const auto& [name, child] : children) {
    out.push_back(name);
    for (const auto& sub : child.to_list())
      out.push_back(name + "." + sub);
  }
  return out;
}

PathTree parse_paths(const std::vector<std::string>& paths) {
  PathTree tree;
  for (const auto& entry : paths) {
    for (const auto& path : split(entry, ',')) {
      // The tree is walked recursively: its depth (segments of one path) stays small.
      if (static_cast<std::size_t>(std::count(path.begin(), path.end(), '.')) >= kMaxPathSegments)
        bad_request("paths: a path may have at most " + std::to_string(kMaxPathSegments) +
                    " segments");
      tree.add(path);
    }
  }
  return tree;
}

}  // namespace rr_emulator::detail
