// The bulk engine's event loop: the calls in flight (from submit to finish), their retry timers,
// the loop thread that starts them as the concurrency controller allows and drives their libcurl
// multi transfers, and the worker threads that do what may block. See event_loop.hpp.

#include "bulk/event_loop.hpp"

// Without libcurl (the Windows build) only the worker-pool path exists, and the loop thread
// waits on a condition variable instead of curl_multi_poll.
#if ROSEROCKET_HAVE_LIBCURL
#include <curl/curl.h>
#endif

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "bulk/adaptive_concurrency.hpp"
#include "core/call_state.hpp"
#include "core/client_core.hpp"
#if ROSEROCKET_HAVE_LIBCURL
#include "http/curl_easy.hpp"
#endif
#include "roserocket/auth/caching_token_provider.hpp"

namespace roserocket::detail {
namespace {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// One call on its way through the engine. Owned by the engine from submit to finish; touched by
// one thread at a time (queues hand it over under the engine's mutex).
struct Job {
  ApiRequest request;
  std::unique_ptr<CallAttempts> attempts;  // refers to `request`
  CallDone done;

  // Set by a worker for the loop.
  enum class Stage { kPrepared, kFinished, kRetry, kFailed } stage = Stage::kFailed;
  CallAttempts::Next next;
  std::exception_ptr error;

#if ROSEROCKET_HAVE_LIBCURL
  // Multi loop: the prepared request and its transfer.
  HttpRequest* http = nullptr;
  Slist headers;
  bool sends_body = false;
  long timeout_ms = 0;
  Transfer transfer;
  HttpResponse response;
  std::array<char, CURL_ERROR_SIZE> error_text{};
#endif
};

}  // namespace

struct EventLoop::State {
  Client client;
  ClientCore core;  // the client's options, as its own calls see them
  BulkOptions options;
  std::shared_ptr<HttpTransport> transport;
#if ROSEROCKET_HAVE_LIBCURL
  std::shared_ptr<const CurlSettings> curl;  // set when the multi loop does transfers
  CURLM* multi = nullptr;                    // the loop's wait (and, over curl, its transfers)
#else
  std::condition_variable loop_cv;  // the loop's wait
  bool woken = false;               // under `mutex`
#endif

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
  AdaptiveConcurrency control;  // how many may be in flight, and the Retry-After pause
  int in_flight = 0;
#if ROSEROCKET_HAVE_LIBCURL
  std::vector<CURL*> idle_easy;
#endif

  std::atomic<std::size_t> calls{0};
  std::atomic<std::size_t> requests{0};
  std::atomic<std::size_t> connections{0};
  std::atomic<std::size_t> pauses{0};
  std::atomic<int> concurrency{0};

  std::thread loop_thread;
  std::vector<std::thread> workers;

  State(Client c, BulkOptions o)
      : client(std::move(c)),
        core(client.options()),
        options(o),
        control(o.max_in_flight, o.adaptive) {}

#if ROSEROCKET_HAVE_LIBCURL
  void wake() {
    curl_multi_wakeup(multi);
  }
  // True when the loop does the transfers on its multi handle (over CurlTransport).
  bool multi_transfers() const {
    return curl != nullptr;
  }
#else
  void wake() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      woken = true;
    }
    loop_cv.notify_one();
  }
  static bool multi_transfers() {
    return false;
  }
#endif

  void submit(ApiRequest request, CallDone done) {
    auto job = std::make_unique<Job>();
    job->request = std::move(request);
    job->done = std::move(done);
    try {
      job->attempts = std::make_unique<CallAttempts>(core, job->request);
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

  // Loop thread: tells the concurrency controller how an attempt ended.
  void adapt(Job* job, SteadyClock::time_point now) {
    control.on_status(job->attempts->last_status(), now);
    concurrency = control.limit();
  }

  // Loop thread: what to do with an attempt's decision.
  void follow(Job* job, CallAttempts::Next&& next, SteadyClock::time_point now) {
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
    if (next.server_asked && control.extend_pause(due))
      ++pauses;  // Retry-After: the whole engine waits, not only this call
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

#if ROSEROCKET_HAVE_LIBCURL
  // Starts @p job's attempt for the multi loop: the token and the header list.
  // @throw what begin_attempt or the header check throws.
  void prepare(Job* job) {
    HttpRequest& http = job->attempts->begin_attempt();
    ++requests;
    job->http = &http;
    job->headers = build_header_list(http, job->sends_body);
    job->stage = Job::Stage::kPrepared;
  }
#endif

  // Worker thread: runs one task of @p job.
  void work_on(Job* job) {
    try {
#if ROSEROCKET_HAVE_LIBCURL
      if (curl) {
        // The multi loop sends it; here only what may block (the token) and the header list.
        prepare(job);
      } else
#endif
      {
        HttpRequest& http = job->attempts->begin_attempt();
        ++requests;
        HttpResponse response;
        bool answered = false;
        CallAttempts::Next next;
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

#if ROSEROCKET_HAVE_LIBCURL
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
      configure_easy(e, *curl, job->error_text.data());
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
    job->transfer = Transfer();
    job->transfer.response = &job->response;
    job->transfer.forbid_resend =
        http.method == HttpMethod::kPost || http.method == HttpMethod::kPatch;
    job->transfer.max_bytes = curl->options.max_response_bytes;
    if (http.cancellation.can_be_cancelled())
      job->transfer.cancellation = &http.cancellation;
    const auto timeout = http.timeout.count() > 0 ? http.timeout : curl->options.request_timeout;
    job->timeout_ms = static_cast<long>(timeout.count());
    job->error_text[0] = '\0';
    bind_request(e, http, job->headers.get(), job->sends_body, job->transfer, job->timeout_ms);
    curl_easy_setopt(e, CURLOPT_PRIVATE, static_cast<void*>(job));
    if (curl_multi_add_handle(multi, e) != CURLM_OK) {
      unbind_request(e);
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
    unbind_request(e);
    --in_flight;
    const auto now = SteadyClock::now();
    try {
      CallAttempts::Next next;
      if (code != CURLE_OK) {
        try {
          throw_transfer_error(code, e, job->error_text.data(), *job->http, job->transfer,
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

#endif

  // Loop thread: a worker's result.
  void take_posted(Job* job, SteadyClock::time_point now) {
#if ROSEROCKET_HAVE_LIBCURL
    if (job->stage == Job::Stage::kPrepared) {
      start_transfer(job);
      return;
    }
#endif
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

#if ROSEROCKET_HAVE_LIBCURL
      if (curl) {
        int running = 0;
        curl_multi_perform(multi, &running);
        int queued = 0;
        while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
          if (message->msg == CURLMSG_DONE)
            transfer_done(message->easy_handle, message->data.result);
        }
      }
#endif

      // Waits that ended, and waits of calls cancelled meanwhile (they end at once).
      now = SteadyClock::now();
      for (auto it = timers.begin(); it != timers.end();) {
        Job* job = it->second;
        if (job->request.cancellation.is_cancelled()) {
          it = timers.erase(it);
          finish(job, nullptr, job->attempts->interrupted_backoff());
        } else if (it->first <= now) {
          ready.push_front(job);
          it = timers.erase(it);
        } else {
          ++it;
        }
      }

      // Start what the concurrency allows, unless a Retry-After pauses everything.
      bool dispatched = false;
      if (!control.paused(now)) {
#if ROSEROCKET_HAVE_LIBCURL
        const bool inline_start = multi_transfers() && !ready.empty() && token_is_cached();
#endif
        while (!ready.empty() && in_flight < control.limit()) {
          Job* job = ready.front();
          ready.pop_front();
          ++in_flight;
#if ROSEROCKET_HAVE_LIBCURL
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
#endif
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
      if (control.paused(now) && !ready.empty())
        wait = std::min(wait, std::chrono::duration_cast<milliseconds>(control.pause_end() - now));
      if (wait.count() < 0)
        wait = milliseconds(0);
#if ROSEROCKET_HAVE_LIBCURL
      curl_multi_poll(multi, nullptr, 0, static_cast<int>(wait.count()), nullptr);
#else
      std::unique_lock<std::mutex> lock(mutex);
      loop_cv.wait_for(lock, wait, [&] { return woken; });
      woken = false;
#endif
    }
  }
};

EventLoop::EventLoop(Client client, BulkOptions options) {
  if (options.max_in_flight < 1)
    throw InvalidArgumentError("BulkOptions.max_in_flight must be at least 1");
#if ROSEROCKET_HAVE_LIBCURL
  ensure_curl_global_init();
#endif
  state_ = std::make_unique<State>(std::move(client), options);
  State& state = *state_;
  state.transport = state.client.options().transport;
  state.concurrency = options.max_in_flight;
  int worker_count = options.max_in_flight;
#if ROSEROCKET_HAVE_LIBCURL
  state.multi = curl_multi_init();
  if (state.multi == nullptr)
    throw TransportError("libcurl could not create a multi handle (out of memory?)", {}, false);
  state.curl = curl_settings_of(state.transport.get());
  if (state.curl) {
    const long n = options.max_in_flight;
    curl_multi_setopt(state.multi, CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_MULTIPLEX));
    curl_multi_setopt(state.multi, CURLMOPT_MAX_HOST_CONNECTIONS, n);
    curl_multi_setopt(state.multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, n);
    curl_multi_setopt(state.multi, CURLMOPT_MAXCONNECTS, n);
    worker_count = 1;  // only prepares attempts (token, headers); the loop does the transfers
  }
#endif
  state.loop_thread = std::thread([&state] { state.loop_main(); });
  for (int i = 0; i < worker_count; ++i)
    state.workers.emplace_back([&state] { state.worker_main(); });
}

EventLoop::~EventLoop() {
  State& state = *state_;
  {
    std::unique_lock<std::mutex> lock(state.mutex);
    state.idle_cv.wait(lock, [&] { return state.active == 0; });
    state.stopping = true;
  }
  state.work_cv.notify_all();
  state.wake();
  state.loop_thread.join();
  for (auto& t : state.workers)
    t.join();
#if ROSEROCKET_HAVE_LIBCURL
  for (CURL* e : state.idle_easy)
    curl_easy_cleanup(e);
  curl_multi_cleanup(state.multi);
#endif
}

void EventLoop::submit(ApiRequest request, CallDone done) {
  state_->submit(std::move(request), std::move(done));
}

const Client& EventLoop::client() const {
  return state_->client;
}

BulkStats EventLoop::stats() const {
  BulkStats s;
  s.calls = state_->calls;
  s.requests = state_->requests;
  s.connections = state_->connections;
  s.pauses = state_->pauses;
  s.concurrency = state_->concurrency;
  return s;
}

}  // namespace roserocket::detail
