#include "search.hpp"

#include <algorithm>
#include <set>

#include "boards.hpp"
#include "http_util.hpp"
#include "roserocket/model/catalog.hpp"
#include "util.hpp"

namespace rr_emulator::detail {
namespace {

const std::set<std::string> kOperators = {
    "in",       "notIn",   "equals", "notEquals", "contains", "startsWith", "endsWith",
    "hasEvery", "hasSome", "empty",  "notEmpty",  "freeText", "between"};
constexpr std::size_t kDefaultLimit = 100;

struct Filter {
  std::string path;
  std::string op;
  Json value;
  // For in/notIn: the values as a set, so long exclusion lists stay cheap.
  std::set<Json> value_set;
};

// Money compares by amount, a date-time by its local text, a rendered record by its id.
Json scalar_of(const Json& v) {
  if (!v.is_object())
    return v;
  if (v.contains("amount"))
    return v["amount"];
  if (v.contains("dateTimeInLocation"))
    return v["dateTimeInLocation"];
  if (v.contains("id"))
    return v["id"];
  return v;
}

// Every value at @p path in @p rendered; arrays on the way fan out.
void collect(const Json& node, const std::vector<std::string>& segments, std::size_t i,
             std::vector<Json>& out) {
  if (node.is_array()) {
    for (const auto& item : node)
      collect(item, segments, i, out);
    return;
  }
  if (i == segments.size()) {
    out.push_back(scalar_of(node));
    return;
  }
  if (node.is_object() && node.contains(segments[i]))
    collect(node[segments[i]], segments, i + 1, out);
}

std::vector<Json> values_at(const RecordStore& store, const Record& rec, const std::string& path) {
  // A record's own stored field needs no rendering (derived fields and connections are not
  // stored, so they take the long way).
  if (path == "id")
    return {Json(rec.id)};
  if (path.find('.') == std::string::npos) {
    if (auto it = rec.fields.find(path); it != rec.fields.end()) {
      std::vector<Json> out;
      collect(*it, {}, 0, out);  // arrays fan out, as on the rendered record
      return out;
    }
  }
  const auto segments = split(path, '.');
  PathTree tree;
  // Only the connections on the way need expanding; the last segment is read as a field.
  if (segments.size() > 1) {
    std::string prefix = segments[0];
    for (std::size_t i = 1; i + 1 < segments.size(); ++i)
      prefix += "." + segments[i];
    tree.add(prefix);
  }
  tree.add(segments.empty() ? std::string() : segments[0]);
  std::vector<Json> out;
  collect(store.render(rec, tree), segments, 0, out);
  return out;
}

bool is_blank(const Json& v) {
  return v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty()) ||
         ((v.is_array() || v.is_object()) && v.empty());
}

bool text_match(const Json& v, const Json& needle, const std::string& op) {
  if (!v.is_string() || !needle.is_string())
    return false;
  const std::string hay = lower(v.get<std::string>());
  const std::string n = lower(needle.get<std::string>());
  if (op == "startsWith")
    return hay.compare(0, n.size(), n) == 0;
  if (op == "endsWith")
    return hay.size() >= n.size() && hay.compare(hay.size() - n.size(), n.size(), n) == 0;
  return hay.find(n) != std::string::npos;
}

bool contains_value(const std::vector<Json>& values, const Json& wanted) {
  return std::find(values.begin(), values.end(), wanted) != values.end();
}

bool free_text(const Json& rendered, const std::string& needle) {
  const std::string n = lower(needle);
  for (const auto& [key, value] : rendered.items()) {
    if (value.is_string() && lower(value.get<std::string>()).find(n) != std::string::npos) {
      return true;
    }
  }
  return false;
}

bool matches(const RecordStore& store, const Record& rec, const Filter& f) {
  if (f.op == "freeText")
    return free_text(store.render(rec, {}), f.value.get<std::string>());
  const std::vector<Json> values = values_at(store, rec, f.path);
  auto any = [&](auto pred) { return std::any_of(values.begin(), values.end(), pred); };
  if (f.op == "equals")
    return contains_value(values, f.value);
  if (f.op == "notEquals")
    return !contains_value(values, f.value);
  if (f.op == "in" || f.op == "notIn") {
    bool hit = any([&](const Json& v) { return f.value_set.count(v) > 0; });
    return f.op == "in" ? hit : !hit;
  }
  if (f.op == "contains" || f.op == "startsWith" || f.op == "endsWith") {
    return any([&](const Json& v) { return text_match(v, f.value, f.op); });
  }
  if (f.op == "hasEvery") {
    return std::all_of(f.value.begin(), f.value.end(),
                       [&](const Json& w) { return contains_value(values, w); });
  }
  if (f.op == "hasSome") {
    return std::any_of(f.value.begin(), f.value.end(),
                       [&](const Json& w) { return contains_value(values, w); });
  }
  bool blank = std::all_of(values.begin(), values.end(), is_blank);
  if (f.op == "empty")
    return blank;
  if (f.op == "notEmpty")
    return !blank;
  // between: [low, high], inclusive; a null end is open.
  const Json& low = f.value[0];
  const Json& high = f.value[1];
  return any([&](const Json& v) {
    if (v.is_null())
      return false;
    return (low.is_null() || !(v < low)) && (high.is_null() || !(high < v));
  });
}

Filter parse_filter(const Json& raw, std::size_t i, std::vector<std::string>& errors) {
  const std::string where = "filters[" + std::to_string(i) + "]";
  Filter f;
  if (!raw.is_object()) {
    errors.push_back(where + " must be an object");
    return f;
  }
  f.op = raw.value("operator", std::string());
  f.path = raw.value("path", raw.value("filterKey", std::string()));
  f.value = raw.contains("value") ? raw["value"] : Json(nullptr);
  if (kOperators.count(f.op) == 0) {
    errors.push_back(where +
                     ".operator must be one of: in, notIn, equals, notEquals, contains, "
                     "startsWith, endsWith, hasEvery, hasSome, empty, notEmpty, "
                     "freeText, between");
  }
  if (f.path.empty() && f.op != "freeText")
    errors.push_back(where + ".path should not be empty");
  const bool wants_list =
      f.op == "in" || f.op == "notIn" || f.op == "hasEvery" || f.op == "hasSome";
  if (wants_list && !f.value.is_array())
    errors.push_back(where + ".value must be an array");
  if ((f.op == "in" || f.op == "notIn") && f.value.is_array())
    f.value_set.insert(f.value.begin(), f.value.end());
  if (f.op == "between" && !(f.value.is_array() && f.value.size() == 2)) {
    errors.push_back(where + ".value must be an array [from, to]");
  }
  const bool wants_text =
      f.op == "contains" || f.op == "startsWith" || f.op == "endsWith" || f.op == "freeText";
  if (wants_text && !f.value.is_string())
    errors.push_back(where + ".value must be a string");
  return f;
}

// Live servers answer some operator and field combinations with 500 (the reference's field
// notes): a date field with `between`, a select (enum) field with `equals`, a derived field with
// `in`. The emulator does the same, so that clients are tested against it.
void refuse_like_live_servers(const std::string& object_key, const std::vector<Filter>& filters) {
  namespace model = roserocket::model;
  for (const auto& f : filters) {
    if (f.path.find('.') != std::string::npos)
      continue;
    const model::FieldSpec* spec = model::find_field(object_key, f.path);
    if (spec == nullptr)
      continue;
    const bool date = spec->type == model::FieldType::kTimestamp ||
                      spec->type == model::FieldType::kDate ||
                      spec->type == model::FieldType::kDateTime;
    if ((date && f.op == "between") ||
        (spec->type == model::FieldType::kEnum && f.op == "equals") ||
        (spec->access == model::Access::kDerived && f.op == "in")) {
      throw ApiError(500, "Internal server error");
    }
  }
}

}  // namespace

void index_before_write(State& state, const std::string& id) {
  auto& index = state.search_index;
  if (index.lag.count() <= 0 || index.entries.count(id) != 0)
    return;
  // No entry: the search shows the live record, which this write is about to change.
  SearchIndexLag::Entry entry;
  if (const auto it = state.records.find(id); it != state.records.end())
    entry.shown = it->second;
  index.entries.emplace(id, std::move(entry));
}

void index_after_write(State& state, const std::string& id) {
  auto& index = state.search_index;
  if (index.lag.count() <= 0)
    return;
  index_before_write(state, id);
  SearchIndexLag::Pending next;
  next.due = std::chrono::steady_clock::now() + index.lag;
  if (const auto it = state.records.find(id); it != state.records.end())
    next.record = it->second;
  index.entries[id].pending.push_back(std::move(next));
}

void settle_search_index(State& state) {
  auto& entries = state.search_index.entries;
  const auto now = std::chrono::steady_clock::now();
  for (auto it = entries.begin(); it != entries.end();) {
    auto& entry = it->second;
    while (!entry.pending.empty() && entry.pending.front().due <= now) {
      entry.shown = std::move(entry.pending.front().record);
      entry.pending.pop_front();
    }
    // Nothing pending: the shown version is the live one (or both are gone).
    it = entry.pending.empty() ? entries.erase(it) : std::next(it);
  }
}

Json search_records(const State& state, const RecordStore& store, const Json& body) {
  std::vector<std::string> errors;
  const std::string board_id = body.value("boardId", std::string());
  if (!body.contains("boardId") || !body["boardId"].is_string() || !is_uuid(board_id)) {
    errors.emplace_back("boardId must be a UUID");
  }
  std::vector<Filter> filters;
  if (body.contains("filters") && !body["filters"].is_array()) {
    errors.emplace_back("filters must be an array");
  } else if (body.contains("filters")) {
    for (std::size_t i = 0; i < body["filters"].size(); ++i) {
      filters.push_back(parse_filter(body["filters"][i], i, errors));
    }
  }
  const std::string combine = body.value("filtersOperator", std::string("and"));
  if (combine != "and" && combine != "or")
    errors.emplace_back("filtersOperator must be and or or");
  const std::string direction = body.value("orderByDirection", std::string("asc"));
  if (direction != "asc" && direction != "desc") {
    errors.emplace_back("orderByDirection must be asc or desc");
  }
  std::size_t limit = kDefaultLimit;
  if (body.contains("limit")) {
    if (!body["limit"].is_number_integer() || body["limit"].get<long>() < 0) {
      errors.emplace_back("limit must be a non-negative integer");
    } else {
      limit = body["limit"].get<std::size_t>();
    }
  }
  std::vector<std::string> paths;
  if (body.contains("paths")) {
    if (!body["paths"].is_array()) {
      errors.emplace_back("paths must be an array of strings");
    } else {
      for (const auto& p : body["paths"]) {
        if (p.is_string())
          paths.push_back(p.get<std::string>());
      }
    }
  }
  if (!errors.empty())
    bad_request(errors);

  const auto object_key = board_object_key(state, board_id);
  if (!object_key)
    not_found("Board with id \"" + board_id + "\" not found");
  if (body.contains("objectKey") && body["objectKey"] != *object_key) {
    bad_request("objectKey does not match the board's object key \"" + *object_key + "\"");
  }
  refuse_like_live_servers(*object_key, filters);

  std::vector<const Record*> hits;
  auto consider = [&](const Record& rec) {
    if (rec.object_key != *object_key)
      return;
    bool keep = combine == "and";
    for (const auto& f : filters) {
      const bool m = matches(store, rec, f);
      keep = combine == "and" ? keep && m : keep || m;
    }
    if (filters.empty())
      keep = true;
    if (keep)
      hits.push_back(&rec);
  };
  // With a search lag, a record written recently is searched as the index still shows it.
  const auto& lagged = state.search_index.entries;
  for (const auto& [id, rec] : state.records) {
    if (lagged.count(id) == 0)
      consider(rec);
  }
  for (const auto& [id, entry] : lagged) {
    if (entry.shown)
      consider(*entry.shown);
  }
  const std::string order_path = body.value("orderByPath", std::string("createdAt"));
  // Sort keys point into the records where a stored scalar field is the key (the default,
  // createdAt, is one), so a search copies no field; other keys are computed into `computed`,
  // reserved up front so that pointers into it stay valid.
  static const Json kMissing;
  std::vector<Json> computed;
  computed.reserve(hits.size());
  std::vector<std::pair<const Json*, const Record*>> keyed;
  keyed.reserve(hits.size());
  const bool top_level = order_path != "id" && order_path.find('.') == std::string::npos;
  for (const Record* rec : hits) {
    if (top_level) {
      const auto it = rec->fields.find(order_path);
      if (it != rec->fields.end() && !it->is_array()) {
        keyed.emplace_back(&*it, rec);
        continue;
      }
    }
    auto values = values_at(store, *rec, order_path);
    if (values.empty()) {
      keyed.emplace_back(&kMissing, rec);
    } else {
      computed.push_back(std::move(values.front()));
      keyed.emplace_back(&computed.back(), rec);
    }
  }
  // The order is total (ties go by creation), so sorting only the page that is answered gives
  // the same page as sorting everything, in O(n log limit) rather than O(n log n).
  const auto shown = keyed.begin() + static_cast<std::ptrdiff_t>(std::min(limit, keyed.size()));
  const bool ascending = direction == "asc";
  std::partial_sort(keyed.begin(), shown, keyed.end(), [&](const auto& a, const auto& b) {
    const Json& x = *a.first;
    const Json& y = *b.first;
    if (x != y) {
      // Missing values sort last either way.
      if (x.is_null())
        return false;
      if (y.is_null())
        return true;
      return ascending ? x < y : y < x;
    }
    return ascending ? a.second->seq < b.second->seq : b.second->seq < a.second->seq;
  });
  const PathTree tree = parse_paths(paths);
  Json results = Json::array();
  for (const auto& [key, rec] : keyed) {
    if (results.size() >= limit)
      break;
    results.push_back(store.render(*rec, tree));
  }
  return {{"total", keyed.size()}, {"results", results}};
}

Json autocomplete(const State& state, const RecordStore& store, const std::string& object_key,
                  const std::string& search_term, const std::string& ids,
                  const std::string& label_path) {
  const auto wanted = split(ids, ',');
  const std::string needle = lower(search_term);
  std::vector<std::pair<std::string, const Record*>> hits;
  for (const auto& [id, rec] : state.records) {
    if (rec.object_key != object_key)
      continue;
    if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), id) == wanted.end())
      continue;
    std::string label;
    auto values = values_at(store, rec, label_path.empty() ? "name" : label_path);
    if (!values.empty() && values.front().is_string()) {
      label = values.front().get<std::string>();
    } else if (label_path.empty()) {
      label = rec.fields.value("fullId", std::string());
    }
    if (!needle.empty() && lower(label).find(needle) == std::string::npos)
      continue;
    hits.emplace_back(label, &rec);
  }
  std::stable_sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second->seq < b.second->seq;
  });
  Json out = Json::array();
  for (const auto& [label, rec] : hits)
    out.push_back(store.render(*rec, {}));
  return out;
}

}  // namespace rr_emulator::detail
