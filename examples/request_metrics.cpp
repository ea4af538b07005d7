// Request metrics: a ClientOptions::observer that records every attempt's latency in a
// histogram per operation, printed when the program ends. Plug the same hook into Prometheus or
// OpenTelemetry; the SDK depends on neither.

#include <array>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "example_support.hpp"

namespace {

// Attempt latencies per operation in fixed buckets (upper bounds in ms; the last is open).
class LatencyHistogram {
 public:
  static constexpr std::array<long, 7> kBounds = {1, 2, 5, 10, 25, 100, 1000};

  // An observer: called at the start and end of every attempt, on the calling thread. `elapsed`
  // counts from the start of the call, so an attempt's own latency is end minus start.
  void observe(const roserocket::AttemptEvent& event) {
    thread_local std::chrono::milliseconds started{0};
    if (event.phase == roserocket::AttemptPhase::kStart) {
      started = event.request.elapsed;
      return;
    }
    const long ms = static_cast<long>((event.request.elapsed - started).count());
    const std::lock_guard<std::mutex> lock(mutex_);
    Row& row = rows_[event.request.operation];
    std::size_t bucket = 0;
    while (bucket < kBounds.size() && ms > kBounds[bucket])
      ++bucket;
    ++row.buckets[bucket];
    ++row.count;
    if (!event.request.error_kind.empty())
      ++row.errors[event.request.error_kind];
  }

  void print(std::ostream& out) const {
    const std::lock_guard<std::mutex> lock(mutex_);
    out << "latency per attempt (ms):\n";
    for (const auto& [operation, row] : rows_) {
      out << "  " << operation << " (" << row.count << "):";
      for (std::size_t i = 0; i < row.buckets.size(); ++i) {
        if (row.buckets[i] == 0)
          continue;
        out << "  " << (i < kBounds.size() ? "<=" + std::to_string(kBounds[i]) : ">1000") << ": "
            << row.buckets[i];
      }
      for (const auto& [kind, n] : row.errors)
        out << "  [" << kind << ": " << n << "]";
      out << "\n";
    }
  }

 private:
  struct Row {
    std::array<int, kBounds.size() + 1> buckets{};
    int count = 0;
    std::map<std::string, int> errors;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Row> rows_;
};

}  // namespace

int main() {
  auto histogram = std::make_shared<LatencyHistogram>();
  const int status = example::run([&histogram](roserocket::Client& connected) {
    // The observer is a client option: make a client like the connected one, with it set.
    roserocket::ClientOptions options = connected.options();
    options.observer = [histogram](const roserocket::AttemptEvent& e) { histogram->observe(e); };
    roserocket::Client client(options);

    roserocket::model::Customer customer;
    customer.set_name("Metrics Freight Co");
    auto created = client.customers().create(customer);
    for (int i = 0; i < 20; ++i)
      (void)client.customers().get(*created.id());

    // A failed call shows up with its error kind.
    try {
      (void)client.objects().get("00000000-0000-4000-8000-000000000000");
    } catch (const roserocket::NotFoundError&) {
    }

    // The request id and attempts of a success, from the metadata out-parameter.
    roserocket::ResponseMetadata meta;
    roserocket::RequestOptions with_meta;
    with_meta.metadata = &meta;
    client.customers().remove(*created.id(), with_meta);
    std::cout << "removed " << created.full_id().value_or("?") << ": status " << meta.status << ", "
              << meta.attempts << " attempt(s), request id "
              << (meta.request_id.empty() ? "(none)" : meta.request_id) << "\n";
  });
  histogram->print(std::cout);
  return status;
}
