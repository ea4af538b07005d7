// Issue 22: a token endpoint whose error answer echoes the request in another encoding than the
// SDK's (JavaScript's URLSearchParams, encodeURIComponent, JSON with \/ or \uXXXX, base64 of the
// Basic header in any alphabet and padding) never puts a secret in what() or a log line. Every
// secret the SDK sends there (client secret, refresh token, authorization code, PKCE verifier) is
// made of each reserved character in turn.

#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "roserocket/roserocket.hpp"
#include "support/curl_test_server.hpp"
#include "support/echo_encodings.hpp"

namespace rr = roserocket;
using rr::curl_test::raw_json_response;
using rr::curl_test::RawReply;
using rr::curl_test::RawRequest;
using rr::curl_test::RawSocketServer;
namespace echo = rr_test::echo;

namespace {

int hex(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// application/x-www-form-urlencoded parsing, as the echoing server does before re-encoding.
std::string form_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> request_fields(const std::string& body) {
  std::vector<std::pair<std::string, std::string>> fields;
  if (!body.empty() && body.front() == '{') {
    const nlohmann::json parsed = nlohmann::json::parse(body);
    for (const auto& [k, v] : parsed.items())
      fields.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
    return fields;
  }
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('&', start);
    if (end == std::string::npos)
      end = body.size();
    const std::string pair = body.substr(start, end - start);
    const std::size_t eq = pair.find('=');
    if (eq != std::string::npos)
      fields.emplace_back(form_decode(pair.substr(0, eq)), form_decode(pair.substr(eq + 1)));
    start = end + 1;
  }
  return fields;
}

// The Basic credentials of the request head, as sent.
std::string basic_credentials(const std::string& head) {
  std::string lower = head;
  for (char& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string marker = "authorization: basic ";
  const std::size_t at = lower.find(marker);
  if (at == std::string::npos)
    return {};
  const std::size_t start = at + marker.size();
  return head.substr(start, head.find('\r', start) - start);
}

// The credentials in each base64 alphabet, with and without padding.
std::vector<std::string> base64_forms(const std::string& standard) {
  std::string unpadded = standard;
  while (!unpadded.empty() && unpadded.back() == '=')
    unpadded.pop_back();
  std::string url = standard;
  for (char& c : url)
    c = c == '+' ? '-' : c == '/' ? '_' : c;
  std::string url_unpadded = url;
  while (!url_unpadded.empty() && url_unpadded.back() == '=')
    url_unpadded.pop_back();
  return {standard, unpadded, url, url_unpadded};
}

// The request re-serialized with @p e: every field, and the Basic credentials in every form.
std::string echo_in(const RawRequest& r, const echo::Encoding& e) {
  std::string out = std::string("[") + e.name + "] ";
  for (const auto& [key, value] : request_fields(r.body))
    out += e.encode(key) + "=" + e.encode(value) + "&";
  const std::string basic = basic_credentials(r.head);
  if (!basic.empty()) {
    for (const auto& form : base64_forms(basic))
      out += " Basic " + e.encode(form);
  }
  return out;
}

// /oauth/token/all: one JSON error whose description echoes the request in every encoding.
// /oauth/token/<n>: a text/plain error echoing it in encoding n after a prefix, cut by the SDK's
// 200-character snippet at a different place each time.
RawReply answer(const RawRequest& r) {
  const auto all = echo::encodings();
  const std::string which = r.target.substr(r.target.rfind('/') + 1);
  if (which == "all") {
    std::string description = "you sent:";
    for (const auto& e : all)
      description += " " + echo_in(r, e);
    const nlohmann::json reply = {{"error", "invalid_request"}, {"error_description", description}};
    return RawReply{raw_json_response(400, reply.dump(), false)};
  }
  const std::size_t n = std::stoul(which);
  const std::string body = "you sent:" + std::string(120 + 7 * n, '.') + echo_in(r, all.at(n));
  return RawReply{"HTTP/1.1 400 X\r\nContent-Type: text/plain\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body};
}

// A piece of @p secret that no other text of the exchange holds.
std::string marker(const std::string& secret) {
  for (const char* m : {"Sec", "all-in", "escape"}) {
    if (secret.find(m) != std::string::npos)
      return m;
  }
  return secret;
}

std::string echo_name(std::size_t n) {
  return echo::encodings().at(n).name;
}

template <class F>
std::string what_of(F&& f) {
  try {
    f();
  } catch (const rr::AuthError& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong exception type: " << e.what();
    return {};
  }
  ADD_FAILURE() << "nothing was thrown";
  return {};
}

class EchoedSecrets : public ::testing::Test {
 protected:
  rr::OAuthOptions options(const std::string& path) {
    rr::OAuthOptions o;
    o.token_url = server_.base_url() + "/oauth/token/" + path;
    o.authorize_url = server_.base_url() + "/authorize";
    o.client_id = "the client/+";
    o.client_secret = "not-the-secret-here";
    o.dangerously_allow_plain_http = true;
    o.logger = [this](const rr::LogRecord& line) { logs_.push_back(line.message); };
    return o;
  }

  // No form of any of @p secrets in @p what or in the log lines; the echo did arrive.
  void expect_hidden(const std::string& what, const std::vector<std::string>& secrets,
                     const std::string& label) {
    EXPECT_NE(what.find("you sent:"), std::string::npos) << label << ": " << what;
    EXPECT_NE(what.find("***"), std::string::npos) << label << ": " << what;
    for (const std::string& secret : secrets) {
      for (const auto& e : echo::encodings()) {
        const std::string form = e.encode(secret);
        EXPECT_EQ(what.find(form), std::string::npos)
            << label << ": " << e.name << " of [" << secret << "] in " << what;
        for (const auto& line : logs_)
          EXPECT_EQ(line.find(form), std::string::npos) << label << ": " << e.name << " in log";
      }
    }
    logs_.clear();
  }

  RawSocketServer server_{[](const RawRequest& r, int) { return answer(r); }};
  std::vector<std::string> logs_;
};

TEST_F(EchoedSecrets, ClientSecretInTheBodyInEveryEncoding) {
  for (const std::string& secret : echo::reserved_secrets()) {
    for (auto encoding : {rr::TokenRequestEncoding::kForm, rr::TokenRequestEncoding::kJson}) {
      auto o = options("all");
      o.client_secret = secret;
      o.encoding = encoding;
      rr::ClientCredentialsTokenProvider provider(o);
      expect_hidden(what_of([&] { (void)provider.access_token(); }), {secret}, "post");
    }
  }
}

TEST_F(EchoedSecrets, ClientSecretInTheBasicHeaderInEveryBase64Form) {
  for (const std::string& secret : echo::reserved_secrets()) {
    auto o = options("all");
    o.client_secret = secret;
    o.client_auth = rr::ClientAuthMethod::kClientSecretBasic;
    rr::ClientCredentialsTokenProvider provider(o);
    const std::string what = what_of([&] { (void)provider.access_token(); });
    const std::vector<std::string> hidden = {secret};
    EXPECT_NE(what.find("Basic "), std::string::npos) << what;
    expect_hidden(what, hidden, "basic");
    for (std::size_t at = what.find(" Basic "); at != std::string::npos;
         at = what.find(" Basic ", at + 1)) {
      // Each echoed credential is masked: at most its padding ("==", "%3D%3D", ...) stays.
      const std::string rest = what.substr(at + 7, 12);
      EXPECT_EQ(rest.rfind("***", 0), 0u) << "[" << secret << "] " << what.substr(at, 60);
    }
  }
}

TEST_F(EchoedSecrets, RefreshTokenAndTheCodeExchangeInEveryEncoding) {
  for (const std::string& secret : echo::reserved_secrets()) {
    rr::TokenSet initial;
    initial.refresh_token = "refresh-" + secret;
    rr::RefreshTokenProvider refresher(options("all"), initial);
    expect_hidden(what_of([&] { (void)refresher.access_token(); }), {initial.refresh_token},
                  "refresh");

    rr::AuthorizationCodeFlow flow(options("all"));
    rr::AuthorizationRequest request;
    request.state = "state-1";
    request.code_verifier = "verifier-" + secret;
    request.redirect_uri = "http://127.0.0.1/callback";
    const rr::AuthorizationResponse response("code-" + secret, "state-1");
    expect_hidden(what_of([&] { (void)flow.exchange(request, response); }),
                  {request.code_verifier, response.code}, "code");
  }
}

TEST_F(EchoedSecrets, TextAnswersCutAt200CharactersLeaveNoPartOfTheSecret) {
  const auto all = echo::encodings();
  for (const std::string& secret : echo::reserved_secrets()) {
    for (std::size_t n = 0; n < all.size(); ++n) {
      auto o = options(std::to_string(n));
      o.client_secret = secret;
      rr::ClientCredentialsTokenProvider provider(o);
      const std::string what = what_of([&] { (void)provider.access_token(); });
      EXPECT_NE(what.find("you sent:"), std::string::npos) << what;
      // Nothing of the secret, whole or cut short: its distinctive middle, raw or as \u0053...
      const std::string middle = marker(secret);
      EXPECT_EQ(what.find(middle), std::string::npos) << echo_name(n) << ": " << what;
      EXPECT_EQ(what.find(echo::json_all_units(middle)), std::string::npos) << what;
      for (const auto& e : all)
        EXPECT_EQ(what.find(e.encode(secret)), std::string::npos) << e.name << ": " << what;
      for (const auto& line : logs_)
        EXPECT_EQ(line.find(middle), std::string::npos) << line;
      logs_.clear();
    }
  }
}

}  // namespace
