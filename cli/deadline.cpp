// rr --timeout: the whole command's deadline, its duration syntax and the timer that ends it.

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csignal>

#include "cli.hpp"

namespace rr_cli {
namespace {

// How long the timer lets a cancelled command take to end by itself (write an import's failed
// rows, close its output) before it ends the process.
constexpr std::chrono::milliseconds kGrace{2000};

}  // namespace

std::chrono::milliseconds parse_duration(const std::string& text) {
  const auto refuse = [&text]() {
    return UsageError("--timeout '" + text +
                      "': expected a duration such as 500ms, 30s, 2m or 1h (more than zero)");
  };
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits])))
    ++digits;
  if (digits == 0 || digits > 9)
    throw refuse();
  const long long count = std::stoll(text.substr(0, digits));
  const std::string unit = text.substr(digits);
  long long per_unit = 0;
  if (unit == "ms")
    per_unit = 1;
  else if (unit == "s" || unit.empty())
    per_unit = 1000;
  else if (unit == "m")
    per_unit = 60 * 1000;
  else if (unit == "h")
    per_unit = 3600 * 1000;
  if (per_unit == 0 || count == 0)
    throw refuse();
  return std::chrono::milliseconds(count * per_unit);
}

CommandDeadline::~CommandDeadline() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    finished_ = true;
  }
  wake_.notify_all();
  if (timer_.joinable())
    timer_.join();
}

void CommandDeadline::start(std::chrono::milliseconds limit, std::string shown) {
  shown_ = std::move(shown);
  end_ = std::chrono::steady_clock::now() + limit;
  active_ = true;
  timer_ = std::thread([this] { watch(); });
}

bool CommandDeadline::expired() const {
  return active_ && std::chrono::steady_clock::now() >= end_;
}

std::chrono::milliseconds CommandDeadline::remaining() const {
  if (!active_)
    return std::chrono::milliseconds(0);
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      end_ - std::chrono::steady_clock::now());
  return std::max(left, std::chrono::milliseconds(1));
}

std::string CommandDeadline::message() const {
  return "timed out after " + shown_ + " (--timeout); the command did not finish";
}

bool CommandDeadline::finish() {
  const std::lock_guard<std::mutex> lock(mutex_);
  finished_ = true;
  wake_.notify_all();
  if (!expired() || reported_)
    return false;
  reported_ = true;
  return true;
}

void CommandDeadline::watch() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (wake_.wait_until(lock, end_, [this] { return finished_; }))
    return;
  source_.cancel();
  if (wake_.wait_for(lock, kGrace, [this] { return finished_; }))
    return;
  // Something does not listen to the cancellation: end here, holding the lock so that the
  // command cannot report as well.
  reported_ = true;
  const std::string line = "rr: " + message() + "\n";
  (void)!::write(STDERR_FILENO, line.data(), line.size());
  ::_exit(kExitTimeout);
}

namespace {

std::atomic<bool> interrupt_received{false};

extern "C" void on_interrupt_signal(int) {
  interrupt_received.store(true);
}

}  // namespace

InterruptStop::InterruptStop(const CommandDeadline& deadline) : deadline_(deadline.token()) {
  interrupt_received.store(false);
  previous_int_ = std::signal(SIGINT, on_interrupt_signal);
  previous_term_ = std::signal(SIGTERM, on_interrupt_signal);
  watcher_ = std::thread([this] {
    while (!done_.load()) {
      if (interrupt_received.load() || deadline_.is_cancelled()) {
        source_.cancel();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
}

void InterruptStop::finish() {
  if (done_.exchange(true))
    return;
  watcher_.join();
  std::signal(SIGINT, previous_int_);
  std::signal(SIGTERM, previous_term_);
}

int run_stream_command(const std::string& command, InterruptStop& stop,
                       const roserocket::CancellationToken& deadline,
                       const std::function<void()>& work) {
  try {
    work();
  } catch (const roserocket::Error& e) {
    stop.finish();
    if (e.operation() == "change_stream.checkpoint")
      throw UsageError(command + ": --checkpoint: " + e.summary());
    throw;
  }
  stop.finish();
  if (deadline.is_cancelled())
    throw roserocket::CancelledError(command + ": --timeout ran out", roserocket::ErrorContext{}, 0,
                                     false);
  return kExitOk;
}

}  // namespace rr_cli
