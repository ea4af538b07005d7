#include "roserocket/auth/caching_token_provider.hpp"

#include <exception>
#include <string>
#include <vector>

#include "auth/crypto.hpp"
#include "core/redaction.hpp"
#include "roserocket/auth/token_store.hpp"
#include "roserocket/client.hpp"
#include "roserocket/errors.hpp"

namespace roserocket {

// One token request in progress; callers that find it wait for `done` and share its outcome.
struct CachingTokenProvider::Flight {
  bool done = false;
  std::exception_ptr error;
  std::string access_token;
};

namespace {

// The base64 lines between a PEM's BEGIN and END lines (the key's bytes).
std::vector<std::string> pem_body_lines(const std::string& pem) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < pem.size()) {
    std::size_t end = pem.find('\n', start);
    if (end == std::string::npos)
      end = pem.size();
    std::string line = pem.substr(start, end - start);
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    if (!line.empty() && line.find("-----") == std::string::npos)
      lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

}  // namespace

CachingTokenProvider::CachingTokenProvider(OAuthOptions options) : options_(std::move(options)) {
  const std::string& secret = options_.client_secret;
  if (!secret.empty()) {
    held_secrets_.push_back(detail::register_secret(secret));
    for (auto& form : detail::basic_credential_forms(options_.client_id, secret))
      held_secrets_.push_back(detail::register_secret(std::move(form)));
  }
  // The private key of private_key_jwt: whole, and each line of its PEM body.
  if (!options_.client_assertion_key.empty()) {
    held_secrets_.push_back(detail::register_secret(options_.client_assertion_key));
    for (const auto& line : pem_body_lines(options_.client_assertion_key))
      held_secrets_.push_back(detail::register_secret(line));
  }
  if (options_.token_store) {
    if (auto saved = options_.token_store->load()) {
      tokens_ = std::move(*saved);
      obtained_at_ = options_.clock.system_now();
      hold_tokens_locked();
    }
  }
}

void CachingTokenProvider::hold_tokens_locked() {
  std::vector<std::shared_ptr<void>> held;
  if (tokens_) {
    for (const std::string* t :
         {&tokens_->access_token, &tokens_->refresh_token, &tokens_->id_token}) {
      if (!t->empty())
        held.push_back(detail::register_secret(*t));
    }
  }
  held_tokens_.swap(held);  // the old registrations end with `held`
}

CachingTokenProvider::~CachingTokenProvider() = default;

bool CachingTokenProvider::can_fetch(const std::optional<TokenSet>& /*current*/) const {
  return true;
}

bool CachingTokenProvider::fresh_locked() const {
  if (!tokens_ || stale_ || tokens_->access_token.empty())
    return false;
  if (!tokens_->expires_at)
    return true;
  const auto now = options_.clock.system_now();
  // Renew `refresh_skew` early, but never before half the token's life: a token shorter-lived
  // than the skew would otherwise be renewed on every call.
  auto margin =
      std::chrono::duration_cast<std::chrono::system_clock::duration>(options_.refresh_skew);
  const auto half_life = (*tokens_->expires_at - obtained_at_) / 2;
  if (half_life < margin)
    margin = half_life;
  if (margin.count() < 0)
    margin = {};
  return now + margin < *tokens_->expires_at;
}

void CachingTokenProvider::publish(const TokenSet& tokens) {
  auto warn = [&](const std::string& message) {
    if (options_.logger)
      options_.logger(LogRecord{LogLevel::kWarning, message, {}});
  };
  // A store or callback failure must not lose the tokens: they stay cached in memory.
  if (options_.token_store) {
    try {
      options_.token_store->save(tokens);
    } catch (const std::exception& e) {
      warn(std::string("auth: saving the new tokens to the token store failed: ") + e.what());
    }
  }
  if (options_.on_tokens) {
    try {
      options_.on_tokens(tokens);
    } catch (...) {
      warn("auth: the on_tokens callback threw; the tokens stay cached");
    }
  }
}

void CachingTokenProvider::install(TokenSet tokens) {
  publish(tokens);
  std::lock_guard<std::mutex> lock(mutex_);
  tokens_ = std::move(tokens);
  obtained_at_ = options_.clock.system_now();
  stale_ = false;
  hold_tokens_locked();
}

std::string CachingTokenProvider::access_token() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (fresh_locked())
    return tokens_->access_token;
  if (flight_) {
    const auto flight = flight_;
    ++waiting_;
    done_.wait(lock, [&] { return flight->done; });
    --waiting_;
    if (flight->error)
      std::rethrow_exception(flight->error);
    return flight->access_token;
  }
  if (!can_fetch(tokens_)) {
    ErrorContext context;
    context.operation = "auth";
    throw AuthError(
        "the access token expired or was refused and cannot be renewed (no refresh token); "
        "authorize again",
        std::move(context));
  }
  const auto flight = std::make_shared<Flight>();
  flight_ = flight;
  ++fetches_;
  const std::optional<TokenSet> current = tokens_;
  lock.unlock();

  std::exception_ptr error;
  std::optional<TokenSet> fetched;
  try {
    fetched = fetch(current);
    // Without rotation the server returns no refresh token: the old one stays valid.
    if (fetched->refresh_token.empty() && current)
      fetched->refresh_token = current->refresh_token;
    publish(*fetched);
  } catch (...) {
    error = std::current_exception();
  }

  lock.lock();
  if (!error) {
    flight->access_token = fetched->access_token;
    tokens_ = std::move(fetched);
    obtained_at_ = options_.clock.system_now();
    stale_ = false;
    hold_tokens_locked();
  }
  flight->error = error;
  flight->done = true;
  flight_.reset();
  lock.unlock();
  done_.notify_all();
  if (error)
    std::rethrow_exception(error);
  return flight->access_token;
}

bool CachingTokenProvider::invalidate(const std::string& rejected_token) {
  std::lock_guard<std::mutex> lock(mutex_);
  // Only the refused token is dropped: if another thread already renewed it, keep the new one.
  if (tokens_ && tokens_->access_token == rejected_token)
    stale_ = true;
  return can_fetch(tokens_);
}

std::optional<TokenSet> CachingTokenProvider::tokens() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return tokens_;
}

std::size_t CachingTokenProvider::waiting_callers() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return waiting_;
}

std::size_t CachingTokenProvider::fetch_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return fetches_;
}

}  // namespace roserocket
