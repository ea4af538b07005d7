#include "core/redaction.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>

#include "auth/crypto.hpp"
#include "http/url.hpp"
#include "roserocket/client.hpp"

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

// A text decoded one way, each byte knowing the range [from, to) of the original text it came
// from. `tail` is where an escape cut short by the end of the text starts (npos if none).
struct Decoded {
  std::string bytes;
  std::vector<std::size_t> from;
  std::vector<std::size_t> to;
  std::size_t tail = std::string::npos;
};

Decoded identity(std::string_view text) {
  Decoded d;
  d.bytes.assign(text);
  d.from.resize(text.size());
  d.to.resize(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    d.from[i] = i;
    d.to[i] = i + 1;
  }
  return d;
}

class Builder {
 public:
  explicit Builder(const Decoded& in) : in_(in) {
    out_.tail = in.tail;
    out_.bytes.reserve(in.bytes.size());
    out_.from.reserve(in.bytes.size());
    out_.to.reserve(in.bytes.size());
  }
  // Appends @p byte, made from input bytes [first, last].
  void put(char byte, std::size_t first, std::size_t last) {
    out_.bytes.push_back(byte);
    out_.from.push_back(in_.from[first]);
    out_.to.push_back(in_.to[last]);
  }
  void cut_short_at(std::size_t i) { out_.tail = std::min(out_.tail, in_.from[i]); }
  Decoded take() { return std::move(out_); }

 private:
  const Decoded& in_;
  Decoded out_;
};

bool all_hex(std::string_view s) {
  for (char c : s) {
    if (hex_digit_value(c) < 0)
      return false;
  }
  return true;
}

// %XX in either case, and with @p plus_is_space `+` for a space (form encoding).
Decoded percent_decode(const Decoded& in, bool plus_is_space) {
  Builder b(in);
  const std::string& t = in.bytes;
  const std::size_t n = t.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (t[i] == '%' && i + 2 < n && all_hex(std::string_view(t).substr(i + 1, 2))) {
      b.put(static_cast<char>(hex_digit_value(t[i + 1]) * 16 + hex_digit_value(t[i + 2])), i,
            i + 2);
      i += 2;
      continue;
    }
    if (t[i] == '%' && all_hex(std::string_view(t).substr(i + 1)))
      b.cut_short_at(i);
    b.put(plus_is_space && t[i] == '+' ? ' ' : t[i], i, i);
  }
  return b.take();
}

void put_utf8(Builder& b, std::uint32_t cp, std::size_t first, std::size_t last) {
  if (cp < 0x80) {
    b.put(static_cast<char>(cp), first, last);
  } else if (cp < 0x800) {
    b.put(static_cast<char>(0xC0 | (cp >> 6)), first, last);
    b.put(static_cast<char>(0x80 | (cp & 0x3F)), first, last);
  } else if (cp < 0x10000) {
    b.put(static_cast<char>(0xE0 | (cp >> 12)), first, last);
    b.put(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), first, last);
    b.put(static_cast<char>(0x80 | (cp & 0x3F)), first, last);
  } else {
    b.put(static_cast<char>(0xF0 | (cp >> 18)), first, last);
    b.put(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)), first, last);
    b.put(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), first, last);
    b.put(static_cast<char>(0x80 | (cp & 0x3F)), first, last);
  }
}

// \uXXXX at t[i..], or -1.
long unit_at(std::string_view t, std::size_t i) {
  if (i + 6 > t.size() || t[i] != '\\' || t[i + 1] != 'u' || !all_hex(t.substr(i + 2, 4)))
    return -1;
  long v = 0;
  for (std::size_t k = i + 2; k < i + 6; ++k)
    v = v * 16 + hex_digit_value(t[k]);
  return v;
}

// Whether @p rest is the start of a \uXXXX escape that the end of the text cut short.
bool cut_unit(std::string_view rest) {
  if (rest.size() >= 6 || (!rest.empty() && rest[0] != '\\') ||
      (rest.size() >= 2 && rest[1] != 'u'))
    return false;
  return all_hex(rest.substr(std::min<std::size_t>(2, rest.size())));
}

// JSON string escapes: \" \\ \/ \b \f \n \r \t and \uXXXX (surrogate pairs joined) as UTF-8.
Decoded json_unescape(const Decoded& in) {
  Builder b(in);
  const std::string_view t = in.bytes;
  const std::size_t n = t.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (t[i] != '\\' || i + 1 >= n) {
      if (t[i] == '\\')
        b.cut_short_at(i);
      b.put(t[i], i, i);
      continue;
    }
    const char e = t[i + 1];
    if (e == 'u') {
      const long unit = unit_at(t, i);
      if (unit < 0) {
        if (cut_unit(t.substr(i)))
          b.cut_short_at(i);
        b.put(t[i], i, i);
        continue;
      }
      if (unit >= 0xD800 && unit < 0xDC00) {
        const long low = unit_at(t, i + 6);
        if (low >= 0xDC00 && low < 0xE000) {
          const auto cp =
              static_cast<std::uint32_t>(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
          put_utf8(b, cp, i, i + 11);
          i += 11;
          continue;
        }
        if (cut_unit(t.substr(i + 6)))
          b.cut_short_at(i);
      }
      if (unit >= 0xD800 && unit < 0xE000) {  // a lone surrogate: left as it is
        b.put(t[i], i, i);
        continue;
      }
      put_utf8(b, static_cast<std::uint32_t>(unit), i, i + 5);
      i += 5;
      continue;
    }
    char decoded = 0;
    switch (e) {
      case '"':
      case '\\':
      case '/':
        decoded = e;
        break;
      case 'b':
        decoded = '\b';
        break;
      case 'f':
        decoded = '\f';
        break;
      case 'n':
        decoded = '\n';
        break;
      case 'r':
        decoded = '\r';
        break;
      case 't':
        decoded = '\t';
        break;
      default:
        b.put(t[i], i, i);
        continue;
    }
    b.put(decoded, i, i + 1);
    ++i;
  }
  return b.take();
}

// KMP failure function of @p s: fail[j] is the longest proper border of s[0..j].
std::vector<std::size_t> borders(std::string_view s) {
  std::vector<std::size_t> fail(s.size(), 0);
  std::size_t k = 0;
  for (std::size_t j = 1; j < s.size(); ++j) {
    while (k > 0 && s[j] != s[k])
      k = fail[k - 1];
    if (s[j] == s[k])
      ++k;
    fail[j] = k;
  }
  return fail;
}

using Range = std::pair<std::size_t, std::size_t>;

// Every occurrence of @p secret in @p d as a range of the original text; with @p cut_end, also
// the longest prefix of it that ends where the text (or an escape cut short) does.
void find_all(const Decoded& d, std::string_view secret, const std::vector<std::size_t>& fail,
              bool cut_end, std::size_t original_size, std::vector<Range>& out) {
  const std::string_view t = d.bytes;
  std::size_t end = t.size();
  if (cut_end && d.tail != std::string::npos) {
    end = 0;  // the first decoded byte at or after the cut-short escape
    while (end < t.size() && d.from[end] < d.tail)
      ++end;
  }
  std::size_t q = 0;
  for (std::size_t i = 0; i < end; ++i) {
    while (q > 0 && t[i] != secret[q])
      q = fail[q - 1];
    if (t[i] == secret[q])
      ++q;
    if (q == secret.size()) {
      out.emplace_back(d.from[i + 1 - q], d.to[i]);
      q = fail[q - 1];
    }
  }
  if (!cut_end)
    return;
  if (q > 0)
    out.emplace_back(d.from[end - q], original_size);
  else if (d.tail != std::string::npos)
    out.emplace_back(d.tail, original_size);
}

std::string mask(std::string_view text, const std::vector<std::string>& secrets, bool cut_end) {
  std::vector<std::vector<std::size_t>> fails;
  fails.reserve(secrets.size());
  for (const auto& secret : secrets)
    fails.push_back(borders(secret));
  std::vector<Range> ranges;
  auto scan = [&](const Decoded& d) {
    for (std::size_t k = 0; k < secrets.size(); ++k)
      find_all(d, secrets[k], fails[k], cut_end, text.size(), ranges);
  };
  auto has = [](const Decoded& d, char c) { return d.bytes.find(c) != std::string::npos; };
  // The forms a server echoes a value in, as decoders: raw, percent/form, JSON, and one inside
  // the other. Each is linear; a view that would equal its input is skipped, and at most three
  // are alive at once.
  const Decoded raw = identity(text);
  scan(raw);
  for (const bool plus : {false, true}) {
    if (!has(raw, '%') && !(plus && has(raw, '+')))
      continue;
    const Decoded percent = percent_decode(raw, plus);
    scan(percent);
    if (has(percent, '\\'))
      scan(json_unescape(percent));
  }
  if (has(raw, '\\')) {
    const Decoded json = json_unescape(raw);
    scan(json);
    for (const bool plus : {false, true}) {
      if (has(json, '%') || (plus && has(json, '+')))
        scan(percent_decode(json, plus));
    }
  }
  if (ranges.empty())
    return std::string(text);
  std::sort(ranges.begin(), ranges.end());
  std::string out;
  std::size_t copied = 0;
  for (std::size_t i = 0; i < ranges.size();) {
    const std::size_t start = ranges[i].first;
    std::size_t stop = ranges[i].second;
    for (++i; i < ranges.size() && ranges[i].first <= stop; ++i)
      stop = std::max(stop, ranges[i].second);
    out.append(text.substr(copied, start - copied));
    out.append(kRedacted);
    copied = stop;
  }
  out.append(text.substr(copied));
  return out;
}

}  // namespace

std::vector<std::string> basic_credential_forms(std::string_view id, std::string_view secret) {
  std::vector<std::string> forms;
  const std::string plain = std::string(id) + ":" + std::string(secret);
  const std::string encoded = percent_encode(id) + ":" + percent_encode(secret);
  for (const std::string* credentials : {&plain, &encoded}) {
    std::string standard = base64_encode(*credentials);
    while (!standard.empty() && standard.back() == '=')
      standard.pop_back();
    for (std::string form : {standard, base64url_encode(*credentials)}) {
      if (std::find(forms.begin(), forms.end(), form) == forms.end())
        forms.push_back(std::move(form));
    }
  }
  return forms;
}

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
