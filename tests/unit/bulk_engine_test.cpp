// BulkEngine over the mock transport (its worker-pool path): exact request shapes, one result
// per input in input order, per-item errors, the create rule, Retry-After pauses, cancellation,
// progress and the asynchronous single call.

#include <atomic>
#include <set>
#include <string>

#include "client_fixture.hpp"
#include "roserocket/bulk.hpp"
#include "roserocket/resources/resource.hpp"

namespace rr_test {
namespace {

using roserocket::ApiRequest;
using roserocket::BatchOptions;
using roserocket::BulkEngine;
using roserocket::BulkOptions;
using roserocket::BulkProgress;
using roserocket::HttpMethod;
using roserocket::HttpRequest;
using roserocket::HttpResponse;
using roserocket::ItemStatus;
using roserocket::Json;

// "/objects/customer/E-7/external" -> "E-7".
std::string external_id_of(const std::string& url) {
  const std::string marker = "/objects/customer/";
  const auto start = url.find(marker) + marker.size();
  return url.substr(start, url.find('/', start) - start);
}

HttpResponse json_response(int status, const Json& body) {
  HttpResponse r;
  r.status = status;
  r.headers.set("Content-Type", "application/json");
  r.body = body.dump();
  return r;
}

class BulkEngineTest : public ClientTest {
 protected:
  BulkOptions engine_options(int n) {
    BulkOptions o;
    o.max_in_flight = n;
    return o;
  }
};

TEST_F(BulkEngineTest, UpsertManySendsOneRequestPerItemAndAnswersInInputOrder) {
  mock->set_fallback([](const HttpRequest& request) {
    const std::string ext = external_id_of(request.url);
    return json_response(201, Json{{"id", "id-" + ext}, {"externalId", ext}});
  });
  std::vector<Json> records;
  for (int i = 0; i < 60; ++i)
    records.push_back(
        Json{{"externalId", "E-" + std::to_string(i)}, {"name", "N" + std::to_string(i)}});

  BulkEngine engine(client(), engine_options(8));
  const auto results = engine.upsert_many("customer", records);

  ASSERT_EQ(results.size(), records.size());
  for (std::size_t i = 0; i < results.size(); ++i) {
    ASSERT_TRUE(results[i].ok()) << i << ": " << results[i].error_message;
    EXPECT_EQ(results[i].value->record["id"], "id-E-" + std::to_string(i));
    EXPECT_TRUE(results[i].value->created);
    EXPECT_EQ(results[i].attempts, 1);
  }
  const auto sent = mock->requests();
  ASSERT_EQ(sent.size(), records.size());
  std::set<std::string> urls;
  for (const auto& r : sent) {
    EXPECT_EQ(r.method, HttpMethod::kPatch);
    EXPECT_EQ(r.headers.get("Authorization").value_or(""), std::string("Bearer ") + kToken);
    EXPECT_EQ(r.headers.get("Content-Type").value_or(""), "application/json");
    const Json body = Json::parse(r.body);
    const std::string ext = external_id_of(r.url);
    EXPECT_EQ(body, (Json{{"objectKey", "customer"},
                          {"json", {{"externalId", ext}, {"name", "N" + ext.substr(2)}}}}));
    urls.insert(r.url);
  }
  EXPECT_EQ(urls.size(), records.size());
  EXPECT_EQ(*urls.begin(), std::string(kBase) + "/objects/customer/E-0/external");
  EXPECT_EQ(engine.stats().calls, records.size());
  EXPECT_EQ(engine.stats().requests, records.size());
}

TEST_F(BulkEngineTest, OneItemsFailureIsItsOwnResultAndThrowsNothing) {
  mock->set_fallback([](const HttpRequest& request) {
    const std::string ext = external_id_of(request.url);
    if (ext == "E-2")
      return json_response(
          422, Json{{"statusCode", 422}, {"message", Json::array({"name is required"})}});
    return json_response(200, Json{{"id", "id-" + ext}});
  });
  std::vector<Json> records{Json{{"externalId", "E-0"}}, Json{{"name", "no external id"}},
                            Json{{"externalId", "E-2"}}, Json{{"externalId", "E-3"}}};
  BulkEngine engine(client(), engine_options(4));
  const auto results = engine.upsert_many("customer", records);
  ASSERT_EQ(results.size(), 4u);
  EXPECT_TRUE(results[0].ok());
  EXPECT_FALSE(results[0].value->created);
  EXPECT_EQ(results[1].status, ItemStatus::kFailed);
  EXPECT_EQ(results[1].attempts, 0);
  EXPECT_THROW(std::rethrow_exception(results[1].error), roserocket::InvalidArgumentError);
  EXPECT_EQ(results[2].status, ItemStatus::kFailed);
  EXPECT_EQ(results[2].attempts, 1);
  EXPECT_THROW(std::rethrow_exception(results[2].error), roserocket::BadRequestError);
  EXPECT_THAT(results[2].error_message, ::testing::HasSubstr("name is required"));
  EXPECT_TRUE(results[3].ok());
  EXPECT_EQ(mock->request_count(), 3u);  // nothing was sent for the record without an id
}

TEST_F(BulkEngineTest, CreateThatMayHaveArrivedIsNeverSentAgain) {
  std::atomic<int> posts{0};
  mock->set_fallback([&posts](const HttpRequest& request) -> HttpResponse {
    const Json body = Json::parse(request.body);
    ++posts;
    if (body["json"]["name"] == "lost")
      throw roserocket::TransportError("connection reset", {}, /*maybe_sent=*/true);
    return json_response(201, Json{{"id", "new-" + body["json"]["name"].get<std::string>()}});
  });
  BulkEngine engine(client(), engine_options(4));
  const auto results = engine.create_many(
      "customer", {Json{{"name", "a"}}, Json{{"name", "lost"}}, Json{{"name", "b"}}});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ((*results[0].value)["id"], "new-a");
  EXPECT_EQ(results[1].status, ItemStatus::kFailed);
  EXPECT_EQ(results[1].attempts, 1);
  EXPECT_THROW(std::rethrow_exception(results[1].error), roserocket::TransportError);
  EXPECT_EQ((*results[2].value)["id"], "new-b");
  EXPECT_EQ(posts.load(), 3);
  for (const auto& r : mock->requests()) {
    EXPECT_EQ(r.method, HttpMethod::kPost);
    EXPECT_EQ(r.url, std::string(kBase) + "/objects");
  }
}

TEST_F(BulkEngineTest, RetryAfterPausesTheWholeEngineAndHalvesConcurrency) {
  std::atomic<int> calls{0};
  mock->set_fallback([&calls](const HttpRequest& request) {
    if (++calls == 1) {
      HttpResponse r = json_response(429, Json{{"statusCode", 429}, {"message", "slow down"}});
      r.headers.set("Retry-After", "1");
      return r;
    }
    return json_response(200, Json{{"id", "id-" + external_id_of(request.url)}});
  });
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i)
    ids.push_back("E-" + std::to_string(i));
  BulkOptions o = engine_options(8);
  BulkEngine engine(client(), o);
  const auto results = engine.get_many_by_external_id("customer", ids);
  for (const auto& r : results)
    EXPECT_TRUE(r.ok()) << r.error_message;
  EXPECT_EQ(mock->request_count(), 21u);  // the throttled one was sent again
  const auto stats = engine.stats();
  EXPECT_EQ(stats.pauses, 1u);
  EXPECT_LT(stats.concurrency, 8);  // halved to 4, climbing back by one per window
  EXPECT_GE(stats.concurrency, 4);
  for (const auto& r : mock->requests())
    EXPECT_EQ(r.method, HttpMethod::kGet);
}

TEST_F(BulkEngineTest, CancelledBatchSaysWhichItemsRanAndWhichDidNot) {
  roserocket::CancellationSource source;
  std::atomic<int> calls{0};
  mock->set_fallback([&](const HttpRequest& request) {
    if (++calls == 10)
      source.cancel();
    return json_response(200, Json{{"id", request.url.substr(request.url.rfind('/') + 1)}});
  });
  std::vector<std::string> ids;
  for (int i = 0; i < 100; ++i)
    ids.push_back("id-" + std::to_string(i));
  BatchOptions batch;
  batch.cancellation = source.token();
  BulkEngine engine(client(), engine_options(2));
  const auto results = engine.get_many(ids, batch);
  ASSERT_EQ(results.size(), ids.size());
  std::size_t ran = 0;
  std::size_t not_started = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    if (r.ok()) {
      EXPECT_EQ((*r.value)["id"], ids[i]);
      ++ran;
    } else if (r.status == ItemStatus::kNotStarted) {
      EXPECT_EQ(r.attempts, 0);
      EXPECT_THROW(std::rethrow_exception(r.error), roserocket::CancelledError);
      ++not_started;
    }
  }
  EXPECT_EQ(ran, mock->request_count());
  EXPECT_GE(ran, 10u);
  EXPECT_LE(ran, 12u);  // at most the two in flight when the cancel came
  EXPECT_EQ(ran + not_started, ids.size());
}

TEST_F(BulkEngineTest, ProgressEndsAtTotalAndCountsFailures) {
  mock->set_fallback([](const HttpRequest& request) {
    if (request.url.find("/objects/bad") != std::string::npos)
      return json_response(404, Json{{"statusCode", 404}, {"message", "Not Found"}});
    return json_response(200, Json{{"id", "x"}});
  });
  std::vector<BulkProgress> seen;
  BatchOptions batch;
  batch.progress = [&seen](const BulkProgress& p) { seen.push_back(p); };
  BulkEngine engine(client(), engine_options(3));
  const auto results = engine.get_many({"a", "bad", "c", "d", "bad", "f"}, batch);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().done, 6u);
  EXPECT_EQ(seen.back().total, 6u);
  EXPECT_EQ(seen.back().failed, 2u);
  for (std::size_t i = 1; i < seen.size(); ++i)
    EXPECT_GE(seen[i].done, seen[i - 1].done);
  EXPECT_THROW(std::rethrow_exception(results[1].error), roserocket::NotFoundError);
}

TEST_F(BulkEngineTest, SubmitReturnsAFutureWithTheResponseOrTheError) {
  mock->enqueue_json(200, Json{{"id", "one"}});
  BulkEngine engine(client(), engine_options(2));
  ApiRequest request;
  request.operation = "objects.get";
  request.path = "/objects/one";
  auto future = engine.submit(request);
  EXPECT_EQ(future.get().body["id"], "one");
  EXPECT_EQ(mock->last_request().url, std::string(kBase) + "/objects/one");

  mock->enqueue_json(404, Json{{"statusCode", 404}, {"message", "Not Found"}});
  auto failing = engine.submit(request);
  EXPECT_THROW(failing.get(), roserocket::NotFoundError);
}

TEST_F(BulkEngineTest, TypedUpsertManyUsesEachRecordsExternalId) {
  mock->set_fallback([](const HttpRequest& request) {
    const std::string ext = external_id_of(request.url);
    return json_response(201, Json{{"id", "id-" + ext}, {"externalId", ext}});
  });
  std::vector<roserocket::model::Customer> customers(3);
  for (int i = 0; i < 3; ++i)
    customers[i].set_external_id("C-" + std::to_string(i)).set_name("Name " + std::to_string(i));
  BulkEngine engine(client(), engine_options(2));
  const auto results = engine.upsert_many(customers);
  ASSERT_EQ(results.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(results[i].ok()) << results[i].error_message;
    EXPECT_EQ(results[i].value->id().value_or(""), "id-C-" + std::to_string(i));
  }
}

TEST_F(BulkEngineTest, RefusesZeroInFlight) {
  BulkOptions o;
  o.max_in_flight = 0;
  EXPECT_THROW(BulkEngine(client(), o), roserocket::InvalidArgumentError);
}

}  // namespace
}  // namespace rr_test
