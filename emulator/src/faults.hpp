#pragma once

// Fault injection (status, delay, dropped connection, truncated or non-JSON body) and the
// counters tests read back. Both are thread-safe.

#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "rr_emulator/emulator.hpp"

namespace rr_emulator::detail {

/// @brief Pending faults, matched in insertion order. Thread-safe.
class FaultTable {
 public:
  void add(const Fault& fault);
  void clear();
  /// @brief The first fault matching @p method and @p path, with its count used up by one.
  std::optional<Fault> take(const std::string& method, const std::string& path);

 private:
  std::mutex mutex_;
  std::deque<Fault> faults_;
};

/// @brief Answers @p res as @p fault says (every kind but kDelay).
void serve_fault(const Fault& fault, httplib::Response& res);

/// @brief The private header through which pre-routing tells post-routing to lose the answer.
inline constexpr const char* kLoseAnswerHeader = "X-Rr-Emulator-Lose-Answer";

/// @brief Marks @p res, before its handler runs, for lose_answer_if_marked() (kCommitThenDrop).
void mark_answer_lost(httplib::Response& res);

/// @brief After the handler (the write committed): when @p res is marked, answers it torn,
/// half its body then an aborted connection.
void lose_answer_if_marked(httplib::Response& res);

/// @brief A fault from the admin API's JSON; throws ApiError (400) on bad input.
Fault fault_from_json(const nlohmann::json& body);

/// @brief The counters behind `Emulator::stats()`. Thread-safe.
class StatsCounter {
 public:
  void count_token(const std::string& grant);
  void count_api(const std::string& method, const std::string& path);
  void count_connection();
  void count_fault();
  [[nodiscard]] Stats snapshot() const;
  void reset();

 private:
  mutable std::mutex mutex_;
  Stats stats_;
};

/// @brief Stats as the admin API's JSON.
nlohmann::json stats_to_json(const Stats& stats);

/// @brief httplib's thread pool, counting every accepted connection it is handed.
class CountingTaskQueue : public httplib::TaskQueue {
 public:
  CountingTaskQueue(std::size_t threads, std::function<void()> on_accept);
  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

 private:
  httplib::ThreadPool pool_;
  std::function<void()> on_accept_;
};

}  // namespace rr_emulator::detail
