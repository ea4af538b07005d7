// BulkEngine::upsert_nested_many: the lookups of every record's nested external ids as one batch,
// then the writes as another, through the engine's public run(). Kept apart from bulk.cpp (the
// engine itself), which it only drives.

#include <map>
#include <utility>

#include "objects/nested_writes.hpp"
#include "objects/object_requests.hpp"
#include "objects/request_util.hpp"
#include "roserocket/bulk.hpp"

namespace roserocket {
namespace {

template <class From, class To>
void fail_with(const ItemResult<From>& from, ItemResult<To>& to) {
  to.status = from.status;
  to.error = from.error;
  to.error_message = from.error_message;
  to.attempts = 0;  // the record's own write was not sent
}

template <class To>
void refuse(std::exception_ptr error, ItemResult<To>& to) {
  to.status = ItemStatus::kFailed;
  to.error = error;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    to.error_message = e.what();
  }
}

bool is_not_found(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const NotFoundError&) {
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace

std::vector<ItemResult<NestedUpsertResult>> BulkEngine::upsert_nested_many(
    std::string_view object_key, const std::vector<Json>& records, const BatchOptions& batch) {
  constexpr const char* kOp = "objects.upsert_nested";
  const std::size_t n = records.size();
  std::vector<ItemResult<NestedUpsertResult>> out(n);
  std::vector<detail::NestedPlan> plans(n);
  std::vector<std::string> external_ids(n);
  std::vector<bool> refused(n, false);

  // Each distinct (object, external id) is looked up once, whichever records name it.
  const RequestOptions lookup = detail::lookup_options(batch.request);
  std::map<std::pair<std::string, std::string>, std::size_t> index;
  std::vector<ApiRequest> lookups;
  for (std::size_t i = 0; i < n; ++i) {
    try {
      const Json& fields = records[i];
      if (fields.is_object()) {
        const auto it = fields.find("externalId");
        if (it != fields.end() && it->is_string())
          external_ids[i] = it->get<std::string>();
      }
      if (external_ids[i].empty()) {
        ErrorContext context;
        context.operation = kOp;
        throw InvalidArgumentError(
            "record " + std::to_string(i) + " has no string externalId to upsert by", context);
      }
      // Checks the key and the fields as the single write does, before any lookup.
      (void)detail::upsert_by_external_id_request(object_key, external_ids[i], fields,
                                                  batch.request);
      plans[i] = detail::plan_nested(object_key, fields, kOp);
      for (const auto& nested : plans[i].lookups) {
        const auto key = std::make_pair(nested.object_key, nested.external_id);
        if (index.emplace(key, lookups.size()).second) {
          lookups.push_back(
              detail::get_by_external_id_request(nested.object_key, nested.external_id, lookup));
        }
      }
    } catch (...) {
      refused[i] = true;
      refuse(std::current_exception(), out[i]);
    }
  }

  BatchOptions lookup_batch;
  lookup_batch.request = lookup;
  lookup_batch.cancellation = batch.cancellation;
  const auto found = run(std::move(lookups), lookup_batch);

  std::vector<ApiRequest> writes;
  std::vector<std::size_t> item_of;
  std::vector<NestedUpsertResult> partial(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (refused[i])
      continue;
    std::vector<std::string> ids;
    bool failed = false;
    for (const auto& nested : plans[i].lookups) {
      const auto& result = found[index.at({nested.object_key, nested.external_id})];
      if (!result.ok() && is_not_found(result.error)) {
        ids.emplace_back();  // not there yet: this write creates it
        continue;
      }
      if (!result.ok()) {
        fail_with(result, out[i]);
        failed = true;
        break;
      }
      ids.push_back(detail::string_at(result.value->body, "id"));
      if (ids.back().empty()) {
        ErrorContext context;
        context.operation = "objects.get_by_external_id";
        context.status = result.value->status;
        refuse(std::make_exception_ptr(MalformedResponseError(
                   "the record found by external id for " + nested.path + " has no id", context)),
               out[i]);
        failed = true;
        break;
      }
    }
    if (failed)
      continue;
    Json filled = records[i];
    partial[i] = detail::apply_lookups(plans[i], ids, filled);
    writes.push_back(
        detail::upsert_by_external_id_request(object_key, external_ids[i], filled, batch.request));
    item_of.push_back(i);
  }

  auto written = run(std::move(writes), batch);
  for (std::size_t w = 0; w < written.size(); ++w) {
    const std::size_t i = item_of[w];
    auto& item = out[i];
    auto& result = written[w];
    item.status = result.status;
    item.attempts = result.attempts;
    item.error = result.error;
    item.error_message = std::move(result.error_message);
    if (!result.ok())
      continue;
    if (!result.value->body.is_object()) {
      ErrorContext context;
      context.operation = "objects.upsert_by_external_id";
      context.status = result.value->status;
      refuse(std::make_exception_ptr(
                 MalformedResponseError(std::string("expected a JSON object (a record), got ") +
                                            result.value->body.type_name(),
                                        context)),
             item);
      continue;
    }
    NestedUpsertResult value = std::move(partial[i]);
    value.created = result.value->status == 201;
    value.record = std::move(result.value->body);
    item.value = std::move(value);
  }
  return out;
}

}  // namespace roserocket
