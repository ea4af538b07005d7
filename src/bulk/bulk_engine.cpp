// BulkEngine's public members. The engine is its event loop (event_loop.hpp); a batch runs on the
// caller's thread through batch.hpp's bookkeeping. What this file owns is what each batch
// operation makes of an item: its request, and how a 2xx answer becomes the item's value.

#include "roserocket/bulk.hpp"

#include "bulk/batch.hpp"
#include "bulk/event_loop.hpp"
#include "objects/object_requests.hpp"

namespace roserocket {
namespace {

// How a batch hands its calls to the loop.
std::function<void(ApiRequest, detail::CallDone)> submit_to(detail::EventLoop& loop) {
  return [&loop](ApiRequest r, detail::CallDone d) { loop.submit(std::move(r), std::move(d)); };
}

}  // namespace

struct BulkEngine::Impl {
  Impl(Client client, BulkOptions options) : loop(std::move(client), options) {}

  detail::EventLoop loop;
};

BulkEngine::BulkEngine(Client client, BulkOptions options)
    : impl_(std::make_shared<Impl>(std::move(client), options)) {}

// Destroying the loop waits for the calls still running, then stops its threads.
BulkEngine::~BulkEngine() = default;

std::future<ApiResponse> BulkEngine::submit(ApiRequest request) {
  auto promise = std::make_shared<std::promise<ApiResponse>>();
  auto future = promise->get_future();
  impl_->loop.submit(std::move(request),
                     [promise](ApiResponse* response, std::exception_ptr error, int) {
                       if (response != nullptr)
                         promise->set_value(std::move(*response));
                       else
                         promise->set_exception(std::move(error));
                     });
  return future;
}

void BulkEngine::submit(ApiRequest request,
                        std::function<void(ApiResponse* response, std::exception_ptr error)> done) {
  impl_->loop.submit(std::move(request),
                     [done = std::move(done)](ApiResponse* response, std::exception_ptr error,
                                              int) { done(response, std::move(error)); });
}

std::vector<ItemResult<ApiResponse>> BulkEngine::run(std::vector<ApiRequest> requests,
                                                     const BatchOptions& batch) {
  return detail::run_items<ApiResponse>(
      submit_to(impl_->loop), requests.size(), batch,
      [&requests](std::size_t i) { return std::move(requests[i]); },
      [](ApiResponse&& response, const ApiRequest&) { return std::move(response); });
}

std::vector<ItemResult<Json>> BulkEngine::create_many(std::string_view object_key,
                                                      const std::vector<Json>& records,
                                                      const BatchOptions& batch) {
  const Client& client = impl_->loop.client();
  return detail::run_items<Json>(
      submit_to(impl_->loop), records.size(), batch,
      [&](std::size_t i) { return detail::create_request(object_key, records[i], batch.request); },
      [client](ApiResponse&& response, const ApiRequest& request) {
        return detail::expect_object(std::move(response), request, client);
      });
}

std::vector<ItemResult<UpsertResult>> BulkEngine::upsert_many(std::string_view object_key,
                                                              const std::vector<Json>& records,
                                                              const BatchOptions& batch) {
  const Client& client = impl_->loop.client();
  return detail::run_items<UpsertResult>(
      submit_to(impl_->loop), records.size(), batch,
      [&](std::size_t i) {
        const Json& fields = records[i];
        std::string external_id;
        if (fields.is_object()) {
          const auto it = fields.find("externalId");
          if (it != fields.end() && it->is_string())
            external_id = it->get<std::string>();
        }
        if (external_id.empty()) {
          ErrorContext context;
          context.operation = "objects.upsert_by_external_id";
          throw InvalidArgumentError(
              "record " + std::to_string(i) + " has no string externalId to upsert by", context);
        }
        return detail::upsert_by_external_id_request(object_key, external_id, fields,
                                                     batch.request);
      },
      [client](ApiResponse&& response, const ApiRequest& request) {
        detail::check_record(response, request, client);
        return detail::to_upsert(std::move(response), detail::UpsertRoute::kStatusSilent);
      });
}

std::vector<ItemResult<Json>> BulkEngine::update_many(
    std::string_view object_key, const std::vector<std::pair<std::string, Json>>& updates,
    const BatchOptions& batch) {
  const Client& client = impl_->loop.client();
  return detail::run_items<Json>(
      submit_to(impl_->loop), updates.size(), batch,
      [&](std::size_t i) {
        return detail::update_request(object_key, updates[i].first, updates[i].second,
                                      batch.request);
      },
      [client](ApiResponse&& response, const ApiRequest& request) {
        return detail::expect_object(std::move(response), request, client);
      });
}

std::vector<ItemResult<std::optional<Json>>> BulkEngine::remove_many(
    const std::vector<std::string>& ids, const BatchOptions& batch) {
  return detail::run_items<std::optional<Json>>(
      submit_to(impl_->loop), ids.size(), batch,
      [&](std::size_t i) { return detail::remove_request(ids[i], batch.request); },
      [](ApiResponse&& response, const ApiRequest&) {
        return detail::to_optional(std::move(response));
      });
}

std::vector<ItemResult<Json>> BulkEngine::get_many(const std::vector<std::string>& ids,
                                                   const BatchOptions& batch) {
  const Client& client = impl_->loop.client();
  return detail::run_items<Json>(
      submit_to(impl_->loop), ids.size(), batch,
      [&](std::size_t i) { return detail::get_request(ids[i], batch.request); },
      [client](ApiResponse&& response, const ApiRequest& request) {
        return detail::expect_object(std::move(response), request, client);
      });
}

std::vector<ItemResult<Json>> BulkEngine::get_many_by_external_id(
    std::string_view object_key, const std::vector<std::string>& external_ids,
    const BatchOptions& batch) {
  const Client& client = impl_->loop.client();
  return detail::run_items<Json>(
      submit_to(impl_->loop), external_ids.size(), batch,
      [&](std::size_t i) {
        return detail::get_by_external_id_request(object_key, external_ids[i], batch.request);
      },
      [client](ApiResponse&& response, const ApiRequest& request) {
        return detail::expect_object(std::move(response), request, client);
      });
}

BulkStats BulkEngine::stats() const {
  return impl_->loop.stats();
}

}  // namespace roserocket
