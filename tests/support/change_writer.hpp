#pragma once

// A writer that keeps changing records while a change stream runs (issue 25, item 4): on its own
// thread it updates chosen records of a seeded set through the API (over HTTP, as another user of
// the account would), some several times, and remembers the version each update answered, so that
// a test can check that a stream saw the final version of every record it changed.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "roserocket/client.hpp"
#include "roserocket/objects/objects_api.hpp"

namespace rr_test {

/// @brief What a ChangeWriter changes and how fast.
struct ChangeWriterOptions {
  /// The object key of the records.
  std::string object_key = "order";
  /// How many distinct records it changes (each at least once), chosen at random.
  std::size_t records = 1000;
  /// Updates in all; those beyond `records` change a random one of the chosen records again.
  std::size_t updates = 1500;
  /// Wait between two updates.
  std::chrono::milliseconds pause{0};
  /// Seed of the choices (print it, so that a failure can be replayed).
  unsigned seed = 0;
};

/// @brief Updates records of a seeded set on its own thread (`start`), `updates` times in all.
/// Each update sets `refNum` to a new text, so each one is a change and bumps the version.
class ChangeWriter {
 public:
  /// @param client the client the updates go through (copied).
  /// @param ids the records to choose from.
  ChangeWriter(roserocket::Client client, std::vector<std::string> ids, ChangeWriterOptions options)
      : objects_(std::move(client)), options_(std::move(options)) {
    std::mt19937 random(options_.seed);
    std::shuffle(ids.begin(), ids.end(), random);
    ids.resize(std::min(options_.records, ids.size()));
    plan_ = ids;
    if (!ids.empty()) {
      std::uniform_int_distribution<std::size_t> pick(0, ids.size() - 1);
      while (plan_.size() < options_.updates)
        plan_.push_back(ids[pick(random)]);
    }
    std::shuffle(plan_.begin(), plan_.end(), random);
  }
  ~ChangeWriter() {
    stop_ = true;
    if (thread_.joinable())
      thread_.join();
  }
  ChangeWriter(const ChangeWriter&) = delete;
  ChangeWriter& operator=(const ChangeWriter&) = delete;

  /// @brief Starts writing on a thread of its own.
  void start() {
    thread_ = std::thread([this] { write_all(); });
  }
  /// @brief Waits until every update is made (or `stop`); rethrows what an update threw.
  void wait() {
    if (thread_.joinable())
      thread_.join();
    if (error_)
      std::rethrow_exception(error_);
  }
  /// @brief Asks the writer to stop after the update in flight.
  void stop() { stop_ = true; }

  /// @brief Each changed record's id and the version its last update answered.
  [[nodiscard]] std::map<std::string, std::int64_t> final_versions() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return final_;
  }
  /// @brief Updates made so far.
  [[nodiscard]] std::size_t updates_made() const { return made_; }
  /// @brief How many of the changed records were updated more than once.
  [[nodiscard]] std::size_t changed_several_times() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return static_cast<std::size_t>(std::count_if(
        times_.begin(), times_.end(), [](const auto& entry) { return entry.second > 1; }));
  }

 private:
  void write_all() {
    try {
      for (const auto& id : plan_) {
        if (stop_)
          return;
        const std::string text = "writer-" + std::to_string(made_.load() + 1);
        const nlohmann::json answer = objects_.update(options_.object_key, id, {{"refNum", text}});
        {
          std::lock_guard<std::mutex> lock(mutex_);
          final_[id] = answer.at("version").get<std::int64_t>();
          ++times_[id];
        }
        ++made_;
        if (options_.pause.count() > 0)
          std::this_thread::sleep_for(options_.pause);
      }
    } catch (...) {
      error_ = std::current_exception();
    }
  }

  roserocket::ObjectsApi objects_;
  ChangeWriterOptions options_;
  std::vector<std::string> plan_;
  mutable std::mutex mutex_;
  std::map<std::string, std::int64_t> final_;
  std::map<std::string, int> times_;
  std::atomic<std::size_t> made_{0};
  std::atomic<bool> stop_{false};
  std::exception_ptr error_;
  std::thread thread_;
};

}  // namespace rr_test
