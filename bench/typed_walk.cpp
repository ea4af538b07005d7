// Reading a large order typed, against nlohmann's own parse and walk of the same body.
//
// Usage: typed_walk [N] [commodities]
//   N            orders parsed and walked per side (default 100)
//   commodities  commodities on the order's one task (default 5000, about 1.5 MB of JSON)
//
// The body is one order with one task whose commodities have 17 fields each; a second body is the
// same without any `objectKey` (TypedRecord::from_json adds the order's). Every side parses a body
// and sums every commodity's weight:
//   plain    nlohmann::json::parse, then a walk of the parsed tree (the baseline);
//   views    Order::from_json(parse(body)), then order.view().tasks() / task.commodities();
//   default  the same parse, then order.tasks() / task.commodities(), the accessors a user
//            reaches first: on a record that stays they are views too (ADR 0024);
//   copies   the same parse, then order.tasks().to_records() / task.commodities().to_records(),
//            owning copies of every connected record (what the accessors answered before
//            ADR 0024, and what a later write of each record needs; shown for comparison).
// Each side runs on both bodies; ratios are against plain on the same body. Time is this
// process's CPU time (user+sys, getrusage) per order. Rounds alternate which side goes first, so
// that none profits from a warmer cache. The sums are checked to agree.

#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "roserocket/roserocket.hpp"

namespace {

using roserocket::model::Commodity;
using roserocket::model::Json;
using roserocket::model::Order;
using roserocket::model::Task;

constexpr int kRounds = 10;

double cpu_us() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto us = [](const timeval& tv) { return tv.tv_sec * 1e6 + static_cast<double>(tv.tv_usec); };
  return us(usage.ru_utime) + us(usage.ru_stime);
}

std::string uuid_like(long n) {
  std::string digits = std::to_string(n % 1000000000000L);
  return "00000000-0000-4000-8000-" + std::string(12 - digits.size(), '0') + digits;
}

// One order, one task, @p count commodities of 17 fields each, serialised as the server would.
std::string order_body(long count) {
  Json commodities = Json::array();
  for (long i = 0; i < count; ++i) {
    commodities.push_back({{"id", uuid_like(1000 + i)},
                           {"objectKey", "commodity"},
                           {"orgId", uuid_like(1)},
                           {"fullId", "COM-" + std::to_string(i + 1)},
                           {"createdAt", "2026-11-24T14:00:00.000Z"},
                           {"version", 1},
                           {"description", "Palletised goods, lot " + std::to_string(i)},
                           {"quantity", 1 + i % 12},
                           {"weight", 100.0 + static_cast<double>(i % 97) * 2.5},
                           {"weightUnit", "lbs"},
                           {"length", 48.0},
                           {"width", 40.0},
                           {"height", 36.0 + static_cast<double>(i % 5)},
                           {"dimensionUnit", "in"},
                           {"freightClass", "77.5"},
                           {"commodityType", "pallet"},
                           {"nmfc", "156600"}});
  }
  Json task = {{"id", uuid_like(2)},        {"objectKey", "task"},  {"orgId", uuid_like(1)},
               {"fullId", "T-1"},           {"taskType", "pickup"}, {"ordinal", 1},
               {"commodities", commodities}};
  Json order = {{"id", uuid_like(3)},          {"objectKey", "order"},
                {"orgId", uuid_like(1)},       {"fullId", "O-1"},
                {"status", "booked"},          {"version", 3},
                {"tasks", Json::array({task})}};
  return order.dump();
}

// @p json without any "objectKey", at every level.
void drop_object_keys(Json& json) {
  if (json.is_object()) {
    json.erase("objectKey");
    for (auto& [name, value] : json.items())
      drop_object_keys(value);
  } else if (json.is_array()) {
    for (auto& value : json)
      drop_object_keys(value);
  }
}

double plain_walk(const std::string& body) {
  const Json order = Json::parse(body);
  double sum = 0;
  for (const auto& task : order.at("tasks")) {
    for (const auto& c : task.at("commodities")) {
      const auto w = c.find("weight");
      if (w != c.end() && w->is_number())
        sum += w->get<double>();
    }
  }
  return sum;
}

double view_walk(const std::string& body) {
  const Order order = Order::from_json(Json::parse(body));
  double sum = 0;
  for (auto task : order.view().tasks()) {
    for (auto c : task.commodities())
      sum += c.weight().value_or(0);
  }
  return sum;
}

double default_walk(const std::string& body) {
  const Order order = Order::from_json(Json::parse(body));
  double sum = 0;
  for (const auto& task : order.tasks()) {
    for (const auto& c : task.commodities())
      sum += c.weight().value_or(0);
  }
  return sum;
}

double copy_walk(const std::string& body) {
  const Order order = Order::from_json(Json::parse(body));
  double sum = 0;
  const std::vector<Task> tasks = order.tasks().to_records();
  for (const Task& task : tasks) {
    const std::vector<Commodity> commodities = task.commodities().to_records();
    for (const Commodity& c : commodities)
      sum += c.weight().value_or(0);
  }
  return sum;
}

}  // namespace

int main(int argc, char** argv) try {
  const long n = argc > 1 ? std::atol(argv[1]) : 100;
  const long count = argc > 2 ? std::atol(argv[2]) : 5000;
  if (n < kRounds || count < 1) {
    std::fprintf(stderr, "usage: typed_walk [N >= %d] [commodities >= 1]\n", kRounds);
    return 2;
  }
  std::vector<std::string> bodies = {order_body(count)};
  Json keyless = Json::parse(bodies[0]);
  drop_object_keys(keyless);
  bodies.push_back(keyless.dump());
  std::printf("order: 1 task, %ld commodities x 17 fields, %.2f MB of JSON; %ld orders per side\n",
              count, static_cast<double>(bodies[0].size()) / 1e6, n);

  struct Side {
    std::string name;
    double (*walk)(const std::string&);
    std::size_t body;
    double cpu = 0;
    double sum = 0;
  };
  std::vector<Side> sides;
  for (std::size_t b = 0; b < bodies.size(); ++b) {
    const std::string suffix = b == 0 ? "" : " (no objectKey)";
    sides.push_back(Side{"plain" + suffix, plain_walk, b});
    sides.push_back(Side{"views" + suffix, view_walk, b});
    sides.push_back(Side{"default" + suffix, default_walk, b});
    sides.push_back(Side{"copies" + suffix, copy_walk, b});
  }
  for (auto& s : sides)
    s.sum = s.walk(bodies[s.body]);  // warm-up, and the checksum
  for (const auto& s : sides) {
    if (s.sum != sides[0].sum) {
      std::fprintf(stderr, "%s summed %.3f, plain %.3f\n", s.name.c_str(), s.sum, sides[0].sum);
      return 1;
    }
  }

  const long per_round = n / kRounds;
  for (int round = 0; round < kRounds; ++round) {
    for (std::size_t k = 0; k < sides.size(); ++k) {
      Side& s = sides[(k + static_cast<std::size_t>(round)) % sides.size()];
      const double start = cpu_us();
      double sink = 0;
      for (long i = 0; i < per_round; ++i)
        sink += s.walk(bodies[s.body]);
      s.cpu += cpu_us() - start;
      if (sink != s.sum * static_cast<double>(per_round)) {
        std::fprintf(stderr, "%s: inconsistent sums\n", s.name.c_str());
        return 1;
      }
    }
  }
  const double orders = static_cast<double>(per_round * kRounds);
  std::printf("sum of weights: %.1f (all sides agree)\n", sides[0].sum);
  for (const auto& s : sides) {
    const double per = s.cpu / orders;
    const double base = sides[s.body * 4].cpu / orders;  // plain on the same body
    std::printf("%-24s %8.2f ms CPU per order   ratio %.2f\n", s.name.c_str(), per / 1000.0,
                per / base);
  }
  std::printf("goal: views and default ratios <= 1.30, on both bodies\n");
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "typed_walk: %s\n", e.what());
  return 1;
}
