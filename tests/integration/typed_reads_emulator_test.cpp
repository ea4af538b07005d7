// Issue 23 items 2, 3 and 5 against the in-process emulator over real HTTP: a typed search finds
// its board itself (once per client) and refuses a filter the emulator, like live servers,
// answers with 500; connections read without `paths` are not loaded, with `paths` they may be
// empty; server timestamps read as instants.

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "roserocket/auth/client_credentials.hpp"
#include "roserocket/roserocket.hpp"
#include "rr_emulator/emulator.hpp"
#include "sdk_against_emulator.hpp"

namespace {

namespace rr = roserocket;
using rr::SearchFilter;
using rr::model::Json;

class TypedReadsEmulatorTest : public roserocket_test::EmulatorClientTest {};

const char* const kBoardsNav = "GET /api/v2/platformModel/boards/nav";
const char* const kSearch = "POST /api/v2/platformModel/objects/search";

TEST_F(TypedReadsEmulatorTest, TypedSearchFindsItsBoardOnceWithoutABoardId) {
  using rr::model::Customer;
  Customer c;
  c.set_name("Board-less Freight").set("note__c", "issue-23-search");
  (void)client().customers().create(c);

  rr::SearchRequest search;
  search.filters.push_back(SearchFilter::equals("note__c", "issue-23-search"));
  const auto first = client().customers().search(search);
  rr::Client copy = client();
  const auto second = copy.customers().search(search);
  ASSERT_EQ(first.results.size(), 1u);
  EXPECT_EQ(first.results[0].name(), "Board-less Freight");
  EXPECT_EQ(second.results.size(), 1u);
  EXPECT_EQ(served(kBoardsNav), 1u);
  EXPECT_EQ(served(kSearch), 2u);
}

TEST_F(TypedReadsEmulatorTest, AFilterTheServerAnswersWith500IsRefusedUnlessAskedFor) {
  rr::SearchRequest search;
  search.filters.push_back(SearchFilter::equals("status", "booked"));
  EXPECT_THROW((void)client().orders().search(search), rr::InvalidArgumentError);
  EXPECT_EQ(served(kSearch), 0u);
  // Sent anyway, the emulator answers as live servers do.
  rr::RequestOptions once;
  once.retry = rr::RetryPolicy::none();
  EXPECT_THROW((void)client().orders().search(search, once, rr::FilterCheck::kSendAnyway),
               rr::ServerError);
  EXPECT_EQ(served(kSearch), 1u);
  // The replacement the error names works.
  rr::SearchRequest in;
  in.filters.push_back(SearchFilter::in("status", {"booked"}));
  EXPECT_NO_THROW((void)client().orders().search(in));
}

TEST_F(TypedReadsEmulatorTest, ConnectionsReadWithoutPathsAreNotLoadedAndWithPathsMayBeEmpty) {
  using namespace rr::model;
  Customer customer;
  customer.set_name("Lonely Shipper");
  const Customer shipper = client().customers().create(customer);
  Order order;
  order.set_customer(shipper.ref());
  const Order saved = client().orders().create(order);

  const Order bare = client().orders().get(*saved.id());
  EXPECT_FALSE(bare.loaded(Order::tasks_path));
  EXPECT_FALSE(bare.loaded(Order::customer_path));
  EXPECT_THROW((void)bare.tasks(), rr::NotLoadedError);
  EXPECT_THROW((void)bare.customer(), rr::NotLoadedError);
  EXPECT_THROW((void)bare.view().tasks(), rr::NotLoadedError);

  const Order full = client().orders().get(*saved.id(), {Order::tasks_path, Order::customer_path});
  EXPECT_TRUE(full.loaded(Order::tasks_path));
  EXPECT_TRUE(full.tasks().empty());  // loaded, and the order has none
  ASSERT_TRUE(full.customer().has_value());
  EXPECT_EQ(full.customer()->name(), "Lonely Shipper");
  EXPECT_THROW((void)full.customer()->contacts(), rr::NotLoadedError);  // not in the paths
}

TEST_F(TypedReadsEmulatorTest, ServerTimestampsReadAsInstants) {
  using rr::model::Customer;
  Customer c;
  c.set_name("Timely Inc");
  const Customer saved = client().customers().create(c);
  const Customer read = client().customers().get(*saved.id());
  ASSERT_TRUE(read.created_at().has_value());
  const auto created = read.created_at_time();
  ASSERT_TRUE(created.has_value());
  EXPECT_EQ(created, rr::model::parse_timestamp(*read.created_at()));
  ASSERT_TRUE(read.updated_at_time().has_value());
  EXPECT_LE(*created, *read.updated_at_time());
  EXPECT_EQ(rr::model::format_timestamp(*created).substr(0, 10), read.created_at()->substr(0, 10));
}

}  // namespace
