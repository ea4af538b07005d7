#include "boards.hpp"

#include <set>

#include "roserocket/model/catalog.hpp"
#include "util.hpp"

namespace rr_emulator::detail {
namespace model = roserocket::model;

namespace {

// Boards exist from the start of time as far as a client can tell; a fixed date keeps them stable.
constexpr const char* kBoardsCreatedAt = "2024-01-01T00:00:00.000Z";

std::vector<std::pair<std::string, std::string>> board_keys(const State& state) {
  std::vector<std::pair<std::string, std::string>> out;  // (object key, name)
  for (const auto& spec : model::objects())
    out.emplace_back(spec.key, spec.display_name);
  std::set<std::string> custom;
  for (const auto& [id, rec] : state.records) {
    if (model::is_custom(rec.object_key))
      custom.insert(rec.object_key);
  }
  for (const auto& key : custom)
    out.emplace_back(key, key);
  return out;
}

}  // namespace

std::string board_id_for(const std::string& object_key) {
  return name_uuid("board:" + object_key);
}

std::optional<std::string> board_object_key(const State& state, const std::string& board_id) {
  for (const auto& [key, name] : board_keys(state)) {
    if (board_id_for(key) == board_id)
      return key;
  }
  return std::nullopt;
}

Json boards_nav(const State& state, const std::string& object_key) {
  Json out = Json::array();
  for (const auto& [key, name] : board_keys(state)) {
    if (!object_key.empty() && key != object_key)
      continue;
    out.push_back({{"id", board_id_for(key)},
                   {"name", name},
                   {"icon", nullptr},
                   {"objectKey", key},
                   {"createdAt", kBoardsCreatedAt},
                   {"isExternal", false}});
  }
  return out;
}

}  // namespace rr_emulator::detail
