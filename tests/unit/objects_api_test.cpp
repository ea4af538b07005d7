// Exact request shapes of the eleven record operations, one suite per operation.

#include "client_fixture.hpp"

using nlohmann::json;
using roserocket::HttpMethod;
using rr_test::ClientTest;

namespace {

const json kCustomer = {{"id", "c-1"},
                        {"objectKey", "customer"},
                        {"fullId", "CUST-1"},
                        {"name", "XYZ Freight Corp"},
                        {"version", 1}};

}  // namespace

using ObjectsApiCreate = ClientTest;

TEST_F(ObjectsApiCreate, PostsEnvelopeToObjects) {
  mock->enqueue_json(200, kCustomer);
  roserocket::RequestOptions opts;
  opts.paths = {"contacts", "tags"};
  auto record = objects().create("customer", {{"name", "XYZ Freight Corp"}}, opts);

  EXPECT_EQ(record, kCustomer);
  const auto req = last();
  EXPECT_EQ(req.method, HttpMethod::kPost);
  EXPECT_EQ(req.url, std::string(kBase) + "/objects");
  EXPECT_EQ(last_body(), (json{{"objectKey", "customer"},
                               {"json", {{"name", "XYZ Freight Corp"}}},
                               {"paths", {"contacts", "tags"}}}));
  EXPECT_EQ(req.headers.get("Content-Type"), "application/json");
  EXPECT_EQ(req.headers.get("Accept"), "application/json");
  EXPECT_EQ(req.headers.get("Authorization"), std::string("Bearer ") + kToken);
}

TEST_F(ObjectsApiCreate, SendsBoardIdWhenGiven) {
  mock->enqueue_json(200, kCustomer);
  roserocket::RequestOptions opts;
  opts.board_id = "af1c0e83-5253-517d-aeff-e25a37f59beb";
  objects().create("customer", {{"name", "n"}}, opts);
  EXPECT_EQ(last_body()["boardId"], "af1c0e83-5253-517d-aeff-e25a37f59beb");
}

TEST_F(ObjectsApiCreate, RefusesEmptyObjectKeyBeforeAnyRequest) {
  EXPECT_THROW(objects().create("", {{"name", "n"}}), roserocket::InvalidArgumentError);
  EXPECT_EQ(mock->request_count(), 0u);
}

TEST_F(ObjectsApiCreate, RefusesFieldsThatAreNotAnObject) {
  EXPECT_THROW(objects().create("customer", json::array({1, 2})), roserocket::InvalidArgumentError);
  EXPECT_EQ(mock->request_count(), 0u);
}

TEST_F(ObjectsApiCreate, NonObjectSuccessBodyIsMalformedResponse) {
  mock->enqueue_json(200, json::array());
  EXPECT_THROW(objects().create("customer", {{"name", "n"}}), roserocket::MalformedResponseError);
}

using ObjectsApiUpsert = ClientTest;

TEST_F(ObjectsApiUpsert, PatchesObjectsWithExternalIdInsideJson) {
  mock->enqueue_json(201, kCustomer);
  auto result = objects().upsert("customer", {{"externalId", "erp-7"}, {"name", "n"}});
  EXPECT_TRUE(result.created);
  EXPECT_EQ(result.record, kCustomer);
  EXPECT_EQ(last().method, HttpMethod::kPatch);
  EXPECT_EQ(last().url, std::string(kBase) + "/objects");
  EXPECT_EQ(last_body(),
            (json{{"objectKey", "customer"}, {"json", {{"externalId", "erp-7"}, {"name", "n"}}}}));
}

TEST_F(ObjectsApiUpsert, UpdatedAnswerIsNotCreated) {
  mock->enqueue_json(200, kCustomer);
  EXPECT_FALSE(objects().upsert("customer", {{"externalId", "erp-7"}}).created);
}

TEST_F(ObjectsApiUpsert, SeedsFormSendsIdBesideTheEnvelope) {
  mock->enqueue_json(200, kCustomer);
  roserocket::RequestOptions opts;
  opts.board_id = "b-1";
  objects().upsert_by_id("customer", "3d3acb3d-4aa0-443f-9793-0f9dd9547c4d",
                         {{"name", "ABC Produce Co"}}, opts);
  EXPECT_EQ(last().method, HttpMethod::kPatch);
  EXPECT_EQ(last_body(), (json{{"id", "3d3acb3d-4aa0-443f-9793-0f9dd9547c4d"},
                               {"objectKey", "customer"},
                               {"boardId", "b-1"},
                               {"json", {{"name", "ABC Produce Co"}}}}));
}

TEST_F(ObjectsApiUpsert, RefusesEmptyId) {
  EXPECT_THROW(objects().upsert_by_id("customer", "", {{"name", "n"}}),
               roserocket::InvalidArgumentError);
  EXPECT_EQ(mock->request_count(), 0u);
}

using ObjectsApiGet = ClientTest;

TEST_F(ObjectsApiGet, GetsByIdWithPathsBoardAndDetailView) {
  mock->enqueue_json(200, kCustomer);
  roserocket::RequestOptions opts;
  opts.paths = {"commodities", "relatedCommodities", "stops", "documents.file"};
  opts.board_id = "b-1";
  opts.is_detail_view = true;
  opts.object_key_hint = "task";
  objects().get("t-1", opts);
  EXPECT_EQ(last().method, HttpMethod::kGet);
  EXPECT_EQ(last().url, std::string(kBase) +
                            "/objects/t-1?objectKey=task&paths=commodities%2CrelatedCommodities"
                            "%2Cstops%2Cdocuments.file&boardId=b-1&isDetailView=true");
  EXPECT_TRUE(last().body.empty());
  EXPECT_FALSE(last().headers.contains("Content-Type"));
}

TEST_F(ObjectsApiGet, PercentEncodesTheIdSoItCannotChangeThePath) {
  mock->enqueue_json(200, kCustomer);
  objects().get("../boards/nav?x=1#frag");
  EXPECT_EQ(last().url, std::string(kBase) + "/objects/..%2Fboards%2Fnav%3Fx%3D1%23frag");
}

TEST_F(ObjectsApiGet, RefusesEmptyId) {
  EXPECT_THROW(objects().get(""), roserocket::InvalidArgumentError);
  EXPECT_EQ(mock->request_count(), 0u);
}

TEST_F(ObjectsApiGet, UnknownIdIsNotFound) {
  mock->enqueue_json(
      404, {{"statusCode", 404}, {"message", "Record not found"}, {"error", "Not Found"}});
  try {
    objects().get("missing");
    FAIL() << "expected NotFoundError";
  } catch (const roserocket::NotFoundError& e) {
    EXPECT_EQ(e.status(), 404);
    EXPECT_EQ(e.operation(), "objects.get");
    ASSERT_EQ(e.messages().size(), 1u);
    EXPECT_EQ(e.messages()[0], "Record not found");
  }
}

using ObjectsApiUpdate = ClientTest;

TEST_F(ObjectsApiUpdate, PutsEnvelopeToObjectsId) {
  mock->enqueue_json(200, kCustomer);
  roserocket::RequestOptions opts;
  opts.board_id = "b-1";
  opts.paths = {"contacts"};
  objects().update("customer", "df70da0f", {{"name", "ABC Produce Co"}}, opts);
  EXPECT_EQ(last().method, HttpMethod::kPut);
  EXPECT_EQ(last().url, std::string(kBase) + "/objects/df70da0f");
  EXPECT_EQ(last_body(), (json{{"objectKey", "customer"},
                               {"json", {{"name", "ABC Produce Co"}}},
                               {"boardId", "b-1"},
                               {"paths", {"contacts"}}}));
}

TEST_F(ObjectsApiUpdate, RefusesEmptyObjectKeyOrId) {
  EXPECT_THROW(objects().update("", "id", json::object()), roserocket::InvalidArgumentError);
  EXPECT_THROW(objects().update("customer", "", json::object()), roserocket::InvalidArgumentError);
  EXPECT_EQ(mock->request_count(), 0u);
}

using ObjectsApiRemove = ClientTest;

TEST_F(ObjectsApiRemove, DeletesAndReturnsTheDeletedRecord) {
  mock->enqueue_json(200, kCustomer);
  roserocket::RequestOptions opts;
  opts.board_id = "b-1";
  auto deleted = objects().remove("02624b9c", opts);
  ASSERT_TRUE(deleted.has_value());
  EXPECT_EQ(*deleted, kCustomer);
  EXPECT_EQ(last().method, HttpMethod::kDelete);
  EXPECT_EQ(last().url, std::string(kBase) + "/objects/02624b9c?boardId=b-1");
  EXPECT_TRUE(last().body.empty());
}

TEST_F(ObjectsApiRemove, NoContentAnswerIsEmpty) {
  mock->enqueue_empty(204);
  EXPECT_FALSE(objects().remove("02624b9c").has_value());
}

using ObjectsApiGetByExternalId = ClientTest;

TEST_F(ObjectsApiGetByExternalId, GetsObjectKeyExternalIdPath) {
  mock->enqueue_json(200, kCustomer);
  objects().get_by_external_id("customer", "ERP/42 A&B");
  EXPECT_EQ(last().method, HttpMethod::kGet);
  EXPECT_EQ(last().url, std::string(kBase) + "/objects/customer/ERP%2F42%20A%26B/external");
}

TEST_F(ObjectsApiGetByExternalId, RefusesEmptyExternalId) {
  EXPECT_THROW(objects().get_by_external_id("customer", ""), roserocket::InvalidArgumentError);
  EXPECT_EQ(mock->request_count(), 0u);
}

using ObjectsApiUpsertByExternalId = ClientTest;

TEST_F(ObjectsApiUpsertByExternalId, PatchesExternalPathWithEnvelope) {
  mock->enqueue_json(201, kCustomer);
  auto result = objects().upsert_by_external_id("customer", "erp-7", {{"name", "n"}});
  EXPECT_TRUE(result.created);
  EXPECT_EQ(last().method, HttpMethod::kPatch);
  EXPECT_EQ(last().url, std::string(kBase) + "/objects/customer/erp-7/external");
  EXPECT_EQ(last_body(), (json{{"objectKey", "customer"}, {"json", {{"name", "n"}}}}));
}

using ObjectsApiRemoveByExternalId = ClientTest;

TEST_F(ObjectsApiRemoveByExternalId, DeletesExternalPath) {
  mock->enqueue_json(200, kCustomer);
  auto deleted = objects().remove_by_external_id("customer", "erp-7");
  EXPECT_TRUE(deleted.has_value());
  EXPECT_EQ(last().method, HttpMethod::kDelete);
  EXPECT_EQ(last().url, std::string(kBase) + "/objects/customer/erp-7/external");
}

using ObjectsApiBulkRemove = ClientTest;

TEST_F(ObjectsApiBulkRemove, PostsIdsToBulkDelete) {
  mock->enqueue_empty(204);
  roserocket::RequestOptions opts;
  opts.board_id = "b-1";
  objects().bulk_remove("customer", {"a", "b"}, opts);
  EXPECT_EQ(last().method, HttpMethod::kPost);
  EXPECT_EQ(last().url, std::string(kBase) + "/objects/bulk_delete");
  EXPECT_EQ(last_body(),
            (json{{"boardId", "b-1"}, {"objectKey", "customer"}, {"ids", {"a", "b"}}}));
}

TEST_F(ObjectsApiBulkRemove, RefusesNoIdsOrAnEmptyId) {
  EXPECT_THROW(objects().bulk_remove("customer", {}), roserocket::InvalidArgumentError);
  EXPECT_THROW(objects().bulk_remove("customer", {"a", ""}), roserocket::InvalidArgumentError);
  EXPECT_EQ(mock->request_count(), 0u);
}

using ObjectsApiSearch = ClientTest;

TEST_F(ObjectsApiSearch, PostsFiltersAndReadsTotalAndResults) {
  mock->enqueue_json(200, {{"total", 2}, {"results", {kCustomer, kCustomer}}});
  roserocket::SearchRequest request;
  request.board_id = "b-1";
  request.timezone = "America/Toronto";
  request.filters.push_back(
      {"status", roserocket::SearchOperator::kIn, json::array({"active"}), "", ""});
  request.filters.push_back(
      {"name", roserocket::SearchOperator::kStartsWith, "XYZ", "nameKey", "string"});
  request.filters_operator = "or";
  request.order_by_path = "createdAt";
  request.order_by_direction = roserocket::SortDirection::kDesc;
  request.limit = 10;
  auto result = objects().search(request);
  EXPECT_EQ(result.total, 2);
  EXPECT_EQ(result.results.size(), 2u);
  EXPECT_EQ(last().method, HttpMethod::kPost);
  EXPECT_EQ(last().url, std::string(kBase) + "/objects/search");
  EXPECT_EQ(last_body(), (json{{"boardId", "b-1"},
                               {"timezone", "America/Toronto"},
                               {"filters",
                                {{{"filterKey", "status"},
                                  {"path", "status"},
                                  {"operator", "in"},
                                  {"value", {"active"}}},
                                 {{"filterKey", "nameKey"},
                                  {"path", "name"},
                                  {"operator", "startsWith"},
                                  {"value", "XYZ"},
                                  {"fieldType", "string"}}}},
                               {"filtersOperator", "or"},
                               {"orderByPath", "createdAt"},
                               {"orderByDirection", "desc"},
                               {"limit", 10}}));
}

TEST_F(ObjectsApiSearch, RefusesMissingBoardId) {
  roserocket::SearchRequest request;
  EXPECT_THROW(objects().search(request), roserocket::InvalidArgumentError);
  EXPECT_EQ(mock->request_count(), 0u);
}

TEST_F(ObjectsApiSearch, AnswerWithoutResultsIsMalformed) {
  mock->enqueue_json(200, {{"total", 1}});
  roserocket::SearchRequest request;
  request.board_id = "b-1";
  EXPECT_THROW(objects().search(request), roserocket::MalformedResponseError);
}

using ObjectsApiAutocomplete = ClientTest;

TEST_F(ObjectsApiAutocomplete, GetsWithQueryParameters) {
  mock->enqueue_json(200, json::array({kCustomer}));
  roserocket::AutocompleteRequest request;
  request.object_key = "customer";
  request.search_term = "XYZ Fr";
  request.ids = {"a", "b"};
  request.label_path = "name";
  auto answer = objects().autocomplete(request);
  EXPECT_TRUE(answer.is_array());
  EXPECT_EQ(last().method, HttpMethod::kGet);
  EXPECT_EQ(last().url, std::string(kBase) +
                            "/objects/autocomplete?objectKey=customer&searchTerm=XYZ%20Fr&ids=a%2Cb"
                            "&labelPath=name");
}

TEST_F(ObjectsApiAutocomplete, RefusesEmptyObjectKey) {
  EXPECT_THROW(objects().autocomplete({}), roserocket::InvalidArgumentError);
  EXPECT_EQ(mock->request_count(), 0u);
}
