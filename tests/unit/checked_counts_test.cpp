// Issue 23 item 10: every `total` and count a server sends is read by the checked reader. Huge,
// negative, fractional and non-numeric values are refused with MalformedResponseError (which
// names the key and the value) on each reader path; whole numbers, also sent as floats, pass.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "model_test_support.hpp"
#include "roserocket/resources/resource.hpp"
#include "support/build_paths.hpp"

namespace rr = roserocket;
using rr::model::Json;
using rr_test::MockClient;

namespace {

// The bad totals the fuzzer and the issue name, as raw JSON text (1e30 would not survive a
// round trip through an integer).
const std::vector<std::string> kBadCounts = {
    "1e30", "-1", "2.5", "1e300", "-1e30", "18446744073709551615", "\"7\"", "true"};

std::string counts_page_body(const std::string& total) {
  return R"({"total":)" + total +
         R"(,"results":[{"id":"x1","type":"mutate","name":"G","objectKey":"customer"}]})";
}

void answer_raw(MockClient& m, const std::string& body) {
  rr::HttpResponse response;
  response.status = 200;
  response.headers.add("Content-Type", "application/json");
  response.body = body;
  m.mock->enqueue(response);
}

rr::SearchRequest counts_search() {
  rr::SearchRequest request;
  request.board_id = "b1";
  return request;
}

// Calls @p read against an answer whose total is @p total; returns the error text or "".
template <class Read>
std::string counts_error(const std::string& total, Read read) {
  MockClient m;
  answer_raw(m, counts_page_body(total));
  try {
    read(m.client);
  } catch (const rr::MalformedResponseError& e) {
    return e.what();
  }
  return "";
}

template <class Read>
void expect_every_bad_total_refused(Read read, const char* reader) {
  for (const auto& total : kBadCounts) {
    const std::string what = counts_error(total, read);
    EXPECT_NE(what.find("'total' is not a count"), std::string::npos)
        << reader << " with total " << total << ": " << what;
    if (total.front() != '"' && total != "true") {
      EXPECT_NE(what.find(total.substr(0, 2)), std::string::npos) << reader << ": " << what;
    }
  }
}

}  // namespace

TEST(CheckedCounts, ObjectsSearchRefusesTotalsThatAreNotCounts) {
  expect_every_bad_total_refused(
      [](const rr::Client& c) { (void)c.objects().search(counts_search()); }, "objects.search");
}

TEST(CheckedCounts, FacadeSearchRefusesTotalsThatAreNotCounts) {
  expect_every_bad_total_refused(
      [](const rr::Client& c) { (void)c.customers().search(counts_search()); }, "customers.search");
}

TEST(CheckedCounts, EventsListRefusesTotalsThatAreNotCounts) {
  expect_every_bad_total_refused(
      [](const rr::Client& c) {
        rr::EventQuery query;
        query.record_id = "r1";
        query.object_key = "order";
        (void)c.events().list(query);
      },
      "events.list");
}

TEST(CheckedCounts, UserGroupsSearchRefusesTotalsThatAreNotCounts) {
  expect_every_bad_total_refused([](const rr::Client& c) { (void)c.user_groups().search({}); },
                                 "user_groups.search");
}

TEST(CheckedCounts, WalksStopWithTheErrorInsteadOfPagingOnABadTotal) {
  MockClient m;
  answer_raw(m, counts_page_body("1e30"));
  auto range = m.client.user_groups().search_range({}, 1);
  EXPECT_THROW((void)range.to_vector(), rr::MalformedResponseError);
}

TEST(CheckedCounts, WholeNumbersPassAlsoAsFloatsAndAbsentIsZero) {
  for (const auto& [text, expected] :
       std::vector<std::pair<std::string, std::int64_t>>{{"0", 0},
                                                         {"3", 3},
                                                         {"250.0", 250},
                                                         {"null", 0},
                                                         {"9007199254740992", 9007199254740992}}) {
    MockClient m;
    answer_raw(m, counts_page_body(text));
    EXPECT_EQ(m.client.objects().search(counts_search()).total, expected) << text;
  }
  MockClient m;
  answer_raw(m, R"({"results":[]})");
  const auto page = m.client.objects().search(counts_search());
  EXPECT_EQ(page.total, 0);
  EXPECT_FALSE(page.has_more);
}

TEST(CheckedCounts, MembershipCountsAreCheckedToo) {
  for (const std::string bad : {"1e30", "-1", "2.5", "4294967296"}) {
    MockClient m;
    answer_raw(m, R"({"added":)" + bad + R"(,"removed":0})");
    try {
      (void)m.client.user_groups().change_members("g1", {"u1"}, {});
      ADD_FAILURE() << bad << " was accepted";
    } catch (const rr::MalformedResponseError& e) {
      EXPECT_NE(std::string(e.what()).find("'added' is not a count"), std::string::npos)
          << e.what();
    }
  }
  MockClient m;
  answer_raw(m, R"({"added":2.0})");
  const auto change = m.client.user_groups().change_members("g1", {"u1"}, {});
  EXPECT_EQ(change.added, 2);
  EXPECT_EQ(change.removed, 0);
}

// The fuzz harness's seeds (fuzz/corpus/fuzz_event_page) run through the same readers here too,
// so that the huge, negative and fractional totals are checked in every build, not only in the
// fuzz stage: each reader returns or throws the SDK's error.
TEST(CheckedCounts, FuzzSeedsOfListingPagesGiveOnlySdkErrors) {
  const std::filesystem::path dir =
      std::filesystem::path(ROSEROCKET_SOURCE_DIR) / "fuzz" / "corpus" / "fuzz_event_page";
  std::size_t seeds = 0;
  std::size_t refused = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ++seeds;
    MockClient m;
    m.mock->set_fallback([&body](const rr::HttpRequest&) {
      rr::HttpResponse r;
      r.status = 200;
      r.body = body;
      return r;
    });
    const auto attempt = [&](auto read) {
      try {
        read();
      } catch (const rr::MalformedResponseError&) {
        ++refused;
      } catch (const rr::Error&) {
      }
    };
    attempt([&] { (void)m.client.objects().search(counts_search()); });
    attempt([&] { (void)m.client.customers().search(counts_search()); });
    attempt([&] { (void)m.client.user_groups().search({}); });
    attempt([&] { (void)m.client.user_groups().change_members("g1", {"u1"}, {}); });
  }
  EXPECT_GE(seeds, 10u);
  EXPECT_GE(refused, 30u);  // the bad totals and counts, on several readers each
}
