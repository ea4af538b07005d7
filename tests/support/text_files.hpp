#pragma once

// Reading files in tests, and the code blocks that the guides quote: a guide's ```cpp blocks are
// compared with a test file after both are squashed to single spaces, so that line breaks and
// indentation may differ between the guide and the test that compiles its snippets.

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace rr_test {

/// The whole content of @p path, byte for byte; empty when it cannot be read.
inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// @p text with every run of white space made one space, and none at either end.
inline std::string squash_spaces(const std::string& text) {
  std::string out;
  bool space = false;
  for (const char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty())
      out += ' ';
    space = false;
    out += c;
  }
  return out;
}

/// The bodies of the fenced blocks of @p markdown whose fence names @p language ("cpp" for
/// ```cpp), in order. Throws std::runtime_error for a block that is not closed.
inline std::vector<std::string> fenced_blocks(const std::string& markdown,
                                              const std::string& language) {
  const std::string fence = "```" + language + "\n";
  std::vector<std::string> blocks;
  for (auto at = markdown.find(fence); at != std::string::npos; at = markdown.find(fence, at + 1)) {
    const auto start = at + fence.size();
    const auto end = markdown.find("```", start);
    if (end == std::string::npos)
      throw std::runtime_error("a ```" + language + " block is not closed");
    blocks.push_back(markdown.substr(start, end - start));
  }
  return blocks;
}

}  // namespace rr_test
