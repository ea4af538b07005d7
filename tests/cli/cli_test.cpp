// The rr command line against the emulator: every command, the exit codes, bad input, the
// 5,000-row import through injected 429s, the CSV round trip, no secret in --verbose, rr sync,
// and rr listen forwarding to a loopback webhook handler.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "curl_test_server.hpp"
#include "roserocket/model/catalog.hpp"
#include "roserocket/model/records.hpp"
#include "roserocket/webhooks/webhook_receiver.hpp"
#include "rr_emulator/emulator.hpp"
#include "rr_emulator/pacing.hpp"
#include "support/build_paths.hpp"

namespace {

using nlohmann::json;
using rr_cli_test::RunResult;
using testing::HasSubstr;
using testing::Not;

std::vector<json> json_lines(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty())
      out.push_back(json::parse(line));
  }
  return out;
}

std::string describe(const RunResult& r) {
  return "exit " + std::to_string(r.code) + "\nstdout: " + r.out.substr(0, 2000) +
         "\nstderr: " + r.err.substr(0, 2000);
}

class Rr : public testing::Test {
 protected:
  void SetUp() override {
    const auto* info = testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("rr_cli_test_" + std::to_string(::getpid()) + "_" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    start();
  }

  // A fresh, empty emulator, and the RR_* settings that name it.
  void start() {
    emulator_.reset();
    emulator_ = std::make_unique<rr_emulator::Emulator>();
    emulator_->start();
    env_ = {{"RR_BASE_URL", emulator_->base_url()},
            {"RR_TOKEN_URL", emulator_->token_url()},
            {"RR_CLIENT_ID", rr_emulator::kDemoClientId},
            {"RR_CLIENT_SECRET", rr_emulator::kDemoClientSecret},
            {"XDG_CONFIG_HOME", (dir_ / "config").string()},
            {"HOME", dir_.string()}};
  }

  void TearDown() override {
    emulator_.reset();
    std::filesystem::remove_all(dir_);
  }

  RunResult rr(const std::vector<std::string>& args, const std::string& input = "") const {
    return rr_cli_test::run(RR_EXE, args, env_, input);
  }

  // Creates @p count orders through `rr create`, refNum PREFIX-0, PREFIX-1, ...; their ids.
  std::vector<std::string> create_orders(const std::string& prefix, int count) const {
    std::vector<std::string> ids;
    for (int i = 0; i < count; ++i) {
      const json data = {{"refNum", prefix + "-" + std::to_string(i)}};
      const auto created = rr({"create", "order", "--data", data.dump()});
      EXPECT_EQ(created.code, 0) << describe(created);
      if (created.code == 0)
        ids.push_back(json::parse(created.out).value("id", std::string()));
    }
    return ids;
  }

  // Runs rr with @p args and expects exit code @p code and, when not empty, @p message on stderr.
  void expect_refused(const std::vector<std::string>& args, int code,
                      const std::string& message = "") const {
    std::string command = "rr";
    for (const auto& a : args)
      command += " " + a;
    SCOPED_TRACE(command);
    const RunResult result = rr(args);
    EXPECT_EQ(result.code, code) << result.err;
    if (!message.empty()) {
      EXPECT_THAT(result.err, HasSubstr(message));
    }
  }

  std::string file(const std::string& name, const std::string& content) const {
    const auto path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  std::string read(const std::string& path) const {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  // Every record of @p object_key, through rr itself.
  std::vector<json> all(const std::string& object_key) const {
    const auto r = rr({"export", object_key, "--page-size", "1000"});
    EXPECT_EQ(r.code, 0) << describe(r);
    return json_lines(r.out);
  }

  std::unique_ptr<rr_emulator::Emulator> emulator_;
  std::filesystem::path dir_;
  std::map<std::string, std::string> env_;
};

// ---- global options and exit codes -------------------------------------------------------------

TEST_F(Rr, VersionHelpAndUsageErrors) {
  const auto version = rr({"--version"});
  EXPECT_EQ(version.code, 0);
  EXPECT_THAT(version.out, HasSubstr("rr 1."));
  const auto help = rr({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_THAT(help.out, HasSubstr("Exit codes: 0 success, 1 API"));
  EXPECT_THAT(help.out, HasSubstr("import"));
  EXPECT_EQ(rr({}).code, 2);
  EXPECT_EQ(rr({"frobnicate"}).code, 2);  // the messages: EveryParseErrorIsOneRrLine
  EXPECT_EQ(rr({"get", "x", "--no-such-option"}).code, 2);
  EXPECT_EQ(rr({"search", "customer", "--format", "xml"}).code, 2);
  const auto profile = rr({"--profile", "../evil", "get", "x"});
  EXPECT_EQ(profile.code, 2);
  EXPECT_THAT(profile.err, HasSubstr("not a profile name"));
}

TEST_F(Rr, WrongOrMissingCredentialsExitThree) {
  env_["RR_CLIENT_SECRET"] = "not-the-secret";
  const auto wrong = rr({"get", "00000000-0000-4000-8000-000000000000"});
  EXPECT_EQ(wrong.code, 3) << describe(wrong);
  EXPECT_THAT(wrong.err, Not(HasSubstr("not-the-secret")));
  env_.erase("RR_CLIENT_SECRET");
  const auto none = rr({"get", "00000000-0000-4000-8000-000000000000"});
  EXPECT_EQ(none.code, 3) << describe(none);
  EXPECT_THAT(none.err, HasSubstr("rr auth login"));
}

// ---- records -----------------------------------------------------------------------------------

TEST_F(Rr, CreateGetUpdateDelete) {
  // --data as text, as @file and on stdin.
  const auto a = rr({"create", "customer", "--data", R"({"name":"A Co","externalId":"a-1"})"});
  ASSERT_EQ(a.code, 0) << describe(a);
  const json created = json::parse(a.out);
  const std::string id = created.at("id");
  EXPECT_EQ(created.at("name"), "A Co");
  const auto b = rr({"create", "customer", "--data", "@" + file("b.json", R"({"name":"B Co"})")});
  ASSERT_EQ(b.code, 0) << describe(b);
  EXPECT_EQ(json::parse(b.out).at("name"), "B Co");
  const auto c = rr({"create", "customer", "--data", "-"}, R"({"name":"C Co"})");
  ASSERT_EQ(c.code, 0) << describe(c);
  EXPECT_EQ(json::parse(c.out).at("name"), "C Co");

  const auto got = rr({"get", id, "--paths", "contacts"});
  ASSERT_EQ(got.code, 0) << describe(got);
  EXPECT_EQ(json::parse(got.out).at("id"), id);
  EXPECT_TRUE(json::parse(got.out).contains("contacts"));
  const auto by_external = rr({"get", "--object", "customer", "--external-id", "a-1"});
  ASSERT_EQ(by_external.code, 0) << describe(by_external);
  EXPECT_EQ(json::parse(by_external.out).at("id"), id);

  // The README's example: each value read by the catalog's type of its field.
  const auto updated =
      rr({"update", id, "--set", "city=Boston", "--set", "postal=02110", "--set",
          "address=1 Main St", "--set", "etaDelayNotifyEnabled=false", "--set", "name=1234"});
  ASSERT_EQ(updated.code, 0) << describe(updated);
  const json after = json::parse(rr({"get", id}).out);
  EXPECT_EQ(after.at("city"), "Boston");
  EXPECT_EQ(after.at("postal"), "02110");  // a string field: text, not the number 2110
  EXPECT_EQ(after.at("address"), "1 Main St");
  EXPECT_EQ(after.at("etaDelayNotifyEnabled"), false);  // a boolean field: parsed
  EXPECT_EQ(after.at("name"), "1234");
  const auto cleared = rr({"update", id, "--object", "customer", "--clear", "city"});
  ASSERT_EQ(cleared.code, 0) << describe(cleared);
  EXPECT_TRUE(json::parse(rr({"get", id}).out).at("city").is_null());

  EXPECT_EQ(rr({"delete", id}).code, 0);
  const auto gone = rr({"get", id});
  EXPECT_EQ(gone.code, 1);
  EXPECT_THAT(gone.err, HasSubstr("not found"));
}

TEST_F(Rr, BadInputGetsAClearMessageAndTheDocumentedExitCode) {
  const std::string some_id = "00000000-0000-4000-8000-000000000000";
  expect_refused({"create", "nosuchobject", "--data", "{}"}, 1, "Unknown objectKey");
  expect_refused({"search", "nosuchobject"}, 2, "no board shows 'nosuchobject'");

  expect_refused({"update", some_id, "--set", "nameX"}, 2, "--set 'nameX': expected field=value");
  expect_refused({"update", some_id, "--set", "a..b=1"}, 2, "empty field name");

  expect_refused({"create", "customer", "--data", "@" + file("bad.json", "{\"name\": ")}, 2,
                 "bad.json is not valid JSON");
  expect_refused({"create", "customer", "--data", "[1]"}, 2);
  expect_refused({"create", "customer", "--data", "@" + (dir_ / "none.json").string()}, 2,
                 "cannot read");

  expect_refused({"get", "not-an-id"}, 1, "404");
  expect_refused({"get", "--external-id", "x"}, 2, "needs --object");

  expect_refused({"search", "customer", "--filter", "name like x"}, 2, "unknown operator 'like'");
  expect_refused({"search", "customer", "--filter", "version < 3"}, 2, "use <= or >=");

  expect_refused({"import", "customer", file("rows.txt", "a\n")}, 2);
  expect_refused({"import", "customer", file("rows.csv", "name\nX\n"), "--by-external-id", "ext"},
                 2, "no such column");
}

// ---- search and export -------------------------------------------------------------------------

TEST_F(Rr, SearchFiltersAndFormats) {
  std::vector<json> customers;
  for (int i = 0; i < 7; ++i) {
    customers.push_back({{"name", "Cust " + std::to_string(i)},
                         {"externalId", "s-" + std::to_string(i)},
                         {"city", i % 2 == 0 ? "Austin" : "Denver"}});
  }
  emulator_->seed_records("customer", customers);

  const auto in = rr({"search", "customer", "--filter", "externalId in s-1,s-2,s-3", "--filter",
                      "city = Denver", "--format", "jsonl"});
  ASSERT_EQ(in.code, 0) << describe(in);
  const auto found = json_lines(in.out);
  ASSERT_EQ(found.size(), 2u);  // s-1 and s-3: the filters are ANDed
  std::set<std::string> ids;
  for (const auto& record : found)
    ids.insert(record.at("externalId").get<std::string>());
  EXPECT_EQ(ids, (std::set<std::string>{"s-1", "s-3"}));

  const auto as_json = rr({"search", "customer", "--filter", "name ^= Cust", "--limit", "3"});
  ASSERT_EQ(as_json.code, 0) << describe(as_json);
  EXPECT_EQ(json::parse(as_json.out).size(), 3u);
  EXPECT_THAT(as_json.err, HasSubstr("3 of 7 records shown"));

  const auto every = rr({"search", "customer", "--all", "--limit", "2", "--format", "json"});
  ASSERT_EQ(every.code, 0) << describe(every);
  EXPECT_EQ(json::parse(every.out).size(), 7u);

  const auto csv = rr({"search", "customer", "--filter", "city != Denver", "--format", "csv",
                       "--columns", "externalId,city"});
  ASSERT_EQ(csv.code, 0) << describe(csv);
  EXPECT_EQ(csv.out, "externalId,city\ns-0,Austin\ns-2,Austin\ns-4,Austin\ns-6,Austin\n");

  const auto table =
      rr({"search", "customer", "--filter", "externalId = s-5", "--format", "table"});
  ASSERT_EQ(table.code, 0) << describe(table);
  EXPECT_THAT(table.out, HasSubstr("externalId"));
  EXPECT_THAT(table.out, HasSubstr("s-5"));
  EXPECT_THAT(table.out, HasSubstr("Cust 5"));
}

TEST_F(Rr, ExportPagesLazilyThroughEveryRecord) {
  std::vector<json> tags;
  for (int i = 0; i < 250; ++i)
    tags.push_back({{"name", "tag " + std::to_string(i)}});
  emulator_->seed_records("tag", tags);
  const auto r = rr({"--verbose", "export", "tag", "--page-size", "100"});
  ASSERT_EQ(r.code, 0) << describe(r);
  const auto records = json_lines(r.out);
  ASSERT_EQ(records.size(), 250u);
  std::set<std::string> ids;
  for (const auto& record : records)
    ids.insert(record.at("id").get<std::string>());
  EXPECT_EQ(ids.size(), 250u);
  // Three pages of 100 (the last short), one request each.
  std::size_t searches = 0;
  for (std::size_t at = r.err.find("POST /api/v2/platformModel/objects/search -> 200");
       at != std::string::npos;
       at = r.err.find("POST /api/v2/platformModel/objects/search -> 200", at + 1))
    ++searches;
  EXPECT_EQ(searches, 3u) << r.err;
}

// ---- import ------------------------------------------------------------------------------------

TEST_F(Rr, ExportToCsvImportsBackToTheSameRecords) {
  // Values that look like something else, leading zeros, commas, quotes and line breaks, empty
  // cells (absent fields), nulls, typed values and a custom field the catalog does not type.
  const std::vector<std::string> tricky = {"10001",     "02134", "true", "null",    "[x]",
                                           "{\"a\":1}", "1e5",   "-0",   " padded "};
  std::vector<json> customers;
  for (int i = 0; i < 30; ++i) {
    json c = {{"name", "Name " + std::to_string(i) + ", \"quoted\"\nsecond line"},
              {"externalId", "rt-" + std::to_string(i)},
              {"postal", std::to_string(10000 + i).replace(0, 1, "0")},  // 00000...: a string
              {"companyPhone", std::to_string(5550100 + i)},
              {"address", std::to_string(i) + " Main St, Unit \"B\""},
              {"city", tricky[static_cast<std::size_t>(i) % tricky.size()]},
              {"etaDelayNotifyEnabled", i % 2 == 0},
              {"busHoursMonStartAt", 8 * 3600 + i * 60}};
    if (i % 4 == 0)
      c["state"] = nullptr;  // cleared
    if (i % 3 == 0)
      c.erase("companyPhone");  // absent: an empty cell
    if (i % 5 == 0)
      c["region__c"] = i % 2 == 0 ? json("10") : json(10);  // untyped: JSON cells read it back
    customers.push_back(std::move(c));
  }
  emulator_->seed_records("customer", customers);
  const auto exported =
      rr({"export", "customer", "--format", "csv", "--page-size", "7", "--null-token", "\\N"});
  ASSERT_EQ(exported.code, 0) << describe(exported);
  EXPECT_THAT(exported.out, HasSubstr(",00000,"));  // text as it is, not JSON-quoted
  EXPECT_THAT(exported.err, HasSubstr("import with --json-cells"));  // region__c said so
  const auto before = all("customer");
  ASSERT_EQ(before.size(), 30u);
  const std::string csv = file("customers.csv", exported.out);

  // Into an empty emulator: the same records come back, field by field.
  start();
  const auto imported = rr({"import", "customer", csv, "--by-external-id", "externalId",
                            "--null-token", "\\N", "--json-cells"});
  ASSERT_EQ(imported.code, 0) << describe(imported);
  EXPECT_EQ(json::parse(imported.out).at("upserted"), 30);
  const auto after = all("customer");
  ASSERT_EQ(after.size(), 30u);
  std::map<std::string, json> by_external_id;
  for (const auto& record : after)
    by_external_id[record.at("externalId")] = record;
  for (const auto& original : before) {
    const auto& copy = by_external_id.at(original.at("externalId"));
    for (const auto& [field, value] : original.items()) {
      if (!roserocket::model::read_only_reason("customer", field).empty() || field == "objectKey")
        continue;  // written by the server: a new id, fullId, timestamps
      ASSERT_TRUE(copy.contains(field)) << original.at("externalId") << " " << field;
      EXPECT_EQ(copy.at(field), value) << original.at("externalId") << " " << field;
    }
    for (const auto& [field, value] : copy.items()) {
      if (roserocket::model::read_only_reason("customer", field).empty() && field != "objectKey") {
        EXPECT_TRUE(original.contains(field)) << original.at("externalId") << " " << field;
      }
    }
  }

  // Again onto the same records: updates, nothing new.
  const auto again = rr({"import", "customer", csv, "--by-external-id", "externalId",
                         "--null-token", "\\N", "--json-cells"});
  ASSERT_EQ(again.code, 0) << describe(again);
  EXPECT_EQ(json::parse(again.out).at("upserted"), 30);
  EXPECT_EQ(all("customer").size(), 30u);
}

TEST_F(Rr, ExportWithoutANullTokenSaysNullsBecomeEmptyCells) {
  emulator_->seed_records(
      "customer",
      {json{{"name", "A"}, {"externalId", "n-1"}, {"city", nullptr}, {"companyEmail", ""}}});
  const auto exported = rr(
      {"export", "customer", "--format", "csv", "--columns", "externalId,name,city,companyEmail"});
  ASSERT_EQ(exported.code, 0) << describe(exported);
  EXPECT_EQ(exported.out, "externalId,name,city,companyEmail\nn-1,A,,\n");
  EXPECT_THAT(exported.err, HasSubstr("1 null values are written as empty cells"));
  // A value equal to the token would read back as null: refused.
  expect_refused({"export", "customer", "--format", "csv", "--null-token", "A"}, 2,
                 "is the --null-token \"A\" itself");
}

TEST_F(Rr, ImportSummaryCountsWhatEachUpsertDidWithoutGuessing) {
  // The external-id route answers 200 either way: a new record and one left as it was both come
  // back at version 1, so rr counts them together; a changed one is at version 2.
  const std::string first = file("first.csv", "ext,name\nu-1,One\nu-2,Two\nu-3,Three\n");
  const auto a = rr({"import", "customer", first, "--by-external-id", "ext"});
  ASSERT_EQ(a.code, 0) << describe(a);
  const json sa = json::parse(a.out);
  EXPECT_EQ(sa.at("upserted"), 3);
  EXPECT_EQ(sa.at("created"), 0);
  EXPECT_EQ(sa.at("updated"), 0);
  EXPECT_EQ(sa.at("createdOrUnchanged"), 3);
  EXPECT_EQ(sa.at("unknown"), 0);
  EXPECT_THAT(a.err, HasSubstr("3 upserted: 0 created, 0 updated, 3 created or unchanged, "
                               "0 unknown; 0 failed"));

  const std::string second =
      file("second.csv", "ext,name\nu-1,One changed\nu-2,Two\nu-3,Three\nu-4,Four\n");
  const auto b = rr({"import", "customer", second, "--by-external-id", "ext"});
  ASSERT_EQ(b.code, 0) << describe(b);
  const json sb = json::parse(b.out);
  EXPECT_EQ(sb.at("upserted"), 4);
  EXPECT_EQ(sb.at("updated"), 1);
  EXPECT_EQ(sb.at("createdOrUnchanged"), 3);
  EXPECT_EQ(sb.at("created"), 0);
  EXPECT_EQ(sb.at("unknown"), 0);
  EXPECT_EQ(all("customer").size(), 4u);

  // Without an external id every row is created, and said so.
  const auto c = rr({"import", "tag", file("tags.csv", "name\nred\nblue\n")});
  ASSERT_EQ(c.code, 0) << describe(c);
  const json sc = json::parse(c.out);
  EXPECT_EQ(sc.at("created"), 2);
  EXPECT_EQ(sc.at("upserted"), 0);
  EXPECT_EQ(sc.at("updated"), 0);
  EXPECT_THAT(c.err, HasSubstr("2 created, 0 failed"));
}

TEST_F(Rr, FailedRowsGoToAFileThatImportsAgain) {
  const std::string csv = file("in.csv",
                               "ext,name,city\n"
                               "f-1,One,NYC\n"
                               "f-2,\"Two, Inc\",LA\n"
                               ",No Id,SF\n"
                               "f-4,Four,Boston\n"
                               "f-5,Five,\n");
  // The first two requests are refused (400 is not retried).
  rr_emulator::Fault refuse;
  refuse.path_prefix = "/api/v2/platformModel/objects";
  refuse.status = 400;
  refuse.message = "refused by the test";
  refuse.count = 2;
  emulator_->add_fault(refuse);
  const auto first =
      rr({"import", "customer", csv, "--by-external-id", "ext", "--concurrency", "1"});
  EXPECT_EQ(first.code, 4) << describe(first);
  EXPECT_THAT(first.err, HasSubstr("no external id in ext"));
  EXPECT_THAT(first.err, HasSubstr("refused by the test"));
  const json summary = json::parse(first.out);
  EXPECT_EQ(summary.at("failed"), 3);
  EXPECT_EQ(summary.at("upserted"), 2);
  const std::string failed = (dir_ / "in.failed.csv").string();
  EXPECT_EQ(summary.at("failedFile"), failed);
  EXPECT_EQ(read(failed), "ext,name,city\nf-1,One,NYC\nf-2,\"Two, Inc\",LA\n,No Id,SF\n");

  // The failed file goes in again as it is; the row without an id fails again, alone.
  const auto second = rr({"import", "customer", failed, "--by-external-id", "ext"});
  EXPECT_EQ(second.code, 4) << describe(second);
  EXPECT_EQ(json::parse(second.out).at("upserted"), 2);
  EXPECT_EQ(read((dir_ / "in.failed.failed.csv").string()), "ext,name,city\n,No Id,SF\n");
  const auto records = all("customer");
  std::multiset<std::string> ids;
  for (const auto& r : records)
    ids.insert(r.at("externalId").get<std::string>());
  EXPECT_EQ(ids, (std::multiset<std::string>{"f-1", "f-2", "f-4", "f-5"}));
}

TEST_F(Rr, ImportsJsonLinesAndCreatesWithoutExternalIds) {
  const std::string jsonl = file("tags.jsonl",
                                 "{\"name\":\"red\"}\n"
                                 "\n"
                                 "{\"name\":\"blue\"}\n"
                                 "not json\n");
  const auto r = rr({"import", "tag", jsonl});
  EXPECT_EQ(r.code, 4) << describe(r);
  EXPECT_EQ(json::parse(r.out).at("created"), 2);
  EXPECT_EQ(read((dir_ / "tags.failed.jsonl").string()), "not json\n");
  EXPECT_EQ(all("tag").size(), 2u);
}

TEST_F(Rr, FiveThousandRowsThroughInjected429sEndWithEveryRowExactlyOnce) {
  std::string csv = "externalId,name,city\n";
  for (int i = 0; i < 5000; ++i)
    csv += "bulk-" + std::to_string(i) + ",Customer " + std::to_string(i) + ",Toronto\n";
  const std::string path = file("bulk.csv", csv);
  // 429 with Retry-After: throttled beyond 2,000 requests a second, and a burst injected.
  rr_emulator::set_pacing(*emulator_, 0, 2000);
  rr_emulator::Fault throttle;
  throttle.path_prefix = "/api/v2/platformModel/objects";
  throttle.status = 429;
  throttle.retry_after = "0";
  throttle.count = 30;
  emulator_->add_fault(throttle);

  const auto r =
      rr({"import", "customer", path, "--by-external-id", "externalId", "--concurrency", "16"});
  ASSERT_EQ(r.code, 0) << describe(r);
  EXPECT_EQ(json::parse(r.out).at("upserted"), 5000);
  EXPECT_GE(emulator_->stats().faults_served, 30u);

  rr_emulator::set_pacing(*emulator_, 0, 0);
  const auto found = rr({"search", "customer", "--all", "--limit", "1000", "--format", "jsonl"});
  ASSERT_EQ(found.code, 0) << describe(found);
  std::map<std::string, int> count;
  for (const auto& record : json_lines(found.out))
    ++count[record.at("externalId").get<std::string>()];
  ASSERT_EQ(count.size(), 5000u);
  for (const auto& [external_id, n] : count)
    EXPECT_EQ(n, 1) << external_id;
}

// ---- values by the field catalog's types -------------------------------------------------------

TEST_F(Rr, UpdateRefusesWritesThatWouldDamageTheRecord) {
  const auto made = rr({"create", "customer", "--data",
                        R"({"name":"Elm Co","address":"9 Elm St","region__c":"north"})"});
  ASSERT_EQ(made.code, 0) << describe(made);
  const json before = json::parse(made.out);
  const std::string id = before.at("id");

  // Each refused locally with exit 2, before any write: the record is as it was.
  expect_refused({"update", id, "--set", "address.line1=1 Main St"}, 2,
                 "address is a string field of customer, not an object");
  expect_refused({"update", id, "--set", "fullId=X"}, 2, "fullId is read-only on customer");
  expect_refused({"update", id, "--object", "customer", "--clear", "version"}, 2,
                 "version is read-only on customer");
  expect_refused({"update", id, "--set", "zip=80202"}, 2,
                 "\"zip\" is not a field of customer in the field catalog");
  expect_refused({"update", id, "--set", "busHoursTuesStartAt=09:00"}, 2,
                 "the catalog writes it busHoursTueStartAt");
  expect_refused({"update", id, "--set", "etaDelayNotifyEnabled=maybe"}, 2,
                 "etaDelayNotifyEnabled: expected true or false, got \"maybe\"");
  expect_refused({"update", id, "--set", "busHoursMonStartAt=25:00"}, 2, "expected a time of day");
  // A field the catalog does not type: the record says it holds a string, not an object.
  expect_refused({"update", id, "--set", "region__c.zone=4"}, 2,
                 "region__c holds a string on this record, not an object");
  expect_refused({"update", id, "--json-values", "--set", R"(region__c={"zone":4})"}, 2,
                 "region__c holds a string on this record");
  expect_refused({"update", id, "--set", "city=X", "--clear", "city"}, 2, "also given to --set");
  expect_refused({"update", id}, 2, "give --set field=value or --clear field");
  const json unchanged = json::parse(rr({"get", id}).out);
  EXPECT_EQ(unchanged.at("version"), before.at("version"));
  EXPECT_EQ(unchanged.at("address"), "9 Elm St");
  EXPECT_EQ(unchanged.at("fullId"), before.at("fullId"));
  EXPECT_FALSE(unchanged.contains("zip"));

  // What is allowed: typed values, a custom field as text (JSON on request), an unknown field
  // when asked for.
  const auto ok = rr({"update", id, "--set", "busHoursMonStartAt=09:30", "--set", "region__c=007",
                      "--set", "score__c=5", "--allow-unknown-fields", "--set", "zip=02134"});
  ASSERT_EQ(ok.code, 0) << describe(ok);
  json now = json::parse(rr({"get", id}).out);
  EXPECT_EQ(now.at("busHoursMonStartAt"), 9 * 3600 + 30 * 60);
  EXPECT_EQ(now.at("region__c"), "007");
  EXPECT_EQ(now.at("score__c"), "5");
  EXPECT_EQ(now.at("zip"), "02134");
  const auto as_json =
      rr({"update", id, "--json-values", "--set", "score__c=5", "--set", R"(extra__c={"a":[1]})"});
  ASSERT_EQ(as_json.code, 0) << describe(as_json);
  now = json::parse(rr({"get", id}).out);
  EXPECT_EQ(now.at("score__c"), 5);
  EXPECT_EQ(now.at("extra__c"), json({{"a", {1}}}));
  EXPECT_EQ(now.at("name"), "Elm Co");  // a typed field ignores --json-values

  // An object without catalog fields takes any field, as text.
  const auto tag = rr({"create", "tag", "--data", R"({"name":"t"})"});
  ASSERT_EQ(tag.code, 0) << describe(tag);
  const std::string tag_id = json::parse(tag.out).at("id");
  ASSERT_EQ(rr({"update", tag_id, "--set", "name=42"}).code, 0);
  EXPECT_EQ(json::parse(rr({"get", tag_id}).out).at("name"), "42");
}

TEST_F(Rr, ImportReadsCellsByTheCatalogsTypes) {
  // The ERP row of the issue: digits in text fields stay text, "null" is a city's text.
  const std::string erp = file("erp.csv",
                               "externalId,name,postal,companyPhone,etaDelayNotifyEnabled,"
                               "busHoursMonStartAt,city,region__c\n"
                               "Z-1,1234,02134,5550100,TRUE,09:00,null,007\n"
                               "Z-2,\"Acme, \"\"The\"\" Co\",80202,,false,3600,,\n");
  const auto r = rr({"import", "customer", erp, "--by-external-id", "externalId"});
  ASSERT_EQ(r.code, 0) << describe(r);
  std::map<std::string, json> got;
  for (const auto& record : all("customer"))
    got[record.at("externalId")] = record;
  ASSERT_EQ(got.size(), 2u);
  const json& z1 = got.at("Z-1");
  EXPECT_EQ(z1.at("name"), "1234");
  EXPECT_EQ(z1.at("postal"), "02134");
  EXPECT_EQ(z1.at("companyPhone"), "5550100");
  EXPECT_EQ(z1.at("etaDelayNotifyEnabled"), true);
  EXPECT_EQ(z1.at("busHoursMonStartAt"), 9 * 3600);
  EXPECT_EQ(z1.at("city"), "null");
  EXPECT_EQ(z1.at("region__c"), "007");  // a custom field: text unless --json-cells
  const json& z2 = got.at("Z-2");
  EXPECT_EQ(z2.at("name"), "Acme, \"The\" Co");
  EXPECT_FALSE(z2.contains("companyPhone"));  // an empty cell sends no field
  EXPECT_FALSE(z2.contains("region__c"));
  // The SDK's typed getters read every record rr wrote.
  for (const auto& [external_id, record] : got) {
    SCOPED_TRACE(external_id);
    const auto customer = roserocket::model::Customer::from_json(record);
    EXPECT_NO_THROW((void)customer.name());
    EXPECT_NO_THROW((void)customer.postal());
    EXPECT_NO_THROW((void)customer.company_phone());
    EXPECT_NO_THROW((void)customer.eta_delay_notify_enabled());
    EXPECT_NO_THROW((void)customer.bus_hours_mon_start_at());
  }
  EXPECT_EQ(roserocket::model::Customer::from_json(z1).postal(), "02134");

  // A null token is opt-in: it clears the field; the other empty cells leave theirs alone.
  const std::string clear = file("clear.csv", "externalId,city,postal\nZ-1,NULL,\n");
  const auto cleared =
      rr({"import", "customer", clear, "--by-external-id", "externalId", "--null-token", "NULL"});
  ASSERT_EQ(cleared.code, 0) << describe(cleared);
  for (const auto& record : all("customer")) {
    if (record.at("externalId") == "Z-1") {
      EXPECT_TRUE(record.at("city").is_null());
      EXPECT_EQ(record.at("postal"), "02134");
    }
  }

  // JSON cells are opt-in and apply to columns the catalog does not type only.
  const std::string custom = file("custom.csv", "externalId,name,score__c\nZ-3,5,5\n");
  const auto as_json =
      rr({"import", "customer", custom, "--by-external-id", "externalId", "--json-cells"});
  ASSERT_EQ(as_json.code, 0) << describe(as_json);
  for (const auto& record : all("customer")) {
    if (record.at("externalId") == "Z-3") {
      EXPECT_EQ(record.at("name"), "5");
      EXPECT_EQ(record.at("score__c"), 5);
    }
  }

  // An object without catalog fields of its own (glAccount) takes any column, as text.
  const auto accounts = rr({"import", "glAccount", file("gl.csv", "name,rank\n42,007\n")});
  ASSERT_EQ(accounts.code, 0) << describe(accounts);
  const auto account_records = all("glAccount");
  ASSERT_EQ(account_records.size(), 1u);
  EXPECT_EQ(account_records[0].at("name"), "42");
  EXPECT_EQ(account_records[0].at("rank"), "007");
}

TEST_F(Rr, ImportRefusesCellsAndColumnsThatDoNotFitAndSendsNothing) {
  // A cell that is not of its field's type: row (the file's line), column and expected type.
  const std::string goods = file("goods.csv",
                                 "description,quantity,weight\n"
                                 "Pallets,4,120.5\n"
                                 "Boxes,2,12kg\n"
                                 "Crates,2.5,30\n");
  const auto bad = rr({"import", "commodity", goods});
  EXPECT_EQ(bad.code, 2) << describe(bad);
  EXPECT_THAT(bad.err, HasSubstr("rr: row 3, column \"weight\": expected a number, got \"12kg\""));
  EXPECT_THAT(bad.err,
              HasSubstr("rr: row 4, column \"quantity\": expected a whole number, got \"2.5\""));
  EXPECT_THAT(bad.err, HasSubstr("2 values do not fit the field catalog's types"));
  EXPECT_TRUE(all("commodity").empty());  // nothing was sent, not even the good row

  // A column that is no field of the object: refused, or sent as text when allowed.
  const std::string zip = file("zip.csv", "externalId,name,zip\nZ-1,One,02134\n");
  expect_refused({"import", "customer", zip, "--by-external-id", "externalId"}, 2,
                 "\"zip\" is not a field of customer in the field catalog");
  EXPECT_TRUE(all("customer").empty());
  const auto allowed =
      rr({"import", "customer", zip, "--by-external-id", "externalId", "--allow-unknown-columns"});
  ASSERT_EQ(allowed.code, 0) << describe(allowed);
  EXPECT_THAT(allowed.err, HasSubstr("sending fields the catalog does not know for customer as "
                                     "text: \"zip\""));
  const auto customers = all("customer");
  ASSERT_EQ(customers.size(), 1u);
  EXPECT_EQ(customers[0].at("zip"), "02134");

  // A header without a name or with a name twice; JSON Lines of the wrong type or field.
  expect_refused({"import", "customer", file("blank.csv", "name,\nA,B\n")}, 2, "column 2 of");
  expect_refused({"import", "customer", file("twice.csv", "name,name\nA,B\n")}, 2,
                 "column \"name\" appears twice");
  expect_refused({"import", "customer", file("n.jsonl", "{\"name\":\"A\"}\n{\"name\":1234}\n")}, 2,
                 "rr: line 2, field \"name\": expected text, got 1234");
  expect_refused({"import", "customer", file("z.jsonl", "{\"name\":\"A\",\"zip\":\"1\"}\n")}, 2,
                 "\"zip\" is not a field of customer");
  expect_refused({"import", "customer", file("d.csv", "name,busHoursMonStartAt\nA,9am\n")}, 2,
                 "column \"busHoursMonStartAt\": expected a time of day");
  EXPECT_EQ(all("customer").size(), 1u);
}

// ---- secrets -----------------------------------------------------------------------------------

TEST_F(Rr, VerboseShowsRequestsAndNoSecret) {
  const auto token = rr({"auth", "token"});  // client credentials: a token for comparison
  ASSERT_EQ(token.code, 0) << describe(token);
  const auto r = rr({"--verbose", "create", "customer", "--data", R"({"name":"V"})"});
  ASSERT_EQ(r.code, 0) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("POST /api/v2/platformModel/objects -> 200"));
  EXPECT_THAT(r.err, HasSubstr("/oauth/token -> 200"));
  for (const auto& output : {r.err, r.out}) {
    EXPECT_THAT(output, Not(HasSubstr(rr_emulator::kDemoClientSecret)));
    EXPECT_THAT(output, Not(HasSubstr("eyJ")));  // no JWT (access token) at all
    EXPECT_THAT(output, Not(HasSubstr("Bearer")));
  }
  // A refused call in verbose mode names the status, not the token or secret.
  const auto refused = rr({"--verbose", "get", "00000000-0000-4000-8000-000000000000"});
  EXPECT_EQ(refused.code, 1);
  EXPECT_THAT(refused.err, HasSubstr("-> 404"));
  EXPECT_THAT(refused.err, Not(HasSubstr(rr_emulator::kDemoClientSecret)));
  EXPECT_THAT(refused.err, Not(HasSubstr("eyJ")));
}

// ---- auth --------------------------------------------------------------------------------------

TEST_F(Rr, LoginStoresTokensPrivatelyTokenRefreshesLogoutForgets) {
  // The emulator's demo application is confidential: its secret goes with the code and refresh
  // grants (from the environment only; never stored).
  env_["BROWSER"] = RR_FAKE_BROWSER;
  const auto login = rr({"--profile", "work", "auth", "login", "--timeout", "60"});
  ASSERT_EQ(login.code, 0) << describe(login);
  EXPECT_THAT(login.err, HasSubstr("/authorize?"));
  EXPECT_THAT(login.err, HasSubstr("code_challenge_method=S256"));
  const auto token_file = dir_ / "config" / "roserocket" / "work.json";
  struct stat info {};
  ASSERT_EQ(::stat(token_file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  const json saved = json::parse(read(token_file.string()));
  ASSERT_FALSE(saved.value("refresh_token", "").empty());

  env_.erase("RR_TOKEN_URL");  // the profile remembers where it signed in
  env_.erase("RR_CLIENT_ID");
  env_.erase("RR_BASE_URL");
  const auto first = rr({"--profile", "work", "auth", "token"});
  ASSERT_EQ(first.code, 0) << describe(first);
  EXPECT_EQ(first.out, saved.at("access_token").get<std::string>() + "\n");  // still valid

  // Once the access token has expired, `rr auth token` refreshes it and keeps the rotated
  // refresh token (the emulator's old one stops working at once).
  for (int round = 0; round < 2; ++round) {
    json expired = json::parse(read(token_file.string()));
    expired["expires_at"] = 1;
    file("config/roserocket/work.json", expired.dump());
    const auto fresh = rr({"--profile", "work", "auth", "token"});
    ASSERT_EQ(fresh.code, 0) << describe(fresh);
    EXPECT_NE(fresh.out, expired.at("access_token").get<std::string>() + "\n");
    const json now = json::parse(read(token_file.string()));
    EXPECT_NE(now.at("refresh_token"), expired.at("refresh_token"));
    EXPECT_EQ(fresh.out, now.at("access_token").get<std::string>() + "\n");
  }

  const auto search = rr({"--profile", "work", "search", "customer"});
  EXPECT_EQ(search.code, 0) << describe(search);
  env_.erase("RR_CLIENT_SECRET");
  EXPECT_EQ(rr({"search", "customer"}).code, 3);  // another profile is not signed in
  EXPECT_THAT(read(token_file.string()), Not(HasSubstr(rr_emulator::kDemoClientSecret)));

  EXPECT_EQ(rr({"--profile", "work", "auth", "logout"}).code, 0);
  EXPECT_FALSE(std::filesystem::exists(token_file));
  EXPECT_EQ(rr({"--profile", "work", "auth", "token"}).code, 3);
}

TEST_F(Rr, LoginWithoutClientIdIsAUsageError) {
  env_.erase("RR_CLIENT_ID");
  const auto r = rr({"auth", "login", "--no-browser"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("no client id"));
}

// Issue 23: with RR_TOKEN_URL forgotten, rr asks the emulator named by RR_BASE_URL for tokens
// (never Rose Rocket's tenant); for a host whose layout is unknown it refuses, naming the setting.
TEST_F(Rr, TokenUrlFollowsTheBaseUrlOrIsRequired) {
  env_.erase("RR_TOKEN_URL");
  const auto found = rr({"search", "customer"});
  EXPECT_EQ(found.code, 0) << describe(found);
  EXPECT_EQ(emulator_->stats().token_requests.at("client_credentials"), 1u);

  env_["RR_BASE_URL"] = "https://staging.invalid";
  const auto refused = rr({"search", "customer"});
  EXPECT_EQ(refused.code, 2) << describe(refused);
  EXPECT_THAT(refused.err, HasSubstr("--token-url or RR_TOKEN_URL"));
  EXPECT_THAT(refused.err, Not(HasSubstr(rr_emulator::kDemoClientSecret)));
}

TEST_F(Rr, AccessTokenVariableIsUsedAsIs) {
  const auto token = rr({"auth", "token"});
  ASSERT_EQ(token.code, 0);
  env_.erase("RR_CLIENT_ID");
  env_.erase("RR_CLIENT_SECRET");
  env_["RR_ACCESS_TOKEN"] = token.out.substr(0, token.out.size() - 1);
  EXPECT_EQ(rr({"search", "customer"}).code, 0);
  env_["RR_ACCESS_TOKEN"] = "not-a-token";
  EXPECT_EQ(rr({"search", "customer"}).code, 3);
}

// ---- one voice: every failure is one "rr:" line ------------------------------------------------

// The number of lines of @p text (a last line without '\n' counts).
std::size_t line_count(const std::string& text) {
  const auto breaks = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  return breaks + (!text.empty() && text.back() != '\n' ? 1 : 0);
}

TEST_F(Rr, EveryParseErrorIsOneRrLine) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{}, "give a command: get, create"},
      {{"frobnicate"}, "unknown command 'frobnicate'"},
      {{"--no-such-global"}, "unknown option --no-such-global"},
      {{"auth"}, "auth: give a command: login, token, logout"},
      {{"user-groups", "frob"}, "unknown command 'frob'"},
      {{"get", "x", "--no-such-option"}, "get: "},
      {{"search", "customer", "--format", "xml"}, "search: --format: xml not in"},
      {{"create"}, "create: objectKey is required"},
      {{"emulator", "--bogus"}, "emulator: unknown option --bogus"},
      {{"emulator", "--port"}, "emulator: --port needs a value"},
      {{"emulator", "--port", "x"}, "emulator: --port must be a number"},
      {{"--timeout", "soon", "get", "x"}, "--timeout 'soon': expected a duration such as"},
      {{"--timeout", "0s", "get", "x"}, "--timeout '0s'"},
      {{"--timeout", "3d", "get", "x"}, "--timeout '3d'"},
  };
  for (const auto& [args, message] : cases) {
    std::string command = "rr";
    for (const auto& a : args)
      command += " " + a;
    SCOPED_TRACE(command);
    const auto r = rr(args);
    EXPECT_EQ(r.code, 2) << describe(r);
    EXPECT_EQ(r.err.rfind("rr: ", 0), 0u) << r.err;
    EXPECT_EQ(line_count(r.err), 1u) << r.err;
    EXPECT_THAT(r.err, HasSubstr(message));
    EXPECT_EQ(r.out, "");
  }
  // Help is not a failure: it goes to stdout, as before, with the exit codes.
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--help"}, {"search", "--help"}, {"webhooks", "--help"}}) {
    const auto help = rr(args);
    EXPECT_EQ(help.code, 0) << describe(help);
    EXPECT_THAT(help.out, HasSubstr("Usage"));
    EXPECT_EQ(help.err, "");
  }
  EXPECT_THAT(rr({"--help"}).out, HasSubstr("5 --timeout ran out"));
}

// A record whose objectKey is not text once made `rr update` print nlohmann's
// "[json.exception.type_error.302] ..."; rr checks what it reads and says what to do.
TEST_F(Rr, MalformedAnswersGetNoJsonLibraryInternals) {
  roserocket::curl_test::LoopbackHttpServer server;
  // httplib takes the first route that matches: the narrower one first.
  server.http().Get(R"(/api/v2/platformModel/objects/customer/.*/external)",
                    [](const httplib::Request&, httplib::Response& res) {
                      res.set_content(R"({"id":7,"objectKey":"customer"})", "application/json");
                    });
  server.http().Get(
      R"(/api/v2/platformModel/objects/.*)", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"id":"r-1","objectKey":5,"name":"x"})", "application/json");
      });
  server.start();
  env_["RR_BASE_URL"] = server.base_url();
  env_["RR_ACCESS_TOKEN"] = "test-token";
  const auto update = rr({"update", "r-1", "--set", "name=y"});
  EXPECT_EQ(update.code, 2) << describe(update);
  EXPECT_THAT(update.err, HasSubstr("has no objectKey"));
  EXPECT_THAT(update.err, HasSubstr("give --object"));
  const auto remove = rr({"delete", "--object", "customer", "--external-id", "e-1"});
  EXPECT_EQ(remove.code, 1) << describe(remove);
  EXPECT_THAT(remove.err, HasSubstr("came back without an id"));
  for (const auto* r : {&update, &remove}) {
    EXPECT_THAT(r->err, Not(HasSubstr("json.exception")));
    EXPECT_EQ(line_count(r->err), 1u) << r->err;
  }
}

// ---- rr --timeout
// --------------------------------------------------------------------------------

// A loopback port that accepts connections (the kernel's backlog) and never answers a byte.
class SilentServer {
 public:
  SilentServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 || ::listen(fd_, 64) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
      throw std::runtime_error("cannot listen on loopback");
    port_ = ntohs(address.sin_port);
  }
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;
  ~SilentServer() { ::close(fd_); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST_F(Rr, TimeoutEndsACommandAgainstAServerThatNeverAnswers) {
  SilentServer silent;
  env_["RR_BASE_URL"] = silent.url();
  env_["RR_ACCESS_TOKEN"] = "test-token";  // the API call itself hangs
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--timeout", "300ms", "get",
                                 "00000000-0000-4000-8000-000000000000"},
        {"--timeout", "300ms", "export", "customer"},
        {"--timeout", "300ms", "boards", "list"}}) {
    SCOPED_TRACE(args[2]);
    const auto r = rr(args);
    EXPECT_EQ(r.code, 5) << describe(r);
    EXPECT_EQ(r.err, "rr: timed out after 300ms (--timeout); the command did not finish\n");
  }
  // The token request hangs: the call is not told of the cancellation, so rr ends it itself.
  env_.erase("RR_ACCESS_TOKEN");
  env_["RR_TOKEN_URL"] = silent.url() + "/oauth/token";
  env_["RR_TIMEOUT"] = "200ms";  // the variable works as the flag does
  const auto token = rr({"get", "00000000-0000-4000-8000-000000000000"});
  EXPECT_EQ(token.code, 5) << describe(token);
  EXPECT_EQ(token.err, "rr: timed out after 200ms (--timeout); the command did not finish\n");
}

TEST_F(Rr, TimeoutBoundsAWholeWalkNotEachPage) {
  std::vector<json> tags;
  for (int i = 0; i < 40; ++i)
    tags.push_back({{"name", "tag " + std::to_string(i)}});
  emulator_->seed_records("tag", tags);
  // Each page answers in time; forty of them do not fit in the limit.
  rr_emulator::set_pacing(*emulator_, 150, 0);
  const auto r = rr({"--timeout", "1s", "export", "tag", "--page-size", "1"});
  EXPECT_EQ(r.code, 5) << describe(r);
  EXPECT_LT(json_lines(r.out).size(), 40u);
  EXPECT_EQ(r.err, "rr: timed out after 1s (--timeout); the command did not finish\n");
  rr_emulator::set_pacing(*emulator_, 0, 0);
  const auto in_time = rr({"--timeout", "2m", "export", "tag", "--page-size", "10"});
  EXPECT_EQ(in_time.code, 0) << describe(in_time);
  EXPECT_EQ(json_lines(in_time.out).size(), 40u);
}

// ---- boards, events, user groups, webhooks, delete by external id ----------------------------

TEST_F(Rr, PlatformCommandsOverTheSdkFacades) {
  const auto boards = rr({"boards", "list", "--object", "customer"});
  ASSERT_EQ(boards.code, 0) << describe(boards);
  const json board_list = json::parse(boards.out);
  ASSERT_FALSE(board_list.empty());
  for (const auto& board : board_list)
    EXPECT_EQ(board.at("objectKey"), "customer");
  const std::string board_id = board_list.at(0).at("id");

  const auto created = rr({"create", "customer", "--data", R"({"name":"Ev Co"})"});
  ASSERT_EQ(created.code, 0) << describe(created);
  const std::string id = json::parse(created.out).at("id");
  const auto added = rr({"events", "create", id, "--board", board_id, "--type", "mutate", "--data",
                         R"({"note":"from rr"})"});
  ASSERT_EQ(added.code, 0) << describe(added);
  EXPECT_EQ(json::parse(added.out).at("type"), "mutate");
  const auto mutated = rr({"events", "list", id, "--object", "customer", "--type", "mutate"});
  ASSERT_EQ(mutated.code, 0) << describe(mutated);
  const json events = json::parse(mutated.out);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events.at(0).at("json").at("note"), "from rr");
  expect_refused({"events", "list", id}, 2, "--object is required");

  const auto group = rr({"user-groups", "create", "Dispatch", "--description", "night shift"});
  ASSERT_EQ(group.code, 0) << describe(group);
  const std::string group_id = json::parse(group.out).at("id");
  const auto groups = rr({"user-groups", "list"});
  ASSERT_EQ(groups.code, 0) << describe(groups);
  EXPECT_THAT(groups.out, HasSubstr("Dispatch"));
  const std::string user = "bfcf84aa-55d4-4d58-a8d6-871f0d462a04";
  const auto add = rr({"user-groups", "add-members", group_id, user});
  ASSERT_EQ(add.code, 0) << describe(add);
  EXPECT_EQ(json::parse(add.out).at("added"), 1);
  const auto members = rr({"user-groups", "members", group_id});
  ASSERT_EQ(members.code, 0) << describe(members);
  EXPECT_EQ(json::parse(members.out).at(0).at("id"), user);
  expect_refused({"user-groups", "create", "Dispatch"}, 1, "409");

  const auto hook = rr({"webhooks", "subscribe", "erp", "https://erp.example/hooks", "--event",
                        "Order Status Changed"});
  ASSERT_EQ(hook.code, 0) << describe(hook);
  const std::string destination = json::parse(hook.out).at("id");
  const auto hooks = rr({"webhooks", "list"});
  ASSERT_EQ(hooks.code, 0) << describe(hooks);
  EXPECT_THAT(hooks.out, HasSubstr(destination));
  EXPECT_THAT(hooks.out, HasSubstr("Order Status Changed"));
  EXPECT_EQ(rr({"webhooks", "delete", destination}).code, 0);
  EXPECT_EQ(json::parse(rr({"webhooks", "list"}).out).size(), 0u);
  expect_refused({"webhooks", "subscribe", "erp", "ftp://x", "--event", "E"}, 2, "http");
}

TEST_F(Rr, DeleteByExternalId) {
  const auto created =
      rr({"create", "customer", "--data", R"({"name":"Gone Co","externalId":"erp-9"})"});
  ASSERT_EQ(created.code, 0) << describe(created);
  const std::string id = json::parse(created.out).at("id");
  expect_refused({"delete", "--external-id", "erp-9"}, 2, "needs --object");
  expect_refused({"delete", id, "--object", "customer", "--external-id", "erp-9"}, 2, "not both");
  expect_refused({"delete"}, 2, "give a record id");
  const auto removed = rr({"delete", "--object", "customer", "--external-id", "erp-9"});
  ASSERT_EQ(removed.code, 0) << describe(removed);
  expect_refused({"get", id}, 1, "not found");
  expect_refused({"delete", "--object", "customer", "--external-id", "erp-9"}, 1, "404");
}

// The completion's object keys are the catalog's, so that a new object completes too.
TEST(RrCompletion, ObjectKeysAreTheCatalogs) {
  std::ifstream in(RR_COMPLETION);
  ASSERT_TRUE(in) << RR_COMPLETION;
  const std::string script((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto start = script.find("_rr_object_keys=\"");
  ASSERT_NE(start, std::string::npos);
  const auto begin = start + std::string("_rr_object_keys=\"").size();
  std::istringstream words(script.substr(begin, script.find('"', begin) - begin));
  std::set<std::string> listed{std::istream_iterator<std::string>(words),
                               std::istream_iterator<std::string>()};
  std::set<std::string> catalog;
  for (const auto& object : roserocket::model::objects())
    catalog.insert(object.key);
  EXPECT_EQ(listed, catalog);
}

// ---- rr emulator -------------------------------------------------------------------------------

TEST_F(Rr, EmulatorCommandServesUntilSigterm) {
  auto child = rr_cli_test::spawn(RR_EXE, {"emulator", "--port", "0", "--rate-limit", "1000"}, {});
  ASSERT_GT(child.pid, 0);
  ::close(child.in);
  const std::string line = rr_cli_test::read_line(child.out);
  ASSERT_EQ(line.rfind("listening on http://127.0.0.1:", 0), 0u) << line;
  const std::string url = line.substr(std::string("listening on ").size());
  env_["RR_BASE_URL"] = url;
  env_["RR_TOKEN_URL"] = url + "/oauth/token";
  const auto created = rr({"create", "tag", "--data", R"({"name":"from rr emulator"})"});
  EXPECT_EQ(created.code, 0) << describe(created);
  EXPECT_EQ(rr_cli_test::terminate(child), 0);  // SIGTERM ends it cleanly

  const auto bad = rr({"emulator", "--port", "x"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_THAT(bad.err, HasSubstr("rr: emulator: --port must be a number"));
  const auto help = rr({"emulator", "--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_THAT(help.out, HasSubstr("--rate-limit"));
}

// ---- rr sync -----------------------------------------------------------------------------------

TEST_F(Rr, SyncPrintsWhatChangedSinceItsLastRunAndNothingMore) {
  const std::vector<std::string> ids = create_orders("sync", 3);
  ASSERT_FALSE(HasFailure());
  const std::string checkpoint = (dir_ / "sync.json").string();
  const auto first = rr({"sync", "order", "--checkpoint", checkpoint});
  ASSERT_EQ(first.code, 0) << describe(first);
  const auto lines = json_lines(first.out);
  ASSERT_EQ(lines.size(), 3u) << first.out;
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_EQ(lines[i].at("id"), ids[i]);  // oldest first
  const auto again = rr({"sync", "order", "--checkpoint", checkpoint, "--format", "jsonl"});
  EXPECT_EQ(again.code, 0) << describe(again);
  EXPECT_EQ(again.out, "");
  const auto updated = rr({"update", ids[1], "--set", "refNum=changed"});
  ASSERT_EQ(updated.code, 0) << describe(updated);
  const auto changed = rr({"sync", "order", "--checkpoint", checkpoint});
  ASSERT_EQ(changed.code, 0) << describe(changed);
  const auto one = json_lines(changed.out);
  ASSERT_EQ(one.size(), 1u) << changed.out;
  EXPECT_EQ(one[0].at("id"), ids[1]);
  EXPECT_EQ(one[0].at("version"), 2);
}

TEST_F(Rr, SyncRefusesBadInputWithExitTwoAndChangesNothing) {
  const std::string checkpoint = (dir_ / "sync.json").string();
  expect_refused({"sync", "ordr", "--checkpoint", checkpoint}, 2, "unknown object key 'ordr'");
  expect_refused({"sync", "order"}, 2, "--checkpoint");
  const std::string damaged =
      file("damaged.json", "{\"format\":1,\"streams\":{\"rr-sync-order\":\"");
  expect_refused({"sync", "order", "--checkpoint", damaged}, 2, damaged);
  EXPECT_EQ(read(damaged), "{\"format\":1,\"streams\":{\"rr-sync-order\":\"");
  std::filesystem::create_directories(dir_ / "a-directory");
  expect_refused({"sync", "order", "--checkpoint", (dir_ / "a-directory").string()}, 2,
                 "--checkpoint");
  expect_refused({"sync", "order", "--checkpoint", checkpoint, "--format", "csv"}, 2);
}

// ---- rr listen ---------------------------------------------------------------------------------

// A local webhook handler for rr listen: a loopback server that records every POST and answers
// with the next status of a script (then 200), or, when given a WebhookReceiver, with its answer.
class ListenHandler {
 public:
  explicit ListenHandler(std::vector<int> statuses = {},
                         roserocket::WebhookReceiver* receiver = nullptr)
      : statuses_(std::move(statuses)), receiver_(receiver) {
    server_.http().Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mutex_);
      posts_.push_back({req.target, req.body});
      int status = 200;
      if (!statuses_.empty()) {
        status = statuses_.front();
        statuses_.erase(statuses_.begin());
      } else if (receiver_ != nullptr) {
        roserocket::Headers headers;
        for (const auto& [name, value] : req.headers)
          headers.add(name, value);
        status = receiver_->handle(req.method, req.target, headers, req.body).status;
      }
      res.status = status;
      res.set_content("{}", "application/json");
    });
    server_.start();
  }

  struct Post {
    std::string target;
    std::string body;
  };

  std::string url(const std::string& path = "/hooks/rose-rocket") const {
    return server_.base_url() + path;
  }
  std::vector<Post> posts() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return posts_;
  }

 private:
  roserocket::curl_test::LoopbackHttpServer server_;
  mutable std::mutex mutex_;
  std::vector<int> statuses_;
  roserocket::WebhookReceiver* receiver_;
  std::vector<Post> posts_;
};

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
    ++n;
  return n;
}

TEST_F(Rr, ListenForwardsEnvelopesThatTheSdksWebhookReceiverAccepts) {
  const std::string secret = "listen-secret-0123456789abcdef";
  roserocket::WebhookReceiverOptions options;
  options.secret = secret;
  options.path = "/hooks/rose-rocket";
  roserocket::WebhookReceiver receiver(options);
  std::mutex events_mutex;
  std::vector<roserocket::WebhookEvent> events;
  receiver.on("*", "*", [&](const roserocket::WebhookEvent& e) {
    std::lock_guard<std::mutex> lock(events_mutex);
    events.push_back(e);
  });
  ListenHandler handler({}, &receiver);

  const auto order = rr({"create", "order", "--data", R"({"refNum":"listen-1"})"});
  ASSERT_EQ(order.code, 0) << describe(order);
  const json order_json = json::parse(order.out);
  const auto task = rr({"create", "task", "--data", R"({"taskType":"pickup"})"});
  ASSERT_EQ(task.code, 0) << describe(task);
  const json task_json = json::parse(task.out);
  const std::string checkpoint = (dir_ / "listen.json").string();
  env_["RR_LISTEN_SECRET"] = secret;
  const std::vector<std::string> args = {"listen",     "--forward-to", handler.url(), "--objects",
                                         "order,task", "--checkpoint", checkpoint,    "--once"};

  const auto first = rr(args);
  ASSERT_EQ(first.code, 0) << describe(first);
  EXPECT_THAT(first.out,
              HasSubstr("-> 200 order " + order_json.at("fullId").get<std::string>() + " v1 ("));
  EXPECT_THAT(first.out, HasSubstr("-> 200 task "));
  EXPECT_EQ(count_of(first.out, "-> "), 2u) << first.out;
  {
    std::lock_guard<std::mutex> lock(events_mutex);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].type, "Order Created");
    EXPECT_EQ(events[0].object_key, "order");
    EXPECT_EQ(events[0].ref_id, order_json.at("id"));
    EXPECT_EQ(events[0].payload().at("refNum"), "listen-1");
    EXPECT_EQ(events[0].org_id, order_json.at("orgId"));
    EXPECT_EQ(events[0].created_at, order_json.at("updatedAt"));
    EXPECT_EQ(events[0].envelope().size(), 8u) << events[0].envelope().dump();
    EXPECT_EQ(events[1].type, "Task Created");
    EXPECT_EQ(events[1].ref_id, task_json.at("id"));
  }
  for (const auto& post : handler.posts())
    EXPECT_EQ(post.target, "/hooks/rose-rocket?token=" + secret);
  for (const auto* text : {&first.out, &first.err})
    EXPECT_THAT(*text, Not(HasSubstr(secret)));

  // Caught up: nothing again. Changed: the new version, as an update.
  const auto again = rr(args);
  EXPECT_EQ(again.code, 0) << describe(again);
  EXPECT_EQ(again.out, "");
  const auto updated =
      rr({"update", order_json.at("id").get<std::string>(), "--set", "refNum=listen-2"});
  ASSERT_EQ(updated.code, 0) << describe(updated);
  const auto changed = rr(args);
  ASSERT_EQ(changed.code, 0) << describe(changed);
  EXPECT_EQ(count_of(changed.out, "-> 200 order "), 1u) << changed.out;
  EXPECT_THAT(changed.out, HasSubstr(" v2 ("));
  std::lock_guard<std::mutex> lock(events_mutex);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].type, "Order Updated");
  EXPECT_EQ(events[2].payload().at("refNum"), "listen-2");
  EXPECT_NE(events[2].id, events[0].id);
}

TEST_F(Rr, ListenAcknowledgesNothingTheHandlerDidNotAnswer2xx) {
  const std::vector<std::string> ids = create_orders("ack", 2);
  ASSERT_FALSE(HasFailure());
  const std::string checkpoint = (dir_ / "listen.json").string();
  auto listen = [&](const std::string& url, const std::vector<std::string>& more) {
    std::vector<std::string> args = {"listen",   "--forward-to", url,         "--checkpoint",
                                     checkpoint, "--once",       "--backoff", "10ms"};
    args.insert(args.end(), more.begin(), more.end());
    return rr(args);
  };

  // Always 500: rr listen gives up after --attempts, exit 1, and the first record stays pending.
  {
    ListenHandler failing({500, 500});
    const auto refused = listen(failing.url(), {"--attempts", "2"});
    EXPECT_EQ(refused.code, 1) << describe(refused);
    EXPECT_EQ(count_of(refused.out, "-> 500 order "), 2u) << refused.out;
    EXPECT_THAT(refused.err, HasSubstr("answered 500 (attempt 2 of 2"));
    EXPECT_THAT(refused.err, HasSubstr("unacknowledged"));
    EXPECT_EQ(line_count(refused.err), 2u) << refused.err;  // the banner and the rr: line
    ASSERT_EQ(failing.posts().size(), 2u);
    EXPECT_EQ(json::parse(failing.posts()[0].body).at("refId"), ids[0]);
  }
  // Unreachable: the same.
  {
    const auto unreachable = listen("http://127.0.0.1:1/hooks", {"--attempts", "2"});
    EXPECT_EQ(unreachable.code, 1) << describe(unreachable);
    EXPECT_THAT(unreachable.out, HasSubstr("-> --- order "));
    EXPECT_THAT(unreachable.err, HasSubstr("rr: listen: --forward-to 127.0.0.1:1: cannot connect"));
  }
  // A 500 then 200s: the first record again (the same event id), then the second; none skipped.
  ListenHandler flaky({500});
  const auto recovered = listen(flaky.url(), {});
  ASSERT_EQ(recovered.code, 0) << describe(recovered);
  EXPECT_THAT(recovered.out, HasSubstr(", again in 10ms"));
  const auto posts = flaky.posts();
  ASSERT_EQ(posts.size(), 3u);
  const json a = json::parse(posts[0].body), b = json::parse(posts[1].body),
             c = json::parse(posts[2].body);
  EXPECT_EQ(a.at("refId"), ids[0]);
  EXPECT_EQ(b, a);
  EXPECT_EQ(c.at("refId"), ids[1]);
  const auto lines = recovered.out;
  EXPECT_LT(lines.find("-> 500 order"), lines.find("-> 200 order"));
  const auto after = listen(flaky.url(), {});
  EXPECT_EQ(after.code, 0) << describe(after);
  EXPECT_EQ(flaky.posts().size(), 3u);
}

TEST_F(Rr, ListenRefusesBadInputWithExitTwoAndSendsNothing) {
  ListenHandler handler;
  const auto created = rr({"create", "order", "--data", R"({"refNum":"bad-input"})"});
  ASSERT_EQ(created.code, 0) << describe(created);
  const std::string checkpoint = (dir_ / "listen.json").string();
  const std::string url = handler.url();
  expect_refused({"listen", "--checkpoint", checkpoint}, 2, "--forward-to is required");
  expect_refused({"listen", "--forward-to", url, "--objects", "order,ordr", "--checkpoint",
                  checkpoint, "--once"},
                 2, "unknown object key 'ordr'");
  expect_refused({"listen", "--forward-to", "localhost:8080/hooks", "--once"}, 2,
                 "rr: listen: --forward-to: not an http:// or https:// URL");
  expect_refused({"listen", "--forward-to", "http://localhost:80800/hooks", "--once"}, 2,
                 "the port is not a number");
  expect_refused({"listen", "--forward-to", "http:///hooks", "--once"}, 2, "names no host");
  const std::string damaged =
      file("damaged.json", "{\"format\":1,\"streams\":{\"rr-listen-order\":\"");
  expect_refused({"listen", "--forward-to", url, "--checkpoint", damaged, "--once"}, 2, damaged);
  EXPECT_EQ(read(damaged), "{\"format\":1,\"streams\":{\"rr-listen-order\":\"");
  std::filesystem::create_directories(dir_ / "a-directory");
  expect_refused(
      {"listen", "--forward-to", url, "--checkpoint", (dir_ / "a-directory").string(), "--once"}, 2,
      "--checkpoint");
  const auto short_secret =
      rr({"listen", "--forward-to", url, "--secret", "tiny-secret", "--once"});
  EXPECT_EQ(short_secret.code, 2) << describe(short_secret);
  EXPECT_THAT(short_secret.err, HasSubstr("--secret"));
  EXPECT_THAT(short_secret.err, Not(HasSubstr("tiny-secret")));
  EXPECT_TRUE(handler.posts().empty());
  EXPECT_FALSE(std::filesystem::exists(checkpoint));

  // The default checkpoint is the profile's, in the config directory.
  const auto defaulted = rr({"listen", "--forward-to", url, "--once"});
  EXPECT_EQ(defaulted.code, 0) << describe(defaulted);
  EXPECT_EQ(handler.posts().size(), 1u);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "config" / "roserocket" / "default.listen"));
}

TEST_F(Rr, ListenFollowsUntilSigterm) {
  ListenHandler handler;
  const auto first = rr({"create", "order", "--data", R"({"refNum":"follow-1"})"});
  ASSERT_EQ(first.code, 0) << describe(first);
  auto child = rr_cli_test::spawn(RR_EXE,
                                  {"listen", "--forward-to", handler.url(), "--checkpoint",
                                   (dir_ / "listen.json").string(), "--poll-interval", "100ms"},
                                  env_);
  ASSERT_GT(child.pid, 0);
  ::close(child.in);
  EXPECT_THAT(rr_cli_test::read_line(child.out), HasSubstr("-> 200 order "));
  const auto second = rr({"create", "order", "--data", R"({"refNum":"follow-2"})"});
  ASSERT_EQ(second.code, 0) << describe(second);
  EXPECT_THAT(rr_cli_test::read_line(child.out), HasSubstr("-> 200 order "));
  EXPECT_EQ(rr_cli_test::terminate(child), 0);  // SIGTERM ends it cleanly
  const auto posts = handler.posts();
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(json::parse(posts[1].body).at("json").at("refNum"), "follow-2");
}

}  // namespace
