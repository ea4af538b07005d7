#include "roserocket/http/curl_transport.hpp"

#include <curl/curl.h>

#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "http/curl_easy.hpp"
#include "roserocket/errors.hpp"

namespace roserocket {
namespace {

using detail::Transfer;

// One easy handle, the multi handle that drives it (and keeps its connection cache), and the
// buffer libcurl writes its detailed error text into. The transfer runs through the multi
// interface so that the wait between socket events is short enough to notice a cancellation.
struct EasyHandle {
  CURL* curl = nullptr;
  CURLM* multi = nullptr;
  std::array<char, CURL_ERROR_SIZE> error{};

  EasyHandle() = default;
  EasyHandle(const EasyHandle&) = delete;
  EasyHandle& operator=(const EasyHandle&) = delete;
  ~EasyHandle() {
    if (curl != nullptr)
      curl_easy_cleanup(curl);
    if (multi != nullptr)
      curl_multi_cleanup(multi);
  }
};

// How often a cancellable transfer looks at its token while no socket event arrives.
constexpr int kCancelPollMs = 25;

// Runs one transfer on the handle's multi handle. Without a cancellation token libcurl decides
// how long to wait for sockets; with one, the wait is at most kCancelPollMs, after which the
// progress callback (or the check here, for a transfer waiting to connect) sees the token.
CURLcode perform(EasyHandle& handle, Transfer& transfer, bool cancellable) {
  if (curl_multi_add_handle(handle.multi, handle.curl) != CURLM_OK)
    return CURLE_FAILED_INIT;
  CURLcode result = CURLE_OK;
  while (true) {
    int running = 0;
    if (curl_multi_perform(handle.multi, &running) != CURLM_OK) {
      result = CURLE_FAILED_INIT;
      break;
    }
    if (running == 0) {
      int queued = 0;
      result = CURLE_GOT_NOTHING;
      while (CURLMsg* message = curl_multi_info_read(handle.multi, &queued)) {
        if (message->msg == CURLMSG_DONE && message->easy_handle == handle.curl)
          result = message->data.result;
      }
      break;
    }
    if (cancellable && transfer.cancellation->is_cancelled()) {
      transfer.cancelled = true;
      result = CURLE_ABORTED_BY_CALLBACK;
      break;
    }
    if (curl_multi_poll(handle.multi, nullptr, 0, cancellable ? kCancelPollMs : 1000, nullptr) !=
        CURLM_OK) {
      result = CURLE_FAILED_INIT;
      break;
    }
  }
  curl_multi_remove_handle(handle.multi, handle.curl);
  return result;
}

// The live transports' settings, for detail::curl_settings_of (the bulk engine). Guarded by
// settings_registry_mutex(); an entry lives from the transport's construction to its destruction.
std::mutex& settings_registry_mutex() {
  static std::mutex mutex;
  return mutex;
}
std::map<const HttpTransport*, std::shared_ptr<const detail::CurlSettings>>& settings_registry() {
  static std::map<const HttpTransport*, std::shared_ptr<const detail::CurlSettings>> map;
  return map;
}

}  // namespace

namespace detail {
std::shared_ptr<const CurlSettings> curl_settings_of(const HttpTransport* transport) {
  if (dynamic_cast<const CurlTransport*>(transport) == nullptr)
    return nullptr;
  std::lock_guard<std::mutex> lock(settings_registry_mutex());
  const auto it = settings_registry().find(transport);
  return it == settings_registry().end() ? nullptr : it->second;
}
}  // namespace detail

struct CurlTransport::Impl {
  std::shared_ptr<const detail::CurlSettings> shared;
  const detail::CurlSettings& settings;
  std::mutex mutex;
  std::vector<std::unique_ptr<EasyHandle>> idle;  // guarded by mutex

  explicit Impl(CurlTransportOptions o)
      : shared(std::make_shared<const detail::CurlSettings>(std::move(o))), settings(*shared) {}

  // Takes an idle handle (and so its live connection) or makes a new one.
  std::unique_ptr<EasyHandle> borrow() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (!idle.empty()) {
        auto handle = std::move(idle.back());
        idle.pop_back();
        return handle;
      }
    }
    return make_handle();
  }

  // Keeps @p handle for the next request unless the pool is full.
  void give_back(std::unique_ptr<EasyHandle> handle) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (idle.size() < settings.options.max_idle_handles) {
        idle.push_back(std::move(handle));
        return;
      }
    }
    // Destroyed here, outside the lock: closing a connection can take a moment.
  }

  // The options that are the same for every request are set once per handle.
  std::unique_ptr<EasyHandle> make_handle() const {
    auto handle = std::make_unique<EasyHandle>();
    handle->curl = curl_easy_init();
    handle->multi = curl_multi_init();
    if (handle->curl == nullptr || handle->multi == nullptr) {
      throw TransportError("libcurl could not create a handle (out of memory?)", {}, false);
    }
    detail::configure_easy(handle->curl, settings, handle->error.data());
    return handle;
  }
};

CurlTransport::CurlTransport(CurlTransportOptions options) {
  // libcurl reads 0 as "no limit" (or its 300 s default): a limit must be a real one.
  if (options.connect_timeout.count() <= 0 || options.request_timeout.count() <= 0) {
    throw InvalidArgumentError(
        "CurlTransportOptions: connect_timeout and request_timeout must be positive");
  }
  if (options.max_response_bytes == 0)
    throw InvalidArgumentError("CurlTransportOptions: max_response_bytes must be positive");
  detail::ensure_curl_global_init();
  impl_ = std::make_unique<Impl>(std::move(options));
  std::lock_guard<std::mutex> lock(settings_registry_mutex());
  settings_registry()[this] = impl_->shared;
}

CurlTransport::~CurlTransport() {
  std::lock_guard<std::mutex> lock(settings_registry_mutex());
  settings_registry().erase(this);
}

HttpResponse CurlTransport::send(const HttpRequest& request) {
  // Header lines are checked first so that bad input never reaches the wire.
  bool sends_body = false;
  detail::Slist headers = detail::build_header_list(request, sends_body);

  std::unique_ptr<EasyHandle> handle = impl_->borrow();
  CURL* c = handle->curl;
  handle->error[0] = '\0';

  HttpResponse response;
  Transfer transfer;
  transfer.response = &response;
  transfer.forbid_resend =
      request.method == HttpMethod::kPost || request.method == HttpMethod::kPatch;
  transfer.max_bytes = impl_->settings.options.max_response_bytes;
  const bool cancellable = request.cancellation.can_be_cancelled();
  if (cancellable)
    transfer.cancellation = &request.cancellation;

  const auto timeout =
      request.timeout.count() > 0 ? request.timeout : impl_->settings.options.request_timeout;
  const long timeout_ms = static_cast<long>(timeout.count());

  // Every option a previous request may have set is set again here.
  detail::bind_request(c, request, headers.get(), sends_body, transfer, timeout_ms);

  const CURLcode code = perform(*handle, transfer, cancellable);

  // No pointer into this call's data may outlive it inside the pooled handle.
  detail::unbind_request(c);

  if (code != CURLE_OK) {
    try {
      detail::throw_transfer_error(code, c, handle->error.data(), request, transfer, timeout_ms,
                                   impl_->settings);
    } catch (...) {
      impl_->give_back(std::move(handle));  // libcurl has closed a broken connection already
      throw;
    }
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  impl_->give_back(std::move(handle));
  return response;
}

}  // namespace roserocket
