#pragma once

// Starts many threads that are released at one moment, so they reach the code under test
// together (single-flight token refresh, concurrent 401s).

#include <atomic>
#include <functional>
#include <thread>
#include <vector>

namespace rr_test {

/// Runs @p body(i) for every i in [0, @p count) on its own thread; all threads wait until every
/// one has started, then go at once. Returns how many bodies returned true. A body must not throw.
inline int run_together(int count, const std::function<bool(int)>& body) {
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    threads.emplace_back([&, i] {
      ++ready;
      while (!go)
        std::this_thread::yield();
      if (body(i))
        ++ok;
    });
  }
  while (ready < count)
    std::this_thread::yield();
  go = true;
  for (auto& t : threads)
    t.join();
  return ok;
}

}  // namespace rr_test
