// Bulk import: reads customers from a CSV file (an ERP export) and upserts them by external id,
// 16 requests in flight through one BulkEngine, with a one-line progress display and a summary.
// Running it twice creates nothing new: the second run updates the same records.
//
// Usage: bulk_import [customers.csv]   (default: examples/data/customers.csv in the source tree)
// CSV columns: external_id,name,company_email,company_phone,address,city,state,postal; a field
// may be quoted ("A, B"), with "" for a quote inside.

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "example_support.hpp"
#include "roserocket/bulk.hpp"

namespace {

// The fields of one CSV line: separated by ',', a field in double quotes may hold ',' and a
// doubled "" for a quote. (Enough for this file; rr import reads CSV in full, line breaks in
// quoted fields included.)
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool in_quotes = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_quotes && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      fields.back() += '"';
      ++i;
    } else if (c == '"') {
      in_quotes = !in_quotes;
    } else if (c == ',' && !in_quotes) {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  if (in_quotes)
    throw std::runtime_error("a quote is not closed in: " + line);
  return fields;
}

// The CSV's rows as the platform's customer fields (camelCase keys, externalId included).
std::vector<roserocket::Json> read_customers(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error("cannot read " + path);
  std::string line;
  if (!std::getline(in, line))
    throw std::runtime_error(path + " is empty");
  const std::map<std::string, std::string> keys{{"external_id", "externalId"},
                                                {"name", "name"},
                                                {"company_email", "companyEmail"},
                                                {"company_phone", "companyPhone"},
                                                {"address", "address"},
                                                {"city", "city"},
                                                {"state", "state"},
                                                {"postal", "postal"}};
  std::vector<std::string> columns;
  for (const auto& header : csv_fields(line)) {
    const auto it = keys.find(header);
    if (it == keys.end())
      throw std::runtime_error(path + ": unknown column '" + header + "'");
    columns.push_back(it->second);
  }
  std::vector<roserocket::Json> out;
  int number = 1;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty())
      continue;
    const auto fields = csv_fields(line);
    if (fields.size() != columns.size()) {
      throw std::runtime_error(path + ":" + std::to_string(number) + ": " +
                               std::to_string(fields.size()) + " fields, expected " +
                               std::to_string(columns.size()));
    }
    roserocket::Json record = roserocket::Json::object();
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (!fields[i].empty())
        record[columns[i]] = fields[i];
    }
    out.push_back(std::move(record));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string default_csv = ROSEROCKET_EXAMPLE_CSV;
  const std::string csv = argc > 1 ? argv[1] : default_csv;
  return example::run([&csv](roserocket::Client& client) {
    const auto customers = read_customers(csv);
    std::cout << "read " << customers.size() << " customers from " << csv << "\n";

    roserocket::BulkOptions options;
    options.max_in_flight = 16;
    roserocket::BulkEngine engine(client, options);

    // One line, redrawn in place on a terminal; a line per 10% when the output is a file.
    const bool terminal = isatty(fileno(stdout)) != 0;
    std::size_t next_line = 0;
    roserocket::BatchOptions batch;
    batch.progress = [&](const roserocket::BulkProgress& p) {
      if (terminal) {
        std::printf("\r%zu/%zu done, %zu failed, %.0f/s   ", p.done, p.total, p.failed, p.rate);
      } else if (p.done >= next_line || p.done == p.total) {
        std::printf("%zu/%zu done, %zu failed, %.0f/s\n", p.done, p.total, p.failed, p.rate);
        next_line = p.done + p.total / 10;
      }
      std::fflush(stdout);
    };
    const auto started = std::chrono::steady_clock::now();
    const auto results = engine.upsert_many("customer", customers, batch);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (terminal)
      std::printf("\n");

    std::size_t upserted = 0, failed = 0;
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (results[i].ok()) {
        ++upserted;
      } else {
        ++failed;
        if (failed <= 10) {
          std::cout << "  " << customers[i].value("externalId", "(no external id)") << ": "
                    << results[i].error_message << "\n";
        }
      }
    }
    const auto stats = engine.stats();
    std::printf("%zu upserted, %zu failed in %.2f s (%.0f/s; %zu requests, %zu pauses)\n", upserted,
                failed, seconds, static_cast<double>(upserted) / seconds, stats.requests,
                stats.pauses);
    if (failed > 0)
      throw std::runtime_error(std::to_string(failed) + " customers were not imported");
  });
}
