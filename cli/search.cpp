// rr search and rr export: filters, keyset paging, and the json/jsonl/csv/table writers.

#include <algorithm>
#include <cctype>
#include <iostream>
#include <map>
#include <set>

#include "cli.hpp"
#include "csv.hpp"
#include "fields.hpp"
#include "roserocket/objects/boards.hpp"

namespace rr_cli {

std::string to_cell(const Json& value) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    // Plain text unless it would read back as something else (JSON, or absent when empty).
    const Json reread = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (text.empty() || !reread.is_discarded())
      return value.dump();
    return text;
  }
  return value.dump();
}

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos)
    return "";
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

Json list_value(const std::string& text) {
  Json list = Json::array();
  for (const auto& item : rr_csv::split_line(text))
    list.push_back(json_or_string(trim(item)));
  return list;
}

struct OperatorSpelling {
  const char* spelling;
  const roserocket::model::EnumConstant<roserocket::SearchOperator>* op;
  enum { kOne, kList, kNone, kPair, kAtMost, kAtLeast } value;
};

using Op = roserocket::SearchOperator;
const OperatorSpelling kOperators[] = {
    {"=", &Op::kEquals, OperatorSpelling::kOne},
    {"==", &Op::kEquals, OperatorSpelling::kOne},
    {"!=", &Op::kNotEquals, OperatorSpelling::kOne},
    {"~", &Op::kContains, OperatorSpelling::kOne},
    {"contains", &Op::kContains, OperatorSpelling::kOne},
    {"^=", &Op::kStartsWith, OperatorSpelling::kOne},
    {"startswith", &Op::kStartsWith, OperatorSpelling::kOne},
    {"$=", &Op::kEndsWith, OperatorSpelling::kOne},
    {"endswith", &Op::kEndsWith, OperatorSpelling::kOne},
    {"in", &Op::kIn, OperatorSpelling::kList},
    {"notin", &Op::kNotIn, OperatorSpelling::kList},
    {"hasevery", &Op::kHasEvery, OperatorSpelling::kList},
    {"hassome", &Op::kHasSome, OperatorSpelling::kList},
    {"empty", &Op::kEmpty, OperatorSpelling::kNone},
    {"notempty", &Op::kNotEmpty, OperatorSpelling::kNone},
    {"freetext", &Op::kFreeText, OperatorSpelling::kOne},
    {"between", &Op::kBetween, OperatorSpelling::kPair},
    {"<=", &Op::kBetween, OperatorSpelling::kAtMost},
    {">=", &Op::kBetween, OperatorSpelling::kAtLeast},
};

}  // namespace

roserocket::SearchFilter parse_filter(const std::string& text) {
  const std::string expression = trim(text);
  auto fail = [&text](const std::string& why) -> UsageError {
    return UsageError("--filter '" + text + "': " + why +
                      " (expected 'field op value', op one of = != ~ ^= $= <= >= in, not in, "
                      "between, empty, not empty, contains, startswith, endswith, hasevery, "
                      "hassome, freetext)");
  };
  // The field runs up to a space or the first operator character.
  const auto field_end = expression.find_first_of(" \t=!<>~^$");
  if (field_end == 0 || expression.empty())
    throw fail("no field");
  if (field_end == std::string::npos)
    throw fail("no operator");
  roserocket::SearchFilter filter;
  filter.path = expression.substr(0, field_end);
  std::string rest = trim(expression.substr(field_end));

  // Symbolic operators may touch the value; word operators are followed by a space or the end.
  std::string op_text;
  for (const char* symbol : {"==", "!=", "^=", "$=", "<=", ">=", "=", "~"}) {
    if (rest.rfind(symbol, 0) == 0) {
      op_text = symbol;
      rest = trim(rest.substr(op_text.size()));
      break;
    }
  }
  if (op_text.empty()) {
    if (rest[0] == '<' || rest[0] == '>') {
      throw fail("'<' and '>' are not offered: the API compares inclusively, use <= or >=");
    }
    auto word_end = rest.find_first_of(" \t");
    op_text = lower(rest.substr(0, word_end));
    rest = word_end == std::string::npos ? "" : trim(rest.substr(word_end));
    if (op_text == "not") {  // "not in", "not empty"
      word_end = rest.find_first_of(" \t");
      op_text += lower(rest.substr(0, word_end));
      rest = word_end == std::string::npos ? "" : trim(rest.substr(word_end));
    }
  }
  const OperatorSpelling* found = nullptr;
  for (const auto& candidate : kOperators) {
    if (op_text == candidate.spelling)
      found = &candidate;
  }
  if (found == nullptr)
    throw fail("unknown operator '" + op_text + "'");
  filter.op = *found->op;
  switch (found->value) {
    case OperatorSpelling::kNone:
      if (!rest.empty())
        throw fail("'" + op_text + "' takes no value");
      return filter;
    case OperatorSpelling::kOne:
      filter.value = json_or_string(rest);
      break;
    case OperatorSpelling::kList:
      filter.value = list_value(rest);
      break;
    case OperatorSpelling::kPair:
      filter.value = list_value(rest);
      if (filter.value.size() != 2)
        throw fail("between takes two values: low,high");
      break;
    case OperatorSpelling::kAtMost:
      filter.value = Json::array({nullptr, json_or_string(rest)});
      break;
    case OperatorSpelling::kAtLeast:
      filter.value = Json::array({json_or_string(rest), nullptr});
      break;
  }
  if (rest.empty())
    throw fail("no value");
  return filter;
}

namespace {

// Writes records as they come; finish() ends the output.
class RecordWriter {
 public:
  virtual ~RecordWriter() = default;
  virtual void write(const Json& record) = 0;
  virtual void finish() = 0;
};

class JsonWriter final : public RecordWriter {
 public:
  void write(const Json& record) override {
    std::cout << (first_ ? "[" : ",") << (pretty_ ? "\n" : "") << record.dump(pretty_ ? 2 : -1);
    first_ = false;
  }
  void finish() override { std::cout << (first_ ? "[" : (pretty_ ? "\n" : "")) << "]\n"; }

 private:
  bool first_ = true;
  bool pretty_ = is_terminal(1);
};

class JsonlWriter final : public RecordWriter {
 public:
  void write(const Json& record) override { std::cout << record.dump() << "\n"; }
  void finish() override { std::cout.flush(); }
};

// Columns given, or the union of the top-level fields of the first @p lookahead records (the
// first page), in order of appearance; those are held until the header is known. Cells are
// written by the field catalog's types of @p object_key, so that rr import reads them back.
class CsvWriter final : public RecordWriter {
 public:
  CsvWriter(std::string object_key, std::vector<std::string> columns, std::size_t lookahead,
            std::optional<std::string> null_token)
      : object_key_(std::move(object_key)),
        columns_(std::move(columns)),
        lookahead_(lookahead),
        null_token_(std::move(null_token)) {}
  void write(const Json& record) override {
    if (!header_written_ && columns_.empty()) {
      held_.push_back(record);
      if (held_.size() >= lookahead_)
        flush_held();
      return;
    }
    write_header();
    write_row(record);
  }
  void finish() override {
    flush_held();
    write_header();
    std::cout.flush();
    // What rr import would not read back as it was, said once per column.
    if (!needs_json_.empty()) {
      std::string names;
      for (const auto& name : needs_json_)
        names += (names.empty() ? "" : ", ") + name;
      std::cerr << "rr: export: the field catalog does not type " << names
                << "; their cells are JSON where the value is not plain text: import with "
                   "--json-cells to read them back\n";
    }
    for (const auto& [column, count] : off_type_) {
      const auto* spec = roserocket::model::find_field(object_key_, column);
      std::cerr << "rr: export: " << count << (count == 1 ? " value" : " values") << " of \""
                << column << "\" are not of its catalog type ("
                << roserocket::model::to_string(spec->type)
                << "); rr import reads their cells as that type. --format jsonl keeps them as "
                   "they are\n";
    }
    if (nulls_ > 0 && !null_token_) {
      std::cerr << "rr: export: " << nulls_
                << " null values are written as empty cells, which rr import leaves out; "
                   "--null-token TEXT on both commands keeps them\n";
    }
  }

 private:
  void flush_held() {
    if (header_written_)
      return;
    if (columns_.empty()) {
      std::set<std::string> seen;
      for (const auto& record : held_) {
        for (const auto& item : record.items()) {
          if (seen.insert(item.key()).second)
            columns_.push_back(item.key());
        }
      }
    }
    write_header();
    for (const auto& record : held_)
      write_row(record);
    held_.clear();
  }
  void write_header() {
    if (header_written_)
      return;
    rr_csv::write_record(std::cout, columns_);
    header_written_ = true;
  }
  void write_row(const Json& record) {
    if (specs_.size() != columns_.size()) {
      for (const auto& column : columns_)
        specs_.push_back(roserocket::model::find_field(object_key_, column));
    }
    std::vector<std::string> cells;
    cells.reserve(columns_.size());
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      const auto it = record.find(columns_[i]);
      if (it == record.end()) {
        cells.emplace_back();
        continue;
      }
      const Json& value = *it;
      if (null_token_ && value.is_string() && value.get_ref<const std::string&>() == *null_token_) {
        throw UsageError("export: a value of \"" + columns_[i] + "\" is the --null-token " +
                         shown(*null_token_) + " itself; choose a token no value has");
      }
      const auto* spec = specs_[i];
      cells.push_back(cell_of(spec, value, null_token_.value_or("")));
      if (value.is_null())
        ++nulls_;
      else if (spec == nullptr && !(value.is_string() && cells.back() == value.get<std::string>()))
        needs_json_.insert(columns_[i]);
      else if (spec != nullptr && !value_fits(spec->type, value))
        ++off_type_[columns_[i]];
    }
    rr_csv::write_record(std::cout, cells);
  }
  std::string object_key_;
  std::vector<std::string> columns_;
  std::vector<const roserocket::model::FieldSpec*> specs_;  // of columns_, once known
  std::size_t lookahead_;
  std::optional<std::string> null_token_;
  bool header_written_ = false;
  std::vector<Json> held_;
  std::set<std::string> needs_json_;             // untyped columns with JSON cells
  std::map<std::string, std::size_t> off_type_;  // values not of their column's catalog type
  std::size_t nulls_ = 0;
};

// A table needs every width before the first line: it holds the records (search output only).
class TableWriter final : public RecordWriter {
 public:
  explicit TableWriter(std::vector<std::string> columns) : columns_(std::move(columns)) {}
  void write(const Json& record) override { records_.push_back(record); }
  void finish() override {
    if (columns_.empty()) {
      // The common identifying fields first, when present, then the rest of the first record.
      std::set<std::string> seen;
      for (const char* key : {"id", "fullId", "externalId", "name", "status"}) {
        for (const auto& record : records_) {
          if (record.contains(key) && seen.insert(key).second)
            columns_.push_back(key);
        }
      }
      if (!records_.empty()) {
        for (const auto& item : records_.front().items()) {
          if (columns_.size() < 8 && !item.value().is_structured() &&
              seen.insert(item.key()).second)
            columns_.push_back(item.key());
        }
      }
    }
    std::vector<std::vector<std::string>> rows;
    std::vector<std::size_t> widths;
    for (const auto& column : columns_)
      widths.push_back(column.size());
    for (const auto& record : records_) {
      std::vector<std::string> row;
      for (std::size_t i = 0; i < columns_.size(); ++i) {
        const auto it = record.find(columns_[i]);
        std::string cell;
        if (it != record.end() && !it->is_null())
          cell = it->is_string() ? it->get<std::string>() : it->dump();
        for (auto& c : cell) {
          if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
        }
        if (cell.size() > 40)
          cell = cell.substr(0, 37) + "...";
        widths[i] = std::max(widths[i], cell.size());
        row.push_back(std::move(cell));
      }
      rows.push_back(std::move(row));
    }
    auto line = [&widths](const std::vector<std::string>& cells) {
      std::string out;
      for (std::size_t i = 0; i < cells.size(); ++i) {
        out += cells[i];
        if (i + 1 < cells.size())
          out += std::string(widths[i] - cells[i].size() + 2, ' ');
      }
      std::cout << out << "\n";
    };
    line(columns_);
    for (const auto& row : rows)
      line(row);
  }

 private:
  std::vector<std::string> columns_;
  std::vector<Json> records_;
};

struct SearchArgs {
  std::string object_key;
  std::vector<std::string> filters;
  bool all = false;
  int limit = 0;
  std::string format;
  std::vector<std::string> columns;
  std::vector<std::string> paths;
  std::string board_id;
  std::optional<std::string> null_token;  // export --null-token
};

std::unique_ptr<RecordWriter> make_writer(const SearchArgs& args, std::size_t page_size) {
  if (args.format == "json")
    return std::make_unique<JsonWriter>();
  if (args.format == "jsonl")
    return std::make_unique<JsonlWriter>();
  if (args.format == "csv")
    return std::make_unique<CsvWriter>(args.object_key, args.columns, page_size, args.null_token);
  return std::make_unique<TableWriter>(args.columns);
}

int run_search(const Context& context, const SearchArgs& args, bool every_record) {
  roserocket::SearchRequest request;
  request.object_key = args.object_key;
  request.paths = args.paths;
  for (const auto& text : args.filters)
    request.filters.push_back(parse_filter(text));
  const int page_size = args.limit > 0 ? args.limit : 100;
  auto writer = make_writer(args, static_cast<std::size_t>(page_size));
  const auto client = context.client();
  const auto objects = client.objects();
  request.board_id = args.board_id;
  if (request.board_id.empty()) {
    // The API searches one board; the first one that shows this object will do.
    const auto board = client.boards().first_for(args.object_key, context.call_options());
    if (!board) {
      throw UsageError("no board shows '" + args.object_key +
                       "' records (is the object key right?); give --board");
    }
    request.board_id = board->id;
  }
  if (every_record) {
    roserocket::SearchAllOptions all;
    all.page_size = page_size;
    // Lazily paged: one page in memory at a time (CSV holds the first for its header).
    // --timeout bounds the walk: the timer cancels the page in flight and every later one.
    for (const auto& record : objects.search_all(request, context.call_options(), all))
      writer->write(record);
  } else {
    request.limit = page_size;
    const auto page = objects.search(request, context.call_options());
    for (const auto& record : page.results)
      writer->write(record);
    if (page.has_more) {
      std::cerr << "rr: " << page.results.size() << " of " << page.total
                << " records shown; --all for every one\n";
    }
  }
  writer->finish();
  return kExitOk;
}

void add_common(CLI::App* command, SearchArgs& args) {
  command->add_option("objectKey", args.object_key, "the object key, e.g. order")->required();
  command->add_option("--filter", args.filters,
                      "'field op value', e.g. 'status in new,booked'; repeat to AND them");
  command->add_option("--columns", args.columns, "CSV/table columns, comma-separated")
      ->delimiter(',');
  command->add_option("--board", args.board_id, "board id (default: the first for the object)");
  command->add_option("--paths", args.paths, "related records to include, comma-separated")
      ->delimiter(',');
}

}  // namespace

void add_search_commands(CLI::App& app, Context& context) {
  auto search_args = std::make_shared<SearchArgs>();
  search_args->format = "json";
  auto* search = app.add_subcommand("search", "find records of one object by filters");
  add_common(search, *search_args);
  search->add_flag("--all", search_args->all, "every matching record, paged by keyset");
  search->add_option("--limit", search_args->limit, "records per page (default 100)")
      ->check(CLI::Range(1, 1000));
  search->add_option("--format", search_args->format, "json (default), jsonl, csv or table")
      ->check(CLI::IsMember({"json", "jsonl", "csv", "table"}));
  context.actions[search] = [&context, search_args] {
    return run_search(context, *search_args, search_args->all);
  };

  auto export_args = std::make_shared<SearchArgs>();
  export_args->format = "jsonl";
  auto* exporter = app.add_subcommand("export", "write every record of one object, streamed");
  add_common(exporter, *export_args);
  exporter->add_option("--format", export_args->format, "jsonl (default) or csv")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  exporter->add_option("--page-size", export_args->limit, "records per request (default 100)")
      ->check(CLI::Range(1, 1000));
  auto null_token = std::make_shared<std::string>();
  auto* null_option =
      exporter->add_option("--null-token", *null_token,
                           "csv: write null values as this text (rr import --null-token reads it)");
  context.actions[exporter] = [&context, export_args, null_token, null_option] {
    if (null_option->count() > 0)
      export_args->null_token = *null_token;
    return run_search(context, *export_args, true);
  };
}

}  // namespace rr_cli
