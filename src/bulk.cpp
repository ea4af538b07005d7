#include "roserocket/bulk.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "call_state.hpp"
#include "client_core.hpp"
#include "http/curl_easy.hpp"
#include "objects/object_requests.hpp"
#include "roserocket/auth/caching_token_provider.hpp"

namespace roserocket {
namespace {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Called once per call: the response or the error, and how many requests were sent.
using JobDone = std::function<void(ApiResponse*, std::exception_ptr, int attempts)>;

// One call on its way through the engine. Owned by the engine from submit to finish; touched by
// one thread at a time (queues hand it over under the engine's mutex).
struct Job {
  ApiRequest request;
  std::unique_ptr<detail::CallAttempts> attempts;  // refers to `request`
  JobDone done;

  // Set by a worker for the loop.
  enum class Stage { kPrepared, kFinished, kRetry, kFailed } stage = Stage::kFailed;
  detail::CallAttempts::Next next;
  std::exception_ptr error;

  // Multi loop: the prepared request and its transfer.
  HttpRequest* http = nullptr;
  detail::Slist headers;
  bool sends_body = false;
  long timeout_ms = 0;
  detail::Transfer transfer;
  HttpResponse response;
  std::array<char, CURL_ERROR_SIZE> error_text{};
};

bool is_throttle(int status) {
  return status == 429 || status == 503;
}

}  // namespace

struct BulkEngine::Impl {
  Client client;
  detail::ClientCore core;  // the client's options, as its own calls see them
  BulkOptions options;
  std::shared_ptr<HttpTransport> transport;
  std::shared_ptr<const detail::CurlSettings> curl;  // set when the multi loop does transfers
  CURLM* multi = nullptr;  // the loop's wait (and, over curl, its transfers)

  std::mutex mutex;
  std::condition_variable work_cv;
  std::condition_variable idle_cv;
  std::deque<Job*> incoming;  // submitted, not yet seen by the loop
  std::deque<Job*> work;      // for the workers
  std::deque<Job*> posted;    // back from the workers
  std::size_t active = 0;     // submitted and not finished
  bool stopping = false;

  // The loop thread's own state.
  std::deque<Job*> ready;
  std::multimap<SteadyClock::time_point, Job*> timers;
  SteadyClock::time_point pause_until{};
  SteadyClock::time_point last_decrease{};
  double limit = 1;
  int in_flight = 0;
  int window = 0;
  std::vector<CURL*> idle_easy;

  std::atomic<std::size_t> calls{0};
  std::atomic<std::size_t> requests{0};
  std::atomic<std::size_t> connections{0};
  std::atomic<std::size_t> pauses{0};
  std::atomic<int> concurrency{0};

  std::thread loop_thread;
  std::vector<std::thread> workers;

  Impl(Client c, BulkOptions o) : client(std::move(c)), core(client.options()), options(o) {}

  void wake() { curl_multi_wakeup(multi); }

  void submit(ApiRequest request, JobDone done) {
    auto job = std::make_unique<Job>();
    job->request = std::move(request);
    job->done = std::move(done);
    try {
      job->attempts = std::make_unique<detail::CallAttempts>(core, job->request);
    } catch (...) {
      job->done(nullptr, std::current_exception(), 0);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex);
      ++active;
      incoming.push_back(job.release());
    }
    wake();
  }

  // Loop thread: the call is over.
  void finish(Job* job, ApiResponse* response, std::exception_ptr error) {
    ++calls;
    try {
      job->done(response, std::move(error), job->attempts->attempts_sent());
    } catch (...) {
      // A callback that throws must not stop the engine; its exception has nowhere to go.
    }
    delete job;
    std::lock_guard<std::mutex> lock(mutex);
    if (--active == 0)
      idle_cv.notify_all();
  }

  // Loop thread: adaptive concurrency and the shared pause, after an attempt's outcome.
  void adapt(Job* job, SteadyClock::time_point now) {
    const int status = job->attempts->last_status();
    if (is_throttle(status)) {
      if (options.adaptive && now - last_decrease > milliseconds(1000)) {
        limit = std::max(1.0, limit / 2);
        window = 0;
        last_decrease = now;
      }
    } else if (status >= 200 && status < 300 && options.adaptive && limit < options.max_in_flight) {
      if (++window >= static_cast<int>(limit)) {
        limit += 1;
        window = 0;
      }
    }
    concurrency = static_cast<int>(limit);
  }

  // Loop thread: what to do with an attempt's decision.
  void follow(Job* job, detail::CallAttempts::Next&& next, SteadyClock::time_point now) {
    adapt(job, now);
    if (next.done) {
      finish(job, &next.response, nullptr);
      return;
    }
    if (!next.wait) {
      ready.push_front(job);  // a token refresh: at once
      return;
    }
    const auto due = now + next.delay;
    if (next.server_asked && due > pause_until) {
      pause_until = due;  // Retry-After: the whole engine waits, not only this call
      ++pauses;
    }
    timers.emplace(due, job);
  }

  // Whether the token provider answers at once (a static token, or a cached one that is not
  // about to expire): the loop may then start an attempt itself without waiting on the network.
  bool token_is_cached() const {
    const TokenProvider* provider = core.options.token_provider.get();
    if (dynamic_cast<const StaticTokenProvider*>(provider) != nullptr)
      return true;
    const auto* caching = dynamic_cast<const CachingTokenProvider*>(provider);
    if (caching == nullptr)
      return false;
    const auto set = caching->tokens();
    if (!set || set->access_token.empty())
      return false;
    if (!set->expires_at)
      return true;
    const OAuthOptions& oauth = caching->options();
    return *set->expires_at - oauth.refresh_skew >
           oauth.clock.system_now() + std::chrono::seconds(5);
  }

  // Starts @p job's attempt for the multi loop: the token and the header list.
  // @throw what begin_attempt or the header check throws.
  void prepare(Job* job) {
    HttpRequest& http = job->attempts->begin_attempt();
    ++requests;
    job->http = &http;
    job->headers = detail::build_header_list(http, job->sends_body);
    job->stage = Job::Stage::kPrepared;
  }

  // Worker thread: runs one task of @p job.
  void work_on(Job* job) {
    try {
      if (curl) {
        // The multi loop sends it; here only what may block (the token) and the header list.
        prepare(job);
      } else {
        HttpRequest& http = job->attempts->begin_attempt();
        ++requests;
        HttpResponse response;
        bool answered = false;
        detail::CallAttempts::Next next;
        try {
          response = transport->send(http);
          answered = true;
        } catch (const TransportError&) {
          next = job->attempts->on_transport_error(std::current_exception());
        } catch (const CancelledError&) {
          next = job->attempts->on_transport_error(std::current_exception());
        }
        if (answered)
          next = job->attempts->on_response(std::move(response));
        job->stage = next.done ? Job::Stage::kFinished : Job::Stage::kRetry;
        job->next = std::move(next);
      }
    } catch (...) {
      job->error = std::current_exception();
      job->stage = Job::Stage::kFailed;
    }
    {
      std::lock_guard<std::mutex> lock(mutex);
      posted.push_back(job);
    }
    wake();
  }

  void worker_main() {
    while (true) {
      Job* job = nullptr;
      {
        std::unique_lock<std::mutex> lock(mutex);
        work_cv.wait(lock, [&] { return stopping || !work.empty(); });
        if (work.empty())
          return;
        job = work.front();
        work.pop_front();
      }
      work_on(job);
    }
  }

  // Loop thread: starts the transfer of a prepared job on the multi handle.
  void start_transfer(Job* job) {
    CURL* e = nullptr;
    if (!idle_easy.empty()) {
      e = idle_easy.back();
      idle_easy.pop_back();
    } else {
      e = curl_easy_init();
      if (e == nullptr) {
        --in_flight;
        finish(job, nullptr,
               std::make_exception_ptr(TransportError(
                   "libcurl could not create a handle (out of memory?)", {}, false)));
        return;
      }
      detail::configure_easy(e, *curl, job->error_text.data());
    }
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, job->error_text.data());
    const HttpRequest& http = *job->http;
    const bool tls = http.url.rfind("https://", 0) == 0;
    if (options.http2 && tls) {
      curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
      curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);  // wait for the multiplexed connection
    } else {
      curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
      curl_easy_setopt(e, CURLOPT_PIPEWAIT, 0L);
    }
    job->response = HttpResponse();
    job->transfer = detail::Transfer();
    job->transfer.response = &job->response;
    job->transfer.forbid_resend =
        http.method == HttpMethod::kPost || http.method == HttpMethod::kPatch;
    job->transfer.max_bytes = curl->options.max_response_bytes;
    if (http.cancellation.can_be_cancelled())
      job->transfer.cancellation = &http.cancellation;
    const auto timeout = http.timeout.count() > 0 ? http.timeout : curl->options.request_timeout;
    job->timeout_ms = static_cast<long>(timeout.count());
    job->error_text[0] = '\0';
    detail::bind_request(e, http, job->headers.get(), job->sends_body, job->transfer,
                         job->timeout_ms);
    curl_easy_setopt(e, CURLOPT_PRIVATE, static_cast<void*>(job));
    if (curl_multi_add_handle(multi, e) != CURLM_OK) {
      detail::unbind_request(e);
      idle_easy.push_back(e);
      --in_flight;
      job->stage = Job::Stage::kFailed;
      finish(job, nullptr,
             std::make_exception_ptr(TransportError("libcurl refused the transfer", {}, false)));
    }
  }

  // Loop thread: a transfer of the multi handle ended with @p code.
  void transfer_done(CURL* e, CURLcode code) {
    void* user = nullptr;
    curl_easy_getinfo(e, CURLINFO_PRIVATE, &user);
    Job* job = static_cast<Job*>(user);
    curl_multi_remove_handle(multi, e);
    long connects = 0;
    curl_easy_getinfo(e, CURLINFO_NUM_CONNECTS, &connects);
    connections += static_cast<std::size_t>(connects);
    long status = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    detail::unbind_request(e);
    --in_flight;
    const auto now = SteadyClock::now();
    try {
      detail::CallAttempts::Next next;
      if (code != CURLE_OK) {
        try {
          detail::throw_transfer_error(code, e, job->error_text.data(), *job->http, job->transfer,
                                       job->timeout_ms, *curl);
        } catch (const TransportError&) {
          next = job->attempts->on_transport_error(std::current_exception());
        } catch (const CancelledError&) {
          next = job->attempts->on_transport_error(std::current_exception());
        }
      } else {
        job->response.status = static_cast<int>(status);
        next = job->attempts->on_response(std::move(job->response));
      }
      idle_easy.push_back(e);
      job->headers.reset();
      follow(job, std::move(next), now);
    } catch (...) {
      idle_easy.push_back(e);
      adapt(job, now);
      finish(job, nullptr, std::current_exception());
    }
  }

  // Loop thread: a worker's result.
  void take_posted(Job* job, SteadyClock::time_point now) {
    if (job->stage == Job::Stage::kPrepared) {
      start_transfer(job);
      return;
    }
    --in_flight;
    if (job->stage == Job::Stage::kFailed) {
      adapt(job, now);
      finish(job, nullptr, job->error);
      return;
    }
    follow(job, std::move(job->next), now);
  }

  void loop_main() {
    std::deque<Job*> mine;
    while (true) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (stopping && active == 0)
          return;
        for (Job* job : incoming)
          ready.push_back(job);
        incoming.clear();
        mine.swap(posted);
      }
      auto now = SteadyClock::now();
      for (Job* job : mine)
        take_posted(job, now);
      mine.clear();

      if (curl) {
        int running = 0;
        curl_multi_perform(multi, &running);
        int queued = 0;
        while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
          if (message->msg == CURLMSG_DONE)
            transfer_done(message->easy_handle, message->data.result);
        }
      }

      // Waits that ended, and waits of calls cancelled meanwhile (they end at once).
      now = SteadyClock::now();
      for (auto it = timers.begin(); it != timers.end();) {
        Job* job = it->second;
        if (job->request.cancellation.is_cancelled()) {
          it = timers.erase(it);
          finish(job, nullptr, std::make_exception_ptr(job->attempts->cancelled_during_backoff()));
        } else if (it->first <= now) {
          ready.push_front(job);
          it = timers.erase(it);
        } else {
          ++it;
        }
      }

      // Start what the concurrency allows, unless a Retry-After pauses everything.
      bool dispatched = false;
      if (now >= pause_until) {
        const bool inline_start = curl && !ready.empty() && token_is_cached();
        while (!ready.empty() && in_flight < static_cast<int>(limit)) {
          Job* job = ready.front();
          ready.pop_front();
          ++in_flight;
          if (inline_start) {
            // The token is at hand: no hand-over to the preparing thread.
            try {
              prepare(job);
            } catch (...) {
              --in_flight;
              adapt(job, now);
              finish(job, nullptr, std::current_exception());
              continue;
            }
            start_transfer(job);
            continue;
          }
          {
            std::lock_guard<std::mutex> lock(mutex);
            work.push_back(job);
          }
          dispatched = true;
        }
      }
      if (dispatched)
        work_cv.notify_all();

      // Sleep until a socket, a wake-up, the next timer or the end of the pause; at most 50 ms
      // so that a cancellation of a waiting call is seen soon.
      milliseconds wait(50);
      if (!timers.empty()) {
        wait =
            std::min(wait, std::chrono::duration_cast<milliseconds>(timers.begin()->first - now));
      }
      if (now < pause_until && !ready.empty())
        wait = std::min(wait, std::chrono::duration_cast<milliseconds>(pause_until - now));
      if (wait.count() < 0)
        wait = milliseconds(0);
      curl_multi_poll(multi, nullptr, 0, static_cast<int>(wait.count()), nullptr);
    }
  }
};

BulkEngine::BulkEngine(Client client, BulkOptions options) {
  if (options.max_in_flight < 1)
    throw InvalidArgumentError("BulkOptions.max_in_flight must be at least 1");
  detail::ensure_curl_global_init();
  impl_ = std::make_shared<Impl>(std::move(client), options);
  Impl& impl = *impl_;
  impl.transport = impl.client.options().transport;
  impl.limit = options.max_in_flight;
  impl.concurrency = options.max_in_flight;
  impl.multi = curl_multi_init();
  if (impl.multi == nullptr)
    throw TransportError("libcurl could not create a multi handle (out of memory?)", {}, false);
  int worker_count = options.max_in_flight;
  impl.curl = detail::curl_settings_of(impl.transport.get());
  if (impl.curl) {
    const long n = options.max_in_flight;
    curl_multi_setopt(impl.multi, CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_MULTIPLEX));
    curl_multi_setopt(impl.multi, CURLMOPT_MAX_HOST_CONNECTIONS, n);
    curl_multi_setopt(impl.multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, n);
    curl_multi_setopt(impl.multi, CURLMOPT_MAXCONNECTS, n);
    worker_count = 1;  // only prepares attempts (token, headers); the loop does the transfers
  }
  impl.loop_thread = std::thread([&impl] { impl.loop_main(); });
  for (int i = 0; i < worker_count; ++i)
    impl.workers.emplace_back([&impl] { impl.worker_main(); });
}

BulkEngine::~BulkEngine() {
  Impl& impl = *impl_;
  {
    std::unique_lock<std::mutex> lock(impl.mutex);
    impl.idle_cv.wait(lock, [&] { return impl.active == 0; });
    impl.stopping = true;
  }
  impl.work_cv.notify_all();
  impl.wake();
  impl.loop_thread.join();
  for (auto& t : impl.workers)
    t.join();
  for (CURL* e : impl.idle_easy)
    curl_easy_cleanup(e);
  curl_multi_cleanup(impl.multi);
}

std::future<ApiResponse> BulkEngine::submit(ApiRequest request) {
  auto promise = std::make_shared<std::promise<ApiResponse>>();
  auto future = promise->get_future();
  impl_->submit(std::move(request),
                [promise](ApiResponse* response, std::exception_ptr error, int) {
                  if (response != nullptr)
                    promise->set_value(std::move(*response));
                  else
                    promise->set_exception(std::move(error));
                });
  return future;
}

void BulkEngine::submit(ApiRequest request,
                        std::function<void(ApiResponse* response, std::exception_ptr error)> done) {
  impl_->submit(std::move(request),
                [done = std::move(done)](ApiResponse* response, std::exception_ptr error, int) {
                  done(response, std::move(error));
                });
}

namespace {

template <class T>
struct BatchState {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<ItemResult<T>> results;
  std::size_t done = 0;
  std::size_t failed = 0;
};

template <class T>
void fail_item(ItemResult<T>& item, std::exception_ptr error, int attempts) {
  item.attempts = attempts;
  item.error = error;
  item.status = ItemStatus::kFailed;
  try {
    std::rethrow_exception(error);
  } catch (const CancelledError& e) {
    if (attempts == 0)
      item.status = ItemStatus::kNotStarted;
    item.error_message = e.what();
  } catch (const std::exception& e) {
    item.error_message = e.what();
  } catch (...) {
    item.error_message = "unknown error";
  }
}

// Runs @p n items: @p build(i) makes item i's request (its exception fails that item alone),
// @p read(response, request) turns a 2xx answer into the item's value.
template <class T, class Build, class Read>
std::vector<ItemResult<T>> run_items(const std::function<void(ApiRequest, JobDone)>& submit,
                                     std::size_t n, const BatchOptions& batch, Build build,
                                     Read read) {
  auto state = std::make_shared<BatchState<T>>();
  state->results.resize(n);
  const auto started = SteadyClock::now();
  for (std::size_t i = 0; i < n; ++i) {
    ApiRequest request;
    try {
      request = build(i);
    } catch (...) {
      std::lock_guard<std::mutex> lock(state->mutex);
      fail_item(state->results[i], std::current_exception(), 0);
      ++state->done;
      ++state->failed;
      continue;
    }
    request.cancellation = batch.cancellation;
    request.metadata = nullptr;
    // What read() needs to name the call in an error, without the body.
    ApiRequest named;
    named.operation = request.operation;
    named.method = request.method;
    named.path = request.path;
    submit(std::move(request), [state, i, named = std::move(named), read](
                                   ApiResponse* response, std::exception_ptr error, int attempts) {
      ItemResult<T> item;
      if (response != nullptr) {
        try {
          item.value.emplace(read(std::move(*response), named));
          item.status = ItemStatus::kSucceeded;
          item.attempts = attempts;
        } catch (...) {
          fail_item(item, std::current_exception(), attempts);
        }
      } else {
        fail_item(item, std::move(error), attempts);
      }
      std::lock_guard<std::mutex> lock(state->mutex);
      if (!item.ok())
        ++state->failed;
      state->results[i] = std::move(item);
      ++state->done;
      state->cv.notify_all();
    });
  }
  std::unique_lock<std::mutex> lock(state->mutex);
  std::size_t reported = static_cast<std::size_t>(-1);
  while (true) {
    const bool finished = state->done == n;
    if (batch.progress && state->done != reported) {
      reported = state->done;
      BulkProgress p;
      p.done = state->done;
      p.total = n;
      p.failed = state->failed;
      const double seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
      p.rate = seconds > 0 ? static_cast<double>(p.done) / seconds : 0.0;
      lock.unlock();
      batch.progress(p);
      lock.lock();
    }
    if (finished)
      break;
    state->cv.wait_for(lock, milliseconds(100));
  }
  return std::move(state->results);
}

}  // namespace

std::vector<ItemResult<ApiResponse>> BulkEngine::run(std::vector<ApiRequest> requests,
                                                     const BatchOptions& batch) {
  Impl& impl = *impl_;
  return run_items<ApiResponse>(
      [&impl](ApiRequest r, JobDone d) { impl.submit(std::move(r), std::move(d)); },
      requests.size(), batch, [&requests](std::size_t i) { return std::move(requests[i]); },
      [](ApiResponse&& response, const ApiRequest&) { return std::move(response); });
}

std::vector<ItemResult<Json>> BulkEngine::create_many(std::string_view object_key,
                                                      const std::vector<Json>& records,
                                                      const BatchOptions& batch) {
  Impl& impl = *impl_;
  const Client& client = impl.client;
  return run_items<Json>(
      [&impl](ApiRequest r, JobDone d) { impl.submit(std::move(r), std::move(d)); }, records.size(),
      batch,
      [&](std::size_t i) { return detail::create_request(object_key, records[i], batch.request); },
      [client](ApiResponse&& response, const ApiRequest& request) {
        return detail::expect_object(std::move(response), request, client);
      });
}

std::vector<ItemResult<UpsertResult>> BulkEngine::upsert_many(std::string_view object_key,
                                                              const std::vector<Json>& records,
                                                              const BatchOptions& batch) {
  Impl& impl = *impl_;
  const Client& client = impl.client;
  return run_items<UpsertResult>(
      [&impl](ApiRequest r, JobDone d) { impl.submit(std::move(r), std::move(d)); }, records.size(),
      batch,
      [&](std::size_t i) {
        const Json& fields = records[i];
        std::string external_id;
        if (fields.is_object()) {
          const auto it = fields.find("externalId");
          if (it != fields.end() && it->is_string())
            external_id = it->get<std::string>();
        }
        if (external_id.empty()) {
          ErrorContext context;
          context.operation = "objects.upsert_by_external_id";
          throw InvalidArgumentError(
              "record " + std::to_string(i) + " has no string externalId to upsert by", context);
        }
        return detail::upsert_by_external_id_request(object_key, external_id, fields,
                                                     batch.request);
      },
      [client](ApiResponse&& response, const ApiRequest& request) {
        detail::check_record(response, request, client);
        return detail::to_upsert(std::move(response), detail::UpsertRoute::kStatusSilent);
      });
}

std::vector<ItemResult<Json>> BulkEngine::update_many(
    std::string_view object_key, const std::vector<std::pair<std::string, Json>>& updates,
    const BatchOptions& batch) {
  Impl& impl = *impl_;
  const Client& client = impl.client;
  return run_items<Json>(
      [&impl](ApiRequest r, JobDone d) { impl.submit(std::move(r), std::move(d)); }, updates.size(),
      batch,
      [&](std::size_t i) {
        return detail::update_request(object_key, updates[i].first, updates[i].second,
                                      batch.request);
      },
      [client](ApiResponse&& response, const ApiRequest& request) {
        return detail::expect_object(std::move(response), request, client);
      });
}

std::vector<ItemResult<std::optional<Json>>> BulkEngine::remove_many(
    const std::vector<std::string>& ids, const BatchOptions& batch) {
  Impl& impl = *impl_;
  return run_items<std::optional<Json>>(
      [&impl](ApiRequest r, JobDone d) { impl.submit(std::move(r), std::move(d)); }, ids.size(),
      batch, [&](std::size_t i) { return detail::remove_request(ids[i], batch.request); },
      [](ApiResponse&& response, const ApiRequest&) {
        return detail::to_optional(std::move(response));
      });
}

std::vector<ItemResult<Json>> BulkEngine::get_many(const std::vector<std::string>& ids,
                                                   const BatchOptions& batch) {
  Impl& impl = *impl_;
  const Client& client = impl.client;
  return run_items<Json>(
      [&impl](ApiRequest r, JobDone d) { impl.submit(std::move(r), std::move(d)); }, ids.size(),
      batch, [&](std::size_t i) { return detail::get_request(ids[i], batch.request); },
      [client](ApiResponse&& response, const ApiRequest& request) {
        return detail::expect_object(std::move(response), request, client);
      });
}

std::vector<ItemResult<Json>> BulkEngine::get_many_by_external_id(
    std::string_view object_key, const std::vector<std::string>& external_ids,
    const BatchOptions& batch) {
  Impl& impl = *impl_;
  const Client& client = impl.client;
  return run_items<Json>(
      [&impl](ApiRequest r, JobDone d) { impl.submit(std::move(r), std::move(d)); },
      external_ids.size(), batch,
      [&](std::size_t i) {
        return detail::get_by_external_id_request(object_key, external_ids[i], batch.request);
      },
      [client](ApiResponse&& response, const ApiRequest& request) {
        return detail::expect_object(std::move(response), request, client);
      });
}

BulkStats BulkEngine::stats() const {
  BulkStats s;
  s.calls = impl_->calls;
  s.requests = impl_->requests;
  s.connections = impl_->connections;
  s.pauses = impl_->pauses;
  s.concurrency = impl_->concurrency;
  return s;
}

}  // namespace roserocket
