#include "roserocket/model/values.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>

#include "core/civil_time.hpp"
#include "roserocket/errors.hpp"

namespace roserocket::model {
namespace {

[[noreturn]] void bad(const std::string& what) {
  throw InvalidArgumentError(what);
}

bool digits(std::string_view text, std::size_t from, std::size_t count, int& out) {
  out = 0;
  for (std::size_t i = from; i < from + count; ++i) {
    if (text[i] < '0' || text[i] > '9')
      return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

std::string two(std::int64_t v) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%02d", static_cast<int>(v));
  return buffer;
}

}  // namespace

void throw_not_an_integer(const Json& json, const char* type_name) {
  std::string shown = json.is_number() ? json.dump() : std::string(json.type_name());
  if (shown.size() > 40)
    shown = shown.substr(0, 40) + "...";
  bad("expected a whole number that fits a " + std::string(type_name) + ", got " + shown);
}

void throw_not_a_string(std::string_view enum_name, std::string_view got) {
  bad(std::string(enum_name) + " must be a JSON string, got " + std::string(got));
}

bool operator==(const DateTimeValue& a, const DateTimeValue& b) {
  return a.date_time_in_location == b.date_time_in_location &&
         a.date_time_in_location_end == b.date_time_in_location_end && a.other == b.other;
}

void to_json(Json& json, const Money& money) {
  json = Json{{"amount", money.amount}, {"currencyCode", money.currency_code}};
}

void from_json(const Json& json, Money& money) {
  if (json.is_number()) {
    // A plain number: major units, as the vendor's float totals are (ADR 0027).
    const double major = json.get<double>();
    const double minor = std::round(major * 100.0);
    if (!std::isfinite(minor) || minor < -9.0e18 || minor > 9.0e18) {
      bad("money as a plain number must be a finite amount in major units that fits 64-bit "
          "minor units, got " +
          json.dump());
    }
    money.amount = static_cast<std::int64_t>(minor);
    money.currency_code.clear();
    return;
  }
  if (!json.is_object()) {
    bad(std::string("money must be an object {\"amount\", \"currencyCode\"} or a number, got ") +
        json.type_name());
  }
  const auto amount = json.find("amount");
  if (amount == json.end() || !(amount->is_number_integer())) {
    bad("money needs an integer 'amount' in minor units, got " +
        (amount == json.end() ? std::string("none") : amount->dump()));
  }
  money.amount = integer_from_json<std::int64_t>(*amount);
  const auto code = json.find("currencyCode");
  money.currency_code =
      code != json.end() && code->is_string() ? code->get<std::string>() : std::string();
}

namespace {

bool leap_year(std::int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(std::int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap_year(year) ? 29 : kDays[month - 1];
}

using ::roserocket::detail::days_from_civil;

void civil_from_days(std::int64_t z, std::int64_t& y, int& m, int& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = yoe + era * 400 + (m <= 2 ? 1 : 0);
}

}  // namespace

std::optional<Timestamp> parse_timestamp(std::string_view text) noexcept {
  // YYYY-MM-DDTHH:MM:SS is 19 characters; at least a zone follows.
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[13] != ':' || text[16] != ':')
    return std::nullopt;
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ')
    return std::nullopt;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(text, 0, 4, year) || !digits(text, 5, 2, month) || !digits(text, 8, 2, day) ||
      !digits(text, 11, 2, hour) || !digits(text, 14, 2, minute) || !digits(text, 17, 2, second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 ||
      minute > 59 || second > 59) {
    return std::nullopt;
  }
  std::size_t i = 19;
  int millis = 0;
  if (text[i] == '.') {
    ++i;
    const std::size_t first = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (i - first < 3)
        millis = millis * 10 + (text[i] - '0');
      ++i;
    }
    if (i == first)
      return std::nullopt;  // a dot without digits
    for (std::size_t n = i - first; n < 3; ++n)
      millis *= 10;  // ".4" is 400 ms
  }
  if (i >= text.size())
    return std::nullopt;  // no zone: a local time names no instant
  int offset_minutes = 0;
  if (text[i] == 'Z' || text[i] == 'z') {
    ++i;
  } else if (text[i] == '+' || text[i] == '-') {
    int oh = 0, om = 0;
    if (text.size() - i != 6 || text[i + 3] != ':' || !digits(text, i + 1, 2, oh) ||
        !digits(text, i + 4, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_minutes = (text[i] == '-' ? -1 : 1) * (oh * 60 + om);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != text.size())
    return std::nullopt;
  const std::int64_t seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 +
                               minute * 60 + second - offset_minutes * 60;
  return Timestamp(std::chrono::duration_cast<Timestamp::duration>(
      std::chrono::milliseconds(seconds * 1000 + millis)));
}

std::string format_timestamp(Timestamp instant) {
  const auto ms = std::chrono::floor<std::chrono::milliseconds>(instant.time_since_epoch()).count();
  std::int64_t days = ms / 86400000;
  std::int64_t rest = ms % 86400000;
  if (rest < 0) {
    rest += 86400000;
    --days;
  }
  std::int64_t year = 0;
  int month = 0, day = 0;
  civil_from_days(days, year, month, day);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ",
                static_cast<long long>(year), month, day, static_cast<int>(rest / 3600000),
                static_cast<int>(rest / 60000 % 60), static_cast<int>(rest / 1000 % 60),
                static_cast<int>(rest % 1000));
  return buffer;
}

bool is_local_date_time(std::string_view text) noexcept {
  if (text.size() != 19 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':') {
    return false;
  }
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(text, 0, 4, year) || !digits(text, 5, 2, month) || !digits(text, 8, 2, day) ||
      !digits(text, 11, 2, hour) || !digits(text, 14, 2, minute) || !digits(text, 17, 2, second)) {
    return false;
  }
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 &&
         second <= 59;
}

DateTimeValue DateTimeValue::at(std::string local) {
  if (!is_local_date_time(local)) {
    bad("date-time '" + local +
        "' must be YYYY-MM-DDTHH:MM:SS in the location's time (no zone, no offset)");
  }
  DateTimeValue out;
  out.date_time_in_location = std::move(local);
  return out;
}

DateTimeValue DateTimeValue::between(std::string start, std::string end) {
  DateTimeValue out = at(std::move(start));
  if (!is_local_date_time(end)) {
    bad("date-time '" + end +
        "' must be YYYY-MM-DDTHH:MM:SS in the location's time (no zone, no offset)");
  }
  out.date_time_in_location_end = std::move(end);
  return out;
}

void to_json(Json& json, const DateTimeValue& value) {
  json = value.other.is_object() ? value.other : Json::object();
  json["dateTimeInLocation"] = value.date_time_in_location;
  if (value.date_time_in_location_end) {
    json["dateTimeInLocationEnd"] = *value.date_time_in_location_end;
  }
}

void from_json(const Json& json, DateTimeValue& value) {
  if (!json.is_object()) {
    bad(std::string("a date-time must be an object with dateTimeInLocation, got ") +
        json.type_name());
  }
  const auto start = json.find("dateTimeInLocation");
  if (start == json.end() || !start->is_string()) {
    bad("a date-time needs a string 'dateTimeInLocation'");
  }
  value = DateTimeValue{};
  value.date_time_in_location = start->get<std::string>();
  for (auto it = json.begin(); it != json.end(); ++it) {
    if (it.key() == "dateTimeInLocation")
      continue;
    if (it.key() == "dateTimeInLocationEnd" && it->is_string()) {
      value.date_time_in_location_end = it->get<std::string>();
      continue;
    }
    if (it.key() == "dateTimeInLocationEnd" && it->is_null())
      continue;
    value.other[it.key()] = *it;
  }
}

TimeOfDay::TimeOfDay(std::int64_t seconds) : seconds_(seconds) {
  if (seconds < 0 || seconds > 86400) {
    bad("a time of day is 0 to 86400 seconds from midnight, not " + std::to_string(seconds));
  }
}

TimeOfDay TimeOfDay::of(int hours, int minutes, int seconds) {
  if (hours < 0 || hours > 24 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) {
    bad("time of day " + std::to_string(hours) + ":" + std::to_string(minutes) + ":" +
        std::to_string(seconds) + " is out of range");
  }
  return TimeOfDay(std::int64_t{hours} * 3600 + minutes * 60 + seconds);
}

TimeOfDay TimeOfDay::parse(std::string_view text) {
  int h = 0, m = 0, s = 0;
  const bool hm =
      text.size() == 5 && text[2] == ':' && digits(text, 0, 2, h) && digits(text, 3, 2, m);
  const bool hms = text.size() == 8 && text[2] == ':' && text[5] == ':' && digits(text, 0, 2, h) &&
                   digits(text, 3, 2, m) && digits(text, 6, 2, s);
  if (!hm && !hms)
    bad("time of day '" + std::string(text) + "' must be HH:MM or HH:MM:SS");
  return of(h, m, s);
}

std::string TimeOfDay::to_string() const {
  std::string out = two(seconds_ / 3600) + ":" + two(seconds_ / 60 % 60);
  if (seconds_ % 60 != 0)
    out += ":" + two(seconds_ % 60);
  return out;
}

void to_json(Json& json, const TimeOfDay& value) {
  json = value.seconds();
}

void from_json(const Json& json, TimeOfDay& value) {
  if (!json.is_number_integer()) {
    bad("a time of day must be an integer number of seconds, got " + json.dump());
  }
  value = TimeOfDay(integer_from_json<std::int64_t>(json));
}

void to_json(Json& json, const Ref& ref) {
  if (ref.id.empty())
    bad("a reference needs a record id");
  json = Json{{"id", ref.id}};
}

void from_json(const Json& json, Ref& ref) {
  if (json.is_string()) {
    ref.id = json.get<std::string>();
    return;
  }
  const auto id = json.is_object() ? json.find("id") : json.end();
  if (!json.is_object() || id == json.end() || !id->is_string()) {
    bad("a reference must be {\"id\": \"...\"}, got " + json.dump());
  }
  ref.id = id->get<std::string>();
}

bool equal_ignoring_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto x = static_cast<unsigned char>(a[i]);
    const auto y = static_cast<unsigned char>(b[i]);
    if (std::tolower(x) != std::tolower(y))
      return false;
  }
  return true;
}

namespace {

bool is_unset(const Json* value) {
  if (value == nullptr || value->is_null())
    return true;
  if (value->is_string())
    return value->get_ref<const std::string&>().empty();
  if (value->is_array())
    return value->empty();
  return false;
}

// Appends what @p fields (a record of @p object_key created at @p where) lacks, then does the same
// for the records its connections create (nested objects without an id).
void collect_missing(std::string_view object_key, const Json& fields, const std::string& where,
                     std::string& out) {
  for (const auto& rule : required_on_create(object_key)) {
    const auto it = fields.find(rule.field);
    if (!is_unset(it == fields.end() ? nullptr : &*it))
      continue;
    if (!out.empty())
      out += "; ";
    out += where + rule.field + " is required to create a new " + std::string(object_key) + " (" +
           rule.why + ")";
  }
  for (const auto& [name, value] : fields.items()) {
    const FieldSpec* spec = find_field(object_key, name);
    if (spec == nullptr || !spec->is_connection())
      continue;
    auto nested = [&](const Json& item, const std::string& at) {
      if (item.is_object() && !item.contains("id"))
        collect_missing(spec->target, item, at, out);
    };
    if (value.is_array()) {
      for (std::size_t i = 0; i < value.size(); ++i)
        nested(value[i], where + name + "[" + std::to_string(i) + "].");
    } else {
      nested(value, where + name + ".");
    }
  }
}

}  // namespace

std::string missing_on_create(std::string_view object_key, const Json& fields) {
  std::string out;
  if (fields.is_object())
    collect_missing(object_key, fields, "", out);
  if (!out.empty())
    out += ": set it on the record (or create through ObjectsApi, which does not check)";
  return out;
}

}  // namespace roserocket::model
