#include "roserocket/model/catalog.hpp"

#include <algorithm>

namespace roserocket::model {
namespace {

// Short builders keep the tables below readable: one line a field.
FieldSpec field(std::string name, FieldType type, std::string description = {}) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = type;
  f.description = std::move(description);
  return f;
}

FieldSpec text(std::string name, std::string description = {}) {
  return field(std::move(name), FieldType::kString, std::move(description));
}

FieldSpec enumeration(std::string name, std::vector<std::string> values,
                      std::string description = {}) {
  FieldSpec f = field(std::move(name), FieldType::kEnum, std::move(description));
  f.enum_values = std::move(values);
  return f;
}

FieldSpec one(std::string name, std::string target, std::string description = {}) {
  FieldSpec f = field(std::move(name), FieldType::kConnection, std::move(description));
  f.target = std::move(target);
  return f;
}

FieldSpec many(std::string name, std::string target, std::string description = {}) {
  FieldSpec f = field(std::move(name), FieldType::kConnectionList, std::move(description));
  f.target = std::move(target);
  return f;
}

FieldSpec server(std::string name, FieldType type, std::string description) {
  FieldSpec f = field(std::move(name), type, std::move(description));
  f.access = Access::kServerWritten;
  return f;
}

FieldSpec derived(std::string name, FieldType type, std::vector<std::string> from,
                  std::string description) {
  FieldSpec f = field(std::move(name), type, std::move(description));
  f.access = Access::kDerived;
  f.derived_from = std::move(from);
  return f;
}

std::vector<FieldSpec> business_hours() {
  std::vector<FieldSpec> out;
  for (const char* day : {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}) {
    for (const char* edge : {"Start", "End"}) {
      out.push_back(field(std::string("busHours") + day + edge + "At", FieldType::kTimeOfDay,
                          "seconds from midnight"));
    }
  }
  return out;
}

std::vector<std::string> business_hour_names() {
  std::vector<std::string> out;
  for (const auto& f : business_hours())
    out.push_back(f.name);
  return out;
}

ObjectSpec object(std::string key, std::string prefix, std::string display,
                  std::vector<FieldSpec> fields) {
  return ObjectSpec{std::move(key), std::move(prefix), std::move(display), std::move(fields)};
}

std::vector<ObjectSpec> build_objects() {
  std::vector<FieldSpec> customer_fields = {
      text("name", "company name"),
      enumeration("status", {"active", "inactive"}),
      enumeration("customerType", {"shipper", "broker", "receiver", "other"}),
      text("companyEmail"),
      text("companyPhone"),
      text("address"),
      text("city"),
      text("state"),
      text("postal"),
      text("currency"),
      text("defaultCurrency"),
      field("etaDelayNotifyEnabled", FieldType::kBoolean),
      derived("etaDelayNotifyLabel", FieldType::kString, {"etaDelayNotifyEnabled"},
              "\"Enabled\" or \"Disabled\", from etaDelayNotifyEnabled"),
      derived("formattedBusinessHours", FieldType::kString, business_hour_names(),
              "readable form of the busHours* fields"),
      many("contacts", "contact"),
      many("locations", "address"),
      many("tags", "tag"),
  };
  auto hours = business_hours();
  customer_fields.insert(customer_fields.begin() + 11, hours.begin(), hours.end());

  const std::vector<std::string> freight_classes = {
      "none", "50",  "55",  "60",  "65",  "70",  "77.5", "85",  "92.5", "100",
      "110",  "125", "150", "175", "200", "250", "300",  "400", "500"};

  std::vector<ObjectSpec> out;
  out.push_back(object("customer", "CUST", "Customer", std::move(customer_fields)));
  out.push_back(object("order", "O", "Order",
                       {
                           enumeration("status",
                                       {"new", "booked", "in transit", "delivered", "invoiced",
                                        "tendered", "rejected", "archived"},
                                       "defaults to new"),
                           text("poNumbers"),
                           text("notes"),
                           one("customer", "customer"),
                           one("partner", "partner"),
                           many("tasks", "task"),
                           many("csrs", "user"),
                           many("accountManagers", "user"),
                           many("commissionees", "user"),
                           one("order", "order", "parent order"),
                           one("sellQuote", "quote"),
                           many("buyQuotes", "quote"),
                           many("tags", "tag"),
                       }));
  out.push_back(
      object("task", "T", "Task",
             {
                 enumeration("status", {"new", "incomplete", "inprogress", "assigned", "complete",
                                        "problem", "canceled"}),
                 enumeration("taskType", {"pickup", "delivery", "drive", "unload", "load", "leg",
                                          "group", "dropTrailer", "hookTrailer", "other"}),
                 field("ordinal", FieldType::kInteger),
                 field("manifestOrdinal", FieldType::kInteger),
                 field("requestedCompletionWindow", FieldType::kDateTime),
                 field("actualArrivalTime", FieldType::kDateTime),
                 field("actualCompletionTime", FieldType::kDateTime),
                 field("appointmentTime", FieldType::kDateTime),
                 text("notes"),
                 one("order", "order"),
                 one("address", "address"),
                 many("commodities", "commodity"),
                 many("relatedCommodities", "commodity"),
                 many("stops", "stop"),
             }));
  out.push_back(object("address", "ADDR", "Address",
                       {
                           text("addressBookId"),
                           text("companyName"),
                           text("address1"),
                           text("address2"),
                           text("city"),
                           text("state"),
                           text("stateCode"),
                           text("country"),
                           text("countryCode"),
                           text("postalCode"),
                           field("latitude", FieldType::kNumber),
                           field("longitude", FieldType::kNumber),
                           text("googlePlaceId"),
                           text("timezone"),
                           derived("name", FieldType::kString, {"companyName", "address1", "city"},
                                   "display name built from the company and street address"),
                       }));
  out.push_back(object("commodity", "COM", "Commodity",
                       {
                           text("description"),
                           field("quantity", FieldType::kNumber),
                           field("weight", FieldType::kNumber),
                           field("length", FieldType::kNumber),
                           field("width", FieldType::kNumber),
                           field("height", FieldType::kNumber),
                           field("volume", FieldType::kNumber),
                           field("pieces", FieldType::kInteger),
                           enumeration("freightClass", freight_classes),
                           enumeration("commodityType", {"bundle", "carton", "skid", "package",
                                                         "container", "crate", "pallet", "other"}),
                           enumeration("weightUnit", {"kgs", "lbs", "metric tonnes", "tons"}),
                           text("volumeUnit"),
                           enumeration("dimensionUnit", {"cm", "in", "ft"}),
                           enumeration("temperatureUnit", {"f", "c"}),
                           text("packingGroupNumber"),
                           text("nmfc"),
                           text("hazmatClass"),
                           text("unNumber"),
                           field("isHazmat", FieldType::kBoolean),
                       }));
  out.push_back(object("manifest", "M", "Manifest",
                       {
                           enumeration("status", {"planning", "assigned", "dispatched",
                                                  "in transit", "complete", "canceled"}),
                           text("notes"),
                           one("partner", "partner", "carrier the manifest is tendered to"),
                           many("tasks", "task"),
                           many("assets", "asset"),
                           many("tags", "tag"),
                       }));
  out.push_back(object("webhookDestination", "WHD", "Webhook destination",
                       {
                           text("name"),
                           text("url", "where deliveries are POSTed"),
                           field("enabled", FieldType::kBoolean),
                           many("subscriptions", "webhookSubscription"),
                       }));
  out.push_back(object("webhookSubscription", "WHS", "Webhook subscription",
                       {
                           text("eventName", "e.g. \"Order Status Changed\""),
                           one("destination", "webhookDestination"),
                       }));
  out.push_back(object("partner", "P", "Partner",
                       {
                           text("name"),
                           enumeration("status", {"active", "inactive"}),
                           enumeration("partnerType", {"carrier", "broker", "other"}),
                           text("companyEmail"),
                           text("companyPhone"),
                           text("mcNumber"),
                           text("dotNumber"),
                           text("scac"),
                           text("defaultCurrency"),
                           many("contacts", "contact"),
                           many("locations", "address"),
                           many("tags", "tag"),
                       }));
  out.push_back(
      object("quote", "Q", "Quote",
             {
                 enumeration("status", {"draft", "sent", "accepted", "rejected", "expired"}),
                 enumeration("quoteType", {"sell", "buy"}),
                 field("expiresAt", FieldType::kDate),
                 text("notes"),
                 one("customer", "customer"),
                 one("partner", "partner"),
                 one("order", "order"),
                 many("lineItems", "financialLineItem"),
                 derived("total", FieldType::kMoney, {"lineItems"}, "sum of the line items"),
             }));
  out.push_back(object("financialLineItem", "FLI", "Financial line item",
                       {
                           text("description"),
                           text("chargeType"),
                           field("quantity", FieldType::kNumber),
                           field("rate", FieldType::kMoney),
                           field("amount", FieldType::kMoney),
                           field("taxable", FieldType::kBoolean),
                           one("invoice", "invoice"),
                           one("bill", "bill"),
                           one("quote", "quote"),
                       }));
  out.push_back(object("invoice", "INV", "Invoice",
                       {
                           enumeration("status", {"draft", "approved", "sent", "paid", "void"}),
                           field("invoiceDate", FieldType::kDate),
                           field("dueDate", FieldType::kDate),
                           text("currency"),
                           text("notes"),
                           one("customer", "customer"),
                           one("order", "order"),
                           many("lineItems", "financialLineItem"),
                           derived("subTotal", FieldType::kMoney, {"lineItems"},
                                   "sum of the line items' amounts, without tax"),
                       }));
  out.push_back(object("tag", "TAG", "Tag",
                       {
                           text("name"),
                           text("color"),
                           text("description"),
                       }));
  out.push_back(
      object("asset", "A", "Asset",
             {
                 text("name"),
                 enumeration("assetType", {"truck", "trailer", "tractor", "container", "other"}),
                 enumeration("status", {"active", "inactive", "maintenance"}),
                 text("licensePlate"),
                 text("vin"),
                 text("make"),
                 text("model"),
                 field("year", FieldType::kInteger),
                 many("tags", "tag"),
             }));
  out.push_back(object("bill", "B", "Bill",
                       {
                           enumeration("status", {"draft", "approved", "paid", "void"}),
                           field("billDate", FieldType::kDate),
                           field("dueDate", FieldType::kDate),
                           text("currency"),
                           text("notes"),
                           one("partner", "partner"),
                           one("order", "order"),
                           many("lineItems", "financialLineItem"),
                           derived("subTotal", FieldType::kMoney, {"lineItems"},
                                   "sum of the line items' amounts, without tax"),
                       }));
  out.push_back(object("contact", "CON", "Contact",
                       {
                           text("firstName"),
                           text("lastName"),
                           text("email"),
                           text("phone"),
                           text("title"),
                           one("customer", "customer"),
                           one("partner", "partner"),
                       }));
  // Connected objects named by the documented ones; known by key, few fields documented.
  out.push_back(object("stop", "S", "Stop", {one("address", "address"), one("task", "task")}));
  out.push_back(object("user", "U", "User", {text("firstName"), text("lastName"), text("email")}));
  return out;
}

std::vector<FieldSpec> build_common() {
  return {
      server("id", FieldType::kUuid, "globally unique id, chosen by the server"),
      server("objectKey", FieldType::kString, "the record's type"),
      server("orgId", FieldType::kUuid, "the organisation that owns the record"),
      server("fullId", FieldType::kString, "human id such as CUST-18, counted per object"),
      field("externalId", FieldType::kString, "your system's id for the record; nullable"),
      server("source", FieldType::kString, "how the record was created, e.g. manual"),
      server("createdAt", FieldType::kTimestamp, "when the record was created"),
      server("createdBy", FieldType::kUuid, "who created the record"),
      server("updatedAt", FieldType::kTimestamp, "when the record last changed"),
      server("updatedBy", FieldType::kUuid, "who last changed the record"),
      server("version", FieldType::kInteger, "1 on create, +1 on every change"),
      server("widgets", FieldType::kJson, "UI widgets of the record"),
      server("widgetToOpen", FieldType::kJson, "the UI widget opened first"),
      server("mapMarkers", FieldType::kJson, "map markers of the record"),
  };
}

}  // namespace

const FieldSpec* ObjectSpec::find(std::string_view name) const noexcept {
  for (const auto& f : fields) {
    if (f.name == name)
      return &f;
  }
  for (const auto& f : common_fields()) {
    if (f.name == name)
      return &f;
  }
  return nullptr;
}

const std::vector<FieldSpec>& common_fields() {
  static const std::vector<FieldSpec> fields = build_common();
  return fields;
}

const std::vector<ObjectSpec>& objects() {
  static const std::vector<ObjectSpec> all = build_objects();
  return all;
}

const ObjectSpec* find_object(std::string_view object_key) noexcept {
  const auto& all = objects();
  auto it = std::find_if(all.begin(), all.end(),
                         [&](const ObjectSpec& o) { return o.key == object_key; });
  return it == all.end() ? nullptr : &*it;
}

const FieldSpec* find_field(std::string_view object_key, std::string_view field) noexcept {
  if (const ObjectSpec* spec = find_object(object_key))
    return spec->find(field);
  for (const auto& f : common_fields()) {
    if (f.name == field)
      return &f;
  }
  return nullptr;
}

std::string read_only_reason(std::string_view object_key, std::string_view field) {
  const FieldSpec* spec = find_field(object_key, field);
  if (spec == nullptr || !spec->read_only())
    return {};
  if (spec->access == Access::kServerWritten) {
    return "written by the server (" + spec->description + ")";
  }
  std::string from;
  for (const auto& f : spec->derived_from) {
    if (!from.empty())
      from += ", ";
    from += f;
  }
  if (spec->derived_from.size() > 4)
    from = spec->derived_from.front() + ", ...";
  return "derived from " + from + " (" + spec->description + ")";
}

bool is_custom(std::string_view name) noexcept {
  return name.size() > 3 && name.substr(name.size() - 3) == "__c";
}

}  // namespace roserocket::model
