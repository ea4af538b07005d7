#include "core/redaction.hpp"

#include <atomic>
#include <map>
#include <mutex>

#include "http/url.hpp"

namespace roserocket::detail {
namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, std::size_t> secrets;  // value -> registrations; guarded by mutex
  std::atomic<std::size_t> count{0};
};

Registry& registry() {
  static Registry* r = new Registry();  // never destroyed: errors may be built during exit
  return *r;
}

enum class Match { kNone, kFull, kPartial };

// Matches @p secret at text[pos...], decoding escapes on the way; @p end is one past the match.
Match match_at(std::string_view text, std::size_t pos, std::string_view secret, std::size_t& end) {
  std::size_t p = pos;
  std::size_t j = 0;
  const std::size_t n = text.size();
  while (j < secret.size()) {
    if (p >= n)
      break;
    const char want = secret[j];
    const char c = text[p];
    if (c == want) {
      ++p;
      ++j;
      continue;
    }
    if (c == '%') {
      if (n - p < 3) {
        p = n;
        break;
      }
      const int hi = hex_digit_value(text[p + 1]);
      const int lo = hex_digit_value(text[p + 2]);
      if (hi < 0 || lo < 0 || static_cast<char>(hi * 16 + lo) != want)
        return Match::kNone;
      p += 3;
      ++j;
      continue;
    }
    if (c == '+' && want == ' ') {
      ++p;
      ++j;
      continue;
    }
    if (c == '\\') {
      if (n - p < 2) {
        p = n;
        break;
      }
      const char e = text[p + 1];
      if (e == 'u') {
        if (n - p < 6) {
          p = n;
          break;
        }
        int value = 0;
        for (std::size_t k = 2; k < 6; ++k) {
          const int h = hex_digit_value(text[p + k]);
          if (h < 0)
            return Match::kNone;
          value = value * 16 + h;
        }
        if (value >= 0x80 || static_cast<char>(value) != want)
          return Match::kNone;
        p += 6;
        ++j;
        continue;
      }
      char decoded = 0;
      switch (e) {
        case '"':
        case '\\':
        case '/':
          decoded = e;
          break;
        case 'n':
          decoded = '\n';
          break;
        case 't':
          decoded = '\t';
          break;
        case 'r':
          decoded = '\r';
          break;
        case 'b':
          decoded = '\b';
          break;
        case 'f':
          decoded = '\f';
          break;
        default:
          return Match::kNone;
      }
      if (decoded != want)
        return Match::kNone;
      p += 2;
      ++j;
      continue;
    }
    return Match::kNone;
  }
  end = p;
  if (j == secret.size())
    return Match::kFull;
  return j > 0 || p > pos ? Match::kPartial : Match::kNone;
}

bool may_start(char c, char first) {
  return c == first || c == '%' || c == '\\' || (c == '+' && first == ' ');
}

std::string mask(std::string_view text, const std::vector<std::string>& secrets, bool cut_end) {
  std::string out;
  std::size_t copied = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    bool replaced = false;
    for (const auto& secret : secrets) {
      if (!may_start(text[i], secret.front()))
        continue;
      std::size_t end = 0;
      const Match m = match_at(text, i, secret, end);
      if (m == Match::kFull || (m == Match::kPartial && cut_end && end == text.size())) {
        out.append(text.substr(copied, i - copied));
        out.append(kRedacted);
        copied = end;
        i = end;
        replaced = true;
        break;
      }
    }
    if (!replaced)
      ++i;
  }
  if (copied == 0)
    return std::string(text);
  out.append(text.substr(copied));
  return out;
}

}  // namespace

std::shared_ptr<void> register_secret(std::string secret) {
  if (secret.size() < kMinSecretLength)
    return {};
  Registry& r = registry();
  {
    std::lock_guard<std::mutex> lock(r.mutex);
    ++r.secrets[secret];
    r.count = r.secrets.size();
  }
  // The handle owns nothing; its deleter unregisters.
  return std::shared_ptr<void>(nullptr, [s = std::move(secret)](void*) {
    Registry& reg = registry();
    std::lock_guard<std::mutex> lock(reg.mutex);
    auto it = reg.secrets.find(s);
    if (it != reg.secrets.end() && --it->second == 0)
      reg.secrets.erase(it);
    reg.count = reg.secrets.size();
  });
}

std::size_t registered_secret_count() {
  return registry().count.load();
}

std::string redact(std::string text, const std::vector<std::string>& extra, bool cut_end) {
  std::vector<std::string> secrets;
  for (const auto& s : extra) {
    if (s.size() >= kMinSecretLength)
      secrets.push_back(s);
  }
  Registry& r = registry();
  if (r.count.load() > 0) {
    std::lock_guard<std::mutex> lock(r.mutex);
    for (const auto& entry : r.secrets)
      secrets.push_back(entry.first);
  }
  if (secrets.empty() || text.empty())
    return text;
  return mask(text, secrets, cut_end);
}

std::string redact_snippet(std::string_view text, std::size_t limit,
                           const std::vector<std::string>& extra) {
  if (text.size() <= limit)
    return redact(std::string(text), extra);
  // Cut first, then mask whatever part of a secret the cut end left behind.
  return redact(std::string(text.substr(0, limit)), extra, /*cut_end=*/true) + "...";
}

}  // namespace roserocket::detail
