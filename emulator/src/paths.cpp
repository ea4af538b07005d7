#include "paths.hpp"

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
    for (const auto& path : split(entry, ','))
      tree.add(path);
  }
  return tree;
}

}  // namespace rr_emulator::detail
