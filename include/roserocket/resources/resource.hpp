#pragma once

/// @file
/// @brief `Resource<T>`: the typed facade of one object over `ObjectsApi` (create, get, update,
/// upsert, remove, the external-id forms, bulk remove and search), and its aliases `Customers`,
/// `Orders`, ... generated from the catalog.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "roserocket/export.hpp"
#include "roserocket/model/records.hpp"
#include "roserocket/objects/objects_api.hpp"

namespace roserocket {

/// @brief What a typed upsert returns: the record, and what the call did to it (see
/// `UpsertResult`).
template <class T>
struct TypedUpsert {
  /// The record as the server answered.
  T record;
  /// True only when the record is known to have been created (`outcome == kCreated`).
  bool created = false;
  /// What the call did, as far as the answer tells.
  UpsertOutcome outcome = UpsertOutcome::kUnknown;
};

/// @brief One page of typed search results.
template <class T>
struct SearchPage {
  /// The server's approximate total of matching records.
  std::int64_t total = 0;
  /// True when more records match than this page holds (see `SearchResult::has_more`).
  bool has_more = false;
  /// This page's records.
  std::vector<T> results;
};

/// @brief `RequestOptions` with only `paths` set: `orders.get(id, with_paths({"tasks"}))`.
[[nodiscard]] ROSEROCKET_API RequestOptions with_paths(std::vector<std::string> paths);

/// @brief The typed facade of the object whose record type is @p T, e.g.
/// `Resource<model::Customer>` (alias `Customers`, from `client.customers()`).
///
/// Every operation is one call of `ObjectsApi` with @p T's object key; records come back as
/// @p T, connected records requested through `paths` included. Writes send only the fields the
/// caller set on the record (`Record::changes()`), so fields the SDK does not know are never
/// overwritten. Cheap to copy; thread-safe as `Client` is.
template <class T>
class Resource {
 public:
  /// @brief The facade over @p client's `ObjectsApi`.
  explicit Resource(Client client) : objects_(std::move(client)) {}

  /// @brief The object key of @p T, e.g. "customer".
  [[nodiscard]] static constexpr std::string_view object_key() noexcept { return T::kObjectKey; }

  /// @brief `POST /objects`: creates @p record from the fields set on it; nested records without
  /// an id (`order.set_tasks({task})`) are created in the same request. Not retried once it may
  /// have reached the server.
  /// @throw InvalidArgumentError when @p record already has an id, sets no field, or lacks a
  /// field the catalog requires on create (`model::required_on_create`: an order's customer, a
  /// webhook destination's name, url and subscriptions, ...), in it or in a record it creates;
  /// the error names the field and nothing is sent. `ObjectsApi::create` does not check.
  T create(const T& record, const RequestOptions& options = {}) const {
    if (record.id())
      fail("create", "the record already has an id; use update");
    if (record.changed_fields().empty())
      fail("create", "no field is set on the record");
    model::Json fields = record.changes();
    const std::string missing = model::missing_on_create(object_key(), fields);
    if (!missing.empty())
      fail("create", missing);
    return T::from_json(objects_.create(object_key(), fields, options));
  }

  /// @brief `GET /objects/{id}`; connected records named in `options.paths` come back typed.
  T get(std::string_view id, const RequestOptions& options = {}) const {
    return T::from_json(objects_.get(id, options));
  }

  /// @brief `GET /objects/{id}?paths=...` with typed paths held in a vector.
  /// @param id the record's id.
  /// @param paths typed paths, appended to `options.paths`.
  /// @param options everything else of the request.
  /// @return the record, with the connected records @p paths name.
  T get(std::string_view id, const std::vector<model::PathOf<T>>& paths,
        RequestOptions options = {}) const {
    for (const auto& p : paths)
      options.paths.push_back(p.str());
    return get(id, options);
  }

  /// @brief `GET /objects/{id}?paths=...` with a braced list of typed paths:
  /// `orders.get(id, {Order::tasks_path, Order::tasks_path / Task::commodities_path})`.
  ///
  /// Also what `get(id, {})` picks (an empty list is an exact match, where `RequestOptions` and
  /// the vector would both need a conversion), so that call is a plain get, not ambiguous.
  /// @param id the record's id.
  /// @param paths typed paths, appended to `options.paths`.
  /// @param options everything else of the request.
  /// @return the record, with the connected records @p paths name.
  T get(std::string_view id, std::initializer_list<model::PathOf<T>> paths,
        RequestOptions options = {}) const {
    for (const auto& p : paths)
      options.paths.push_back(p.str());
    return get(id, options);
  }

  /// @brief `PUT /objects/{id}` with only the fields the caller changed on @p record.
  /// @throw InvalidArgumentError when @p record has no id or no changed field.
  T update(const T& record, const RequestOptions& options = {}) const {
    const auto id = record.id();
    if (!id || id->empty())
      fail("update", "the record has no id; use create");
    if (record.changed_fields().empty()) {
      fail("update", "no field was changed on " + std::string(object_key()) + " " + *id);
    }
    return T::from_json(objects_.update(object_key(), *id, record.changes(), options));
  }

  /// @brief `PATCH /objects`: upserts by the record's external id (sent with the changes).
  /// @throw InvalidArgumentError when @p record has no external id.
  TypedUpsert<T> upsert(const T& record, const RequestOptions& options = {}) const {
    const auto external_id = record.external_id();
    if (!external_id || external_id->empty()) {
      fail("upsert", "the record has no external id; set_external_id() first, or use create");
    }
    model::Json fields = record.changes();
    fields["externalId"] = *external_id;
    return typed(objects_.upsert(object_key(), fields, options));
  }

  /// @brief `PATCH /objects {id, objectKey, json}` (the seeds' form) for the record @p id.
  TypedUpsert<T> upsert_by_id(std::string_view id, const T& record,
                              const RequestOptions& options = {}) const {
    return typed(objects_.upsert_by_id(object_key(), id, record.changes(), options));
  }

  /// @brief `DELETE /objects/{id}`. @return the deleted record, or nothing on 204.
  std::optional<T> remove(std::string_view id, const RequestOptions& options = {}) const {
    return typed(objects_.remove(id, options));
  }

  /// @brief `GET /objects/{objectKey}/{externalId}/external`.
  T get_by_external_id(std::string_view external_id, const RequestOptions& options = {}) const {
    return T::from_json(objects_.get_by_external_id(object_key(), external_id, options));
  }

  /// @brief `PATCH /objects/{objectKey}/{externalId}/external` with the changed fields.
  TypedUpsert<T> upsert_by_external_id(std::string_view external_id, const T& record,
                                       const RequestOptions& options = {}) const {
    return typed(
        objects_.upsert_by_external_id(object_key(), external_id, record.changes(), options));
  }

  /// @brief The idempotent nested upsert (`ObjectsApi::upsert_nested`) by @p record's external
  /// id: nested records that carry an external id and no id (`task.set_external_id(...)`) are
  /// looked up first and written with their id, so repeating the call updates them instead of
  /// creating them again.
  /// @param record the record, with its external id set and its nested records.
  /// @param options as for `upsert_by_external_id`.
  /// @return the record, and which nested records were linked, created or left unkeyed
  /// (`repeatable()` is false when some have neither id nor external id).
  /// @throw InvalidArgumentError when @p record has no external id, or as
  /// `ObjectsApi::upsert_nested` does.
  TypedNestedUpsert<T> upsert_nested(const T& record, const RequestOptions& options = {}) const {
    const auto external_id = record.external_id();
    if (!external_id || external_id->empty()) {
      fail("upsert_nested",
           "the record has no external id; set_external_id() first, or use create");
    }
    model::Json fields = record.changes();
    fields["externalId"] = *external_id;
    return TypedNestedUpsert<T>::from(
        objects_.upsert_nested(object_key(), *external_id, fields, options));
  }

  /// @brief `DELETE /objects/{objectKey}/{externalId}/external`.
  std::optional<T> remove_by_external_id(std::string_view external_id,
                                         const RequestOptions& options = {}) const {
    return typed(objects_.remove_by_external_id(object_key(), external_id, options));
  }

  /// @brief `POST /objects/bulk_delete` for @p ids of this object.
  void bulk_remove(const std::vector<std::string>& ids, const RequestOptions& options = {}) const {
    objects_.bulk_remove(object_key(), ids, options);
  }

  /// @brief `POST /objects/search` over this object (`request.object_key` may be left empty).
  /// Search is eventually consistent; a get by id is authoritative.
  ///
  /// Without `request.board_id`, the first board that shows this object is used: found once per
  /// client and remembered (`ObjectsApi::board_for`). A filter that live servers answer with 500
  /// (a select field with `equals`, a date with `between`, a derived field with `in`) is refused
  /// before sending, with what to use instead; the overload with a `FilterCheck` opts out.
  /// @throw InvalidArgumentError when `request.object_key` names another object, when no board
  /// shows this object, or for such a filter; MalformedResponseError for a malformed answer.
  SearchPage<T> search(SearchRequest request, const RequestOptions& options = {}) const {
    return search(std::move(request), options, FilterCheck::kRefuseKnownFailures);
  }

  /// @brief `search` with the local check of filters chosen by @p check.
  SearchPage<T> search(SearchRequest request, const RequestOptions& options,
                       FilterCheck check) const {
    prepare_search(request, options, check, "search");
    SearchResult result = objects_.search(request, options, check);
    SearchPage<T> page;
    page.total = result.total;
    page.has_more = result.has_more;
    page.results.reserve(result.results.size());
    for (auto& r : result.results)
      page.results.push_back(T::from_json(std::move(r)));
    return page;
  }

  /// @brief Every record of this object matching @p request, exactly once and in the requested
  /// order, fetched page by page while the range is iterated:
  /// `for (const auto& order : client.orders().search_all(request)) ...`. The board and the
  /// filters are found and checked as by `search`. See `ObjectsApi::search_all` for paging,
  /// options and errors.
  /// @throw InvalidArgumentError when `request.object_key` names another object, or as
  /// `search` and `ObjectsApi::search_all` do.
  [[nodiscard]] PagedRange<T> search_all(SearchRequest request, const RequestOptions& options = {},
                                         const SearchAllOptions& all = {}) const {
    return search_all(std::move(request), options, all, FilterCheck::kRefuseKnownFailures);
  }

  /// @brief `search_all` with the local check of filters chosen by @p check.
  [[nodiscard]] PagedRange<T> search_all(SearchRequest request, const RequestOptions& options,
                                         const SearchAllOptions& all, FilterCheck check) const {
    prepare_search(request, options, check, "search_all");
    return objects_.search_all(request, options, all, check).map([](Json&& record) {
      return T::from_json(std::move(record));
    });
  }

  /// @brief The untyped `ObjectsApi` underneath.
  [[nodiscard]] const ObjectsApi& objects() const noexcept { return objects_; }

 private:
  [[noreturn]] static void fail(const char* operation, const std::string& why) {
    ErrorContext context;
    context.operation = std::string(object_key()) + "." + operation;
    throw InvalidArgumentError(why, std::move(context));
  }
  // Fills in this object's key, checks the filters (before any request), and fills in the board
  // when the request names none.
  void prepare_search(SearchRequest& request, const RequestOptions& options, FilterCheck check,
                      const char* operation) const {
    if (!request.object_key.empty() && request.object_key != object_key()) {
      fail(operation,
           "request.object_key '" + request.object_key + "' is not " + std::string(object_key()));
    }
    request.object_key = std::string(object_key());
    ObjectsApi::check_filters(request, check);
    if (request.board_id.empty())
      request.board_id = objects_.board_for(object_key(), options);
  }
  static TypedUpsert<T> typed(UpsertResult result) {
    return TypedUpsert<T>{T::from_json(std::move(result.record)), result.created, result.outcome};
  }
  static std::optional<T> typed(std::optional<model::Json> record) {
    if (!record)
      return std::nullopt;
    return T::from_json(std::move(*record));
  }

  ObjectsApi objects_;
};

// The facade aliases (`using Customers = Resource<model::Customer>;`), and one explicit
// instantiation each in src/resources/resources.cpp.
#define RR_FACADE(Type, Facade, method) \
  using Facade = Resource<model::Type>; \
  extern template class ROSEROCKET_API Resource<model::Type>;
#include "roserocket/model/catalog.def"

}  // namespace roserocket
