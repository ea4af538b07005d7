// The default paging of search_all: keyset paging with filters. Why it is built this way, and
// what it refuses to send, is in docs/adr/0010-search-keyset-paging.md.

#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "objects/request_util.hpp"
#include "roserocket/model/catalog.hpp"
#include "roserocket/objects/objects_api.hpp"

namespace roserocket {
namespace {

constexpr const char* kOp = "objects.search_all";

// The comparable value of a field as the server sorts it: money by amount, a date-time by its
// local text, a connected record by its id.
Json scalar_of(const Json& value) {
  if (!value.is_object())
    return value;
  for (const char* key : {"amount", "dateTimeInLocation", "id"}) {
    if (auto it = value.find(key); it != value.end())
      return *it;
  }
  return value;
}

bool is_blank(const Json& v) {
  return v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty());
}

// "2026-11-24T10:00:00.5Z" and "2026-11-24T10:00:00Z" differ in text order from time order; the
// fraction is compared as digits padded to nanoseconds.
int compare_time_text(const std::string& a, const std::string& b) {
  auto split = [](const std::string& s) {
    std::string t = s;
    if (!t.empty() && (t.back() == 'Z' || t.back() == 'z'))
      t.pop_back();
    const auto dot = t.find('.');
    std::string whole = t.substr(0, dot);
    std::string fraction = dot == std::string::npos ? std::string() : t.substr(dot + 1);
    fraction.resize(9, '0');
    return std::make_pair(whole, fraction);
  };
  const auto x = split(a);
  const auto y = split(b);
  if (x != y)
    return x < y ? -1 : 1;
  return 0;
}

// How the walk may narrow a request to "after the boundary": see the ADR.
enum class Mode {
  // `between [key, null]` plus `notIn` of the ids at the boundary key: bounded request bodies.
  kRange,
  // `notIn` of every id yielded so far: for fields `between` must not be sent on (dates, select
  // fields, derived fields) and fields the catalog does not know.
  kExclusion,
};

enum class Phase { kMain, kNulls, kDone };

class KeysetPaging : public SearchPaging {
 public:
  KeysetPaging(const SearchRequest& request, int page_size) : base_(request) {
    if (page_size < 1)
      detail::invalid(kOp, "page_size must be at least 1, not " + std::to_string(page_size));
    page_size_ = page_size;
    if (base_.order_by_path.empty())
      base_.order_by_path = "createdAt";
    field_ = base_.order_by_path;
    if (field_.find('.') != std::string::npos) {
      detail::invalid(kOp, "order_by_path '" + field_ +
                               "' is a dot path; paging needs a field of the record itself");
    }
    if (base_.order_by_direction.value().empty())
      base_.order_by_direction = SortDirection::kAsc;
    if (!base_.order_by_direction.is_known()) {
      detail::invalid(kOp, "order_by_direction must be asc or desc, not '" +
                               base_.order_by_direction.value() + "'");
    }
    descending_ = base_.order_by_direction == SortDirection::kDesc;
    if (base_.filters.size() > 1 && base_.filters_operator != "and") {
      detail::invalid(kOp, "filters_operator '" + base_.filters_operator +
                               "' over several filters cannot be combined with the paging filters "
                               "(the API has one operator for the whole list); search page by page "
                               "with search(), or split the search");
    }
    base_.filters_operator = "and";
    base_.limit = page_size_;

    const model::FieldSpec* spec = find_spec(base_.object_key, field_);
    mode_ = range_safe(spec) ? Mode::kRange : Mode::kExclusion;
    time_ordered_ = spec != nullptr && (spec->type == model::FieldType::kTimestamp ||
                                        spec->type == model::FieldType::kDate ||
                                        spec->type == model::FieldType::kDateTime);
  }

  std::optional<SearchRequest> next_request() override {
    if (phase_ == Phase::kDone)
      return std::nullopt;
    SearchRequest r = base_;
    if (mode_ == Mode::kExclusion) {
      if (!excluded_.empty())
        r.filters.push_back(filter("id", SearchOperator::kNotIn, Json(excluded_)));
      return r;
    }
    if (phase_ == Phase::kNulls) {
      r.filters.push_back(filter(field_, SearchOperator::kEmpty, Json()));
      if (!excluded_.empty())
        r.filters.push_back(filter("id", SearchOperator::kNotIn, Json(excluded_)));
      return r;
    }
    r.filters.push_back(filter(field_, SearchOperator::kNotEmpty, Json()));
    if (boundary_) {
      Json range =
          descending_ ? Json::array({nullptr, *boundary_}) : Json::array({*boundary_, nullptr});
      r.filters.push_back(filter(field_, SearchOperator::kBetween, std::move(range)));
      r.filters.push_back(filter("id", SearchOperator::kNotIn, Json(excluded_)));
    }
    return r;
  }

  std::vector<Json> accept(SearchResult page) override {
    std::vector<Json> out;
    std::size_t fresh = 0;
    for (auto& record : page.results) {
      const std::string id = record.is_object() ? detail::string_at(record, "id") : std::string();
      if (id.empty())
        throw malformed("a search result has no id");
      if (!seen_.insert(id).second)
        continue;  // a repeat: the server did not apply the exclusion
      ++fresh;
      Json key = Json();
      if (auto it = record.find(field_); it != record.end())
        key = scalar_of(*it);
      if (mode_ == Mode::kExclusion) {
        excluded_.push_back(id);
        if (behind_cursor(key))
          continue;  // created during the walk, behind where it has got to: not yielded
        if (!is_blank(key))
          last_key_ = key;
      } else if (phase_ == Phase::kNulls) {
        excluded_.push_back(id);
      } else {
        if (!boundary_ || *boundary_ != key) {
          boundary_ = key;
          excluded_.clear();
        }
        excluded_.push_back(id);
      }
      out.push_back(std::move(record));
    }
    if (!page.results.empty() && fresh == 0) {
      throw malformed(
          "the server answered a page of records already yielded: it ignores the paging "
          "filters, and the walk cannot advance");
    }
    if (static_cast<int>(page.results.size()) < page_size_)
      finish_phase();
    return out;
  }

 private:
  static const model::FieldSpec* find_spec(const std::string& object_key,
                                           const std::string& field) {
    if (!object_key.empty()) {
      if (const auto* spec = model::find_field(object_key, field))
        return spec;
    }
    for (const auto& spec : model::common_fields()) {
      if (spec.name == field)
        return &spec;
    }
    return nullptr;
  }

  // `between` is sent only on plain scalar fields: never on a date field (500 on live servers),
  // a select field or a derived field (whose other operators answer 500), nor on a field the
  // catalog does not know.
  static bool range_safe(const model::FieldSpec* spec) {
    if (spec == nullptr || spec->access == model::Access::kDerived)
      return false;
    switch (spec->type) {
      case model::FieldType::kString:
      case model::FieldType::kInteger:
      case model::FieldType::kNumber:
      case model::FieldType::kUuid:
        return true;
      default:
        return false;
    }
  }

  static SearchFilter filter(const std::string& path, model::EnumConstant<SearchOperator> op,
                             Json value) {
    SearchFilter f;
    f.path = path;
    f.op = op;
    f.value = std::move(value);
    return f;
  }

  // Whether @p key sorts before the last key yielded, in the walk's direction. Only time fields
  // are compared on the client (their text order is their time order, with the fraction
  // normalised); for other fields the server's collation is unknown, so nothing is dropped.
  bool behind_cursor(const Json& key) const {
    if (!time_ordered_ || is_blank(key) || last_key_.is_null() || !key.is_string() ||
        !last_key_.is_string()) {
      return false;
    }
    const int c = compare_time_text(key.get<std::string>(), last_key_.get<std::string>());
    return descending_ ? c > 0 : c < 0;
  }

  void finish_phase() {
    if (mode_ == Mode::kRange && phase_ == Phase::kMain) {
      // Records without a value are not in any range: they are walked last, on their own.
      phase_ = Phase::kNulls;
      excluded_.clear();
      return;
    }
    phase_ = Phase::kDone;
  }

  MalformedResponseError malformed(const std::string& why) const {
    ErrorContext context;
    context.operation = kOp;
    return MalformedResponseError(why, std::move(context));
  }

  SearchRequest base_;
  int page_size_ = 100;
  std::string field_;
  bool descending_ = false;
  Mode mode_ = Mode::kExclusion;
  bool time_ordered_ = false;
  Phase phase_ = Phase::kMain;
  // kRange: the key of the last record yielded, and the ids yielded with that key.
  std::optional<Json> boundary_;
  // kRange: ids at the boundary (main phase) or without a value (null phase);
  // kExclusion: every id seen.
  std::vector<std::string> excluded_;
  // Every id seen in this walk: a record is yielded once even if the server repeats it.
  std::unordered_set<std::string> seen_;
  Json last_key_;
};

}  // namespace

std::unique_ptr<SearchPaging> make_keyset_paging(const SearchRequest& request, int page_size) {
  return std::make_unique<KeysetPaging>(request, page_size);
}

}  // namespace roserocket
