#include "faults.hpp"

#include <memory>

#include "http_util.hpp"

namespace rr_emulator::detail {
namespace {

// What a torn or truncated answer starts out as: a plausible record.
const std::string kSampleBody =
    R"({"id":"00000000-0000-4000-8000-000000000000","objectKey":"customer","fullId":"CUST-0",)"
    R"("name":"Truncated Freight Corp","status":"active","version":1})";

const char* kind_name(FaultKind kind) {
  switch (kind) {
    case FaultKind::kStatus:
      return "status";
    case FaultKind::kDelay:
      return "delay";
    case FaultKind::kDrop:
      return "drop";
    case FaultKind::kTruncatedBody:
      return "truncated";
    case FaultKind::kNonJsonBody:
      return "nonJson";
    case FaultKind::kCommitThenDrop:
      return "commitThenDrop";
  }
  return "status";
}

}  // namespace

void FaultTable::add(const Fault& fault) {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.push_back(fault);
}

void FaultTable::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.clear();
}

std::optional<Fault> FaultTable::take(const std::string& method, const std::string& path) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (!it->method.empty() && it->method != method)
      continue;
    if (path.rfind(it->path_prefix, 0) != 0)
      continue;
    Fault hit = *it;
    if (--it->count <= 0)
      faults_.erase(it);
    return hit;
  }
  return std::nullopt;
}

void serve_fault(const Fault& fault, httplib::Response& res) {
  // The caller (pre_route) closes the connection when the request's body was left unread.
  switch (fault.kind) {
    case FaultKind::kDelay:
    case FaultKind::kCommitThenDrop:  // answered by its handler, then torn by
                                      // lose_answer_if_marked()
      return;
    case FaultKind::kStatus: {
      const int status = fault.status == 0 ? 503 : fault.status;
      if (fault.retry_after)
        res.set_header("Retry-After", *fault.retry_after);
      send_nest_error(res, status, fault.message.empty() ? reason_phrase(status) : fault.message);
      return;
    }
    case FaultKind::kTruncatedBody:
      res.status = fault.status == 0 ? 200 : fault.status;
      res.set_content(kSampleBody.substr(0, kSampleBody.size() / 2), "application/json");
      return;
    case FaultKind::kNonJsonBody:
      res.status = fault.status == 0 ? 200 : fault.status;
      res.set_content("<html><body><h1>Upstream error</h1></body></html>", "text/html");
      return;
    case FaultKind::kDrop: {
      res.status = 200;
      // Announces the whole body, writes half, then aborts: the client sees a torn connection.
      auto body = std::make_shared<std::string>(kSampleBody);
      res.set_content_provider(body->size(), "application/json",
                               [body](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                                 if (offset == 0)
                                   sink.write(body->data(), body->size() / 2);
                                 return false;
                               });
      return;
    }
  }
}

void mark_answer_lost(httplib::Response& res) {
  res.set_header(kLoseAnswerHeader, "1");
}

void lose_answer_if_marked(httplib::Response& res) {
  if (!res.has_header(kLoseAnswerHeader))
    return;
  res.headers.erase(kLoseAnswerHeader);
  // The answer as the handler made it (compressed or not), announced whole, half written, then
  // the connection aborted: the client cannot tell whether the write happened.
  auto body = std::make_shared<std::string>(res.body.empty() ? kSampleBody : res.body);
  std::string type = res.get_header_value("Content-Type");
  res.headers.erase("Content-Type");
  res.headers.erase("Content-Length");
  res.body.clear();
  res.set_header("Content-Length", std::to_string(body->size()));
  res.set_content_provider(body->size(), type.empty() ? "application/json" : type,
                           [body](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                             if (offset == 0)
                               sink.write(body->data(), body->size() / 2);
                             return false;
                           });
}

Fault fault_from_json(const nlohmann::json& body) {
  std::vector<std::string> errors;
  Fault f;
  f.method = body.value("method", std::string());
  f.path_prefix = body.value("pathPrefix", std::string("/"));
  const std::string kind = body.value("kind", std::string("status"));
  bool known = false;
  for (auto k : {FaultKind::kStatus, FaultKind::kDelay, FaultKind::kDrop, FaultKind::kTruncatedBody,
                 FaultKind::kNonJsonBody, FaultKind::kCommitThenDrop}) {
    if (kind == kind_name(k)) {
      f.kind = k;
      known = true;
    }
  }
  if (!known)
    errors.emplace_back(
        "kind must be one of: status, delay, drop, truncated, nonJson, commitThenDrop");
  f.status = body.value("status", 0);
  if (f.status != 0 && (f.status < 100 || f.status > 599)) {
    errors.emplace_back("status must be between 100 and 599");
  }
  if (body.contains("retryAfter")) {
    const auto& ra = body["retryAfter"];
    f.retry_after = ra.is_string() ? ra.get<std::string>() : ra.dump();
  }
  f.message = body.value("message", std::string());
  f.delay_ms = body.value("delayMs", 0);
  f.count = body.value("count", 1);
  if (f.count < 1)
    errors.emplace_back("count must be at least 1");
  if (f.delay_ms < 0)
    errors.emplace_back("delayMs must not be negative");
  if (!errors.empty())
    bad_request(errors);
  return f;
}

void StatsCounter::count_token(const std::string& grant) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++stats_.token_requests[grant];
}

namespace {
constexpr std::size_t kMaxStatsPaths = 1000;
}  // namespace

void StatsCounter::count_api(const std::string& method, const std::string& path) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string key = method + " " + path;
  // Any client can invent paths: past a bound, new ones share one entry instead of growing it.
  if (stats_.api_requests.size() >= kMaxStatsPaths && stats_.api_requests.count(key) == 0)
    key = method + " (other paths)";
  ++stats_.api_requests[key];
}

void StatsCounter::count_connection() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++stats_.accepted_connections;
}

void StatsCounter::count_fault() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++stats_.faults_served;
}

Stats StatsCounter::snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

void StatsCounter::reset() {
  std::lock_guard<std::mutex> lock(mutex_);
  stats_ = Stats{};
}

nlohmann::json stats_to_json(const Stats& stats) {
  return {{"tokenRequests", stats.token_requests},
          {"apiRequests", stats.api_requests},
          {"acceptedConnections", stats.accepted_connections},
          {"faultsServed", stats.faults_served}};
}

CountingTaskQueue::CountingTaskQueue(std::size_t threads, std::function<void()> on_accept)
    : pool_(threads), on_accept_(std::move(on_accept)) {}

void CountingTaskQueue::enqueue(std::function<void()> fn) {
  on_accept_();
  pool_.enqueue(std::move(fn));
}

void CountingTaskQueue::shutdown() {
  pool_.shutdown();
}

}  // namespace rr_emulator::detail
