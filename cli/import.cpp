// rr import: a CSV or JSON Lines file through the SDK's bulk engine, with progress, a summary and
// the failed rows written to a file that rr import takes again.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "csv.hpp"
#include "fields.hpp"
#include "roserocket/bulk.hpp"
#include "roserocket/model/catalog.hpp"

namespace rr_cli {
namespace {

constexpr int kImportAttempts = 10;

enum class FileFormat { kCsv, kJsonl };

// One input row: what was read (to write it back on failure) and the record made from it.
struct Row {
  std::size_t line = 0;
  std::vector<std::string> cells;  // CSV
  std::string text;                // JSON Lines
  std::optional<Json> record;      // empty when the row itself is bad
  std::string error;               // why, when the row is bad or its request failed
};

struct Input {
  FileFormat format = FileFormat::kCsv;
  std::vector<std::string> header;  // CSV
  std::vector<Row> rows;
};

struct ImportArgs {
  std::string object_key;
  std::string file;
  std::string external_id_column;
  int concurrency = 16;
  bool json_cells = false;             // --json-cells: untyped columns read as JSON when it parses
  bool allow_unknown_columns = false;  // --allow-unknown-columns
  std::optional<std::string> null_token;  // --null-token: cells that clear their field
};

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

FileFormat format_of(const std::string& path) {
  if (ends_with(path, ".csv"))
    return FileFormat::kCsv;
  if (ends_with(path, ".jsonl") || ends_with(path, ".ndjson"))
    return FileFormat::kJsonl;
  throw UsageError("import: " + path + ": name a .csv or .jsonl file");
}

// "orders.csv" -> "orders.failed.csv".
std::string failed_path(const std::string& path) {
  const auto dot = path.rfind('.');
  return path.substr(0, dot) + ".failed" + path.substr(dot);
}

// Columns that are not fields to send: what the server writes, and the object key itself.
bool ignored_column(const std::string& object_key, const std::string& column) {
  return column == "objectKey" || !roserocket::model::read_only_reason(object_key, column).empty();
}

// How one CSV column is read: not sent (server-written), or by its field's type.
struct Column {
  bool send = true;
  const roserocket::model::FieldSpec* spec = nullptr;  // null: the catalog does not type it
  bool json = false;  // an untyped column read as JSON when it parses (--json-cells)
};

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names)
    out += (out.empty() ? "\"" : ", \"") + name + "\"";
  return out;
}

// Refuses fields the catalog does not know on an object whose fields it lists (a misspelt or
// misplaced column would be stored silently), unless --allow-unknown-columns; then warns.
void check_unknown(const ImportArgs& args, const std::vector<std::string>& unknown) {
  if (unknown.empty())
    return;
  if (!args.allow_unknown_columns) {
    std::string why;
    for (const auto& name : unknown)
      why += (why.empty() ? "" : "; ") + unknown_field_message(args.object_key, name);
    throw UsageError(
        "import: " + why +
        ". Nothing was sent: fix the header, or give --allow-unknown-columns to send " +
        (unknown.size() == 1 ? "it" : "them") + " untyped");
  }
  std::cerr << "rr: import: sending fields the catalog does not know for " << args.object_key
            << (args.json_cells ? " (JSON when it parses, else text): " : " as text: ")
            << quoted_list(unknown) << "\n";
}

// The reading of each column of @p header; @p ignored gets the columns not sent.
std::vector<Column> plan_columns(const ImportArgs& args, const std::vector<std::string>& header,
                                 std::vector<std::string>& ignored) {
  std::vector<Column> columns(header.size());
  std::vector<std::string> unknown;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string& name = header[i];
    if (name.empty()) {
      throw UsageError("import: column " + std::to_string(i + 1) + " of " + args.file +
                       "'s header has no name");
    }
    if (std::find(header.begin(), header.begin() + static_cast<std::ptrdiff_t>(i), name) !=
        header.begin() + static_cast<std::ptrdiff_t>(i)) {
      throw UsageError("import: column \"" + name + "\" appears twice in " + args.file +
                       "'s header");
    }
    Column& column = columns[i];
    if (name == args.external_id_column && name != "externalId")
      continue;  // the external id itself: text, not sent as a field
    if (ignored_column(args.object_key, name)) {
      column.send = false;
      ignored.push_back(name);
      continue;
    }
    const auto knowledge = field_knowledge(args.object_key, name, &column.spec);
    column.json = column.spec == nullptr && args.json_cells;
    if (knowledge == FieldKnowledge::kUnknown)
      unknown.push_back(name);
  }
  check_unknown(args, unknown);
  return columns;
}

// Prints the cells that do not fit their fields and refuses the file: nothing is sent.
void refuse_bad_values(const std::vector<std::string>& errors) {
  if (errors.empty())
    return;
  for (std::size_t i = 0; i < errors.size() && i < 10; ++i)
    std::cerr << "rr: " << errors[i] << "\n";
  if (errors.size() > 10)
    std::cerr << "rr: ... and " << errors.size() - 10 << " more\n";
  throw UsageError("import: " + std::to_string(errors.size()) +
                   (errors.size() == 1 ? " value does" : " values do") +
                   " not fit the field catalog's types (above); nothing was sent");
}

// A JSON value for a message, as written, cut after 40 bytes.
std::string shown_json(const Json& value) {
  const std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  return text.size() > 40 ? text.substr(0, 40) + "..." : text;
}

// The external id a record carries, moved to `externalId` (empty when missing).
std::string take_external_id(Json& record, const std::string& column) {
  const auto it = record.find(column);
  if (it == record.end() || it->is_null())
    return "";
  std::string id = it->is_string() ? it->get<std::string>() : it->dump();
  if (column != "externalId")
    record.erase(column);
  if (!id.empty())
    record["externalId"] = id;
  return id;
}

Input read_input(const ImportArgs& args) {
  Input input;
  input.format = format_of(args.file);
  std::ifstream in(args.file, std::ios::binary);
  if (!in)
    throw UsageError("import: cannot read " + args.file);
  std::vector<std::string> ignored;
  std::vector<std::string> bad_values;  // "row 3, column \"weight\": expected a number, ..."
  if (input.format == FileFormat::kCsv) {
    std::size_t line = 1;
    try {
      if (!rr_csv::read_record(in, input.header) ||
          (input.header.size() == 1 && input.header[0].empty()))
        throw UsageError("import: " + args.file + " is empty (expected a header line)");
      const std::vector<Column> columns = plan_columns(args, input.header, ignored);
      Row row;
      while (row.line = ++line, rr_csv::read_record(in, row.cells)) {
        line += static_cast<std::size_t>(std::count_if(
            row.cells.begin(), row.cells.end(),
            [](const std::string& cell) { return cell.find('\n') != std::string::npos; }));
        if (row.cells.size() == 1 && row.cells[0].empty())
          continue;  // a blank line
        if (row.cells.size() != input.header.size()) {
          row.error = std::to_string(row.cells.size()) + " fields, the header has " +
                      std::to_string(input.header.size());
        } else {
          Json record = Json::object();
          for (std::size_t i = 0; i < row.cells.size(); ++i) {
            const std::string& cell = row.cells[i];
            if (!columns[i].send)
              continue;
            if (args.null_token && cell == *args.null_token) {
              record[input.header[i]] = nullptr;
              continue;
            }
            if (cell.empty())
              continue;  // no value: the field is not sent
            try {
              record[input.header[i]] = read_value(columns[i].spec, cell, columns[i].json);
            } catch (const ValueError& e) {
              bad_values.push_back("row " + std::to_string(row.line) + ", column \"" +
                                   input.header[i] + "\": " + e.what());
            }
          }
          row.record = std::move(record);
        }
        input.rows.push_back(std::move(row));
        row = Row();
      }
    } catch (const std::runtime_error& e) {
      if (dynamic_cast<const UsageError*>(&e) != nullptr)
        throw;
      throw UsageError("import: " + args.file + ":" + std::to_string(line) + ": " + e.what());
    }
  } else {
    std::string text;
    std::size_t line = 0;
    std::vector<std::string> unknown;
    while (std::getline(in, text)) {
      ++line;
      if (!text.empty() && text.back() == '\r')
        text.pop_back();
      if (text.find_first_not_of(" \t") == std::string::npos)
        continue;
      Row row;
      row.line = line;
      row.text = text;
      Json record = Json::parse(text, nullptr, /*allow_exceptions=*/false);
      if (record.is_discarded() || !record.is_object()) {
        row.error = "not a JSON object";
      } else {
        for (auto it = record.begin(); it != record.end();) {
          if (ignored_column(args.object_key, it.key())) {
            it = record.erase(it);
            continue;
          }
          const roserocket::model::FieldSpec* spec = nullptr;
          const auto knowledge = field_knowledge(args.object_key, it.key(), &spec);
          if (knowledge == FieldKnowledge::kUnknown && it.key() != args.external_id_column &&
              std::find(unknown.begin(), unknown.end(), it.key()) == unknown.end())
            unknown.push_back(it.key());
          if (spec != nullptr && !value_fits(spec->type, *it)) {
            bad_values.push_back("line " + std::to_string(line) + ", field \"" + it.key() +
                                 "\": expected " + expected_type(spec->type) + ", got " +
                                 shown_json(*it));
          }
          ++it;
        }
        row.record = std::move(record);
      }
      input.rows.push_back(std::move(row));
    }
    check_unknown(args, unknown);
  }
  refuse_bad_values(bad_values);
  if (!ignored.empty()) {
    std::string names;
    for (const auto& name : ignored)
      names += (names.empty() ? "" : ", ") + name;
    std::cerr << "rr: import: not sending columns the server writes: " << names << "\n";
  }
  if (!args.external_id_column.empty()) {
    if (input.format == FileFormat::kCsv &&
        std::find(input.header.begin(), input.header.end(), args.external_id_column) ==
            input.header.end()) {
      throw UsageError("import: --by-external-id " + args.external_id_column +
                       ": no such column in " + args.file);
    }
    for (auto& row : input.rows) {
      if (row.record && take_external_id(*row.record, args.external_id_column).empty()) {
        row.record.reset();
        row.error = "no external id in " + args.external_id_column;
      }
    }
  }
  return input;
}

void write_failed(const Input& input, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (input.format == FileFormat::kCsv)
    rr_csv::write_record(out, input.header);
  for (const auto& row : input.rows) {
    if (row.error.empty())
      continue;
    if (input.format == FileFormat::kCsv)
      rr_csv::write_record(out, row.cells);
    else
      out << row.text << "\n";
  }
  out.flush();
  if (!out)
    throw UsageError("import: cannot write " + path + " (the failed rows)");
}

// A progress bar on a terminal's stderr: one line, redrawn.
void draw_progress(const roserocket::BulkProgress& p) {
  constexpr int kWidth = 30;
  const int filled =
      p.total == 0 ? kWidth : static_cast<int>(static_cast<double>(p.done) * kWidth / p.total);
  std::fprintf(stderr, "\r[%s%s] %zu/%zu, %zu failed, %.0f/s ", std::string(filled, '#').c_str(),
               std::string(kWidth - filled, '.').c_str(), p.done, p.total, p.failed, p.rate);
  std::fflush(stderr);
}

int run_import(const Context& context, const ImportArgs& args) {
  Input input = read_input(args);
  std::vector<Json> records;
  std::vector<std::size_t> row_of;  // records[i] comes from input.rows[row_of[i]]
  for (std::size_t i = 0; i < input.rows.size(); ++i) {
    if (input.rows[i].record) {
      records.push_back(std::move(*input.rows[i].record));
      row_of.push_back(i);
    }
  }

  roserocket::BulkOptions options;
  options.max_in_flight = args.concurrency;
  // A long import meets throttling (429) more than once per row now and then: more attempts
  // than a single call gets. Every retried request is one that cannot act twice (see ADR 0003).
  roserocket::BulkEngine engine(context.client(kImportAttempts), options);
  roserocket::BatchOptions batch;
  // --timeout: rows not sent by then end as failed rows (in the .failed file), not lost.
  batch.cancellation = context.deadline.token();
  const bool terminal = is_terminal(2);
  if (terminal)
    batch.progress = draw_progress;

  // The external-id route answers 200 either way: each row is counted by what the SDK could
  // tell from the record (UpsertOutcome), "unknown" included, never guessed.
  std::size_t created = 0, updated = 0, created_or_unchanged = 0, unknown = 0;
  const auto started = std::chrono::steady_clock::now();
  if (!args.external_id_column.empty()) {
    const auto results = engine.upsert_many(args.object_key, records, batch);
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (!results[i].ok()) {
        input.rows[row_of[i]].error = results[i].error_message;
        continue;
      }
      switch (results[i].value->outcome) {
        case roserocket::UpsertOutcome::kCreated:
          ++created;
          break;
        case roserocket::UpsertOutcome::kUpdated:
          ++updated;
          break;
        case roserocket::UpsertOutcome::kCreatedOrUnchanged:
          ++created_or_unchanged;
          break;
        case roserocket::UpsertOutcome::kUnknown:
          ++unknown;
          break;
      }
    }
  } else {
    const auto results = engine.create_many(args.object_key, records, batch);
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (results[i].ok())
        ++created;
      else
        input.rows[row_of[i]].error = results[i].error_message;
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (terminal)
    std::fprintf(stderr, "\n");

  std::size_t failed = 0;
  for (const auto& row : input.rows) {
    if (row.error.empty())
      continue;
    if (++failed <= 10)
      std::cerr << "rr: import: line " << row.line << ": " << row.error << "\n";
  }
  if (failed > 10)
    std::cerr << "rr: import: ... and " << failed - 10 << " more failed rows\n";

  const std::size_t upserted = created + updated + created_or_unchanged + unknown;
  Json summary = {{"rows", input.rows.size()},
                  {"created", created},
                  {"updated", updated},
                  {"createdOrUnchanged", created_or_unchanged},
                  {"unknown", unknown},
                  {"upserted", args.external_id_column.empty() ? std::size_t{0} : upserted},
                  {"failed", failed},
                  {"seconds", seconds}};
  std::string failed_file;
  if (failed > 0) {
    failed_file = failed_path(args.file);
    write_failed(input, failed_file);
    summary["failedFile"] = failed_file;
  }
  print_json(summary);
  char line[300];
  if (args.external_id_column.empty()) {
    std::snprintf(line, sizeof line, "%zu created, %zu failed in %.2f s", created, failed, seconds);
  } else {
    std::snprintf(line, sizeof line,
                  "%zu upserted: %zu created, %zu updated, %zu created or unchanged, %zu unknown; "
                  "%zu failed in %.2f s",
                  upserted, created, updated, created_or_unchanged, unknown, failed, seconds);
  }
  std::cerr << "rr: import: " << line << "\n";
  if (failed > 0) {
    throw PartialFailure("import: " + std::to_string(failed) + " rows failed; they are in " +
                         failed_file + " (run rr import on it again)");
  }
  return kExitOk;
}

}  // namespace

void add_import_command(CLI::App& app, Context& context) {
  auto args = std::make_shared<ImportArgs>();
  auto* import = app.add_subcommand("import", "create or upsert records from a CSV or JSONL file");
  import->add_option("objectKey", args->object_key, "the object key, e.g. customer")->required();
  import->add_option("file", args->file, "FILE.csv or FILE.jsonl")->required();
  import->add_option("--by-external-id", args->external_id_column,
                     "upsert by external id taken from this column (else create every row)");
  import->add_option("--concurrency", args->concurrency, "requests in flight (default 16)")
      ->check(CLI::Range(1, 256));
  import->add_flag("--json-cells", args->json_cells,
                   "read cells of columns the field catalog does not type as JSON when they "
                   "parse (typed columns follow their type)");
  auto null_token = std::make_shared<std::string>();
  auto* null_option = import->add_option("--null-token", *null_token,
                                         "a cell equal to this text clears its field (sends null)");
  import->add_flag("--allow-unknown-columns", args->allow_unknown_columns,
                   "send columns that are no field of the object in the field catalog (warned)");
  context.actions[import] = [&context, args, null_token, null_option] {
    if (null_option->count() > 0)
      args->null_token = *null_token;
    return run_import(context, *args);
  };
}

}  // namespace rr_cli
