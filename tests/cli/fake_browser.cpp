// A stand-in browser for `rr auth login` tests ($BROWSER): GETs the URL it is given and follows
// redirects (the emulator's /authorize answers at once with a redirect to rr's loopback port).

#include <httplib.h>

#include <iostream>
#include <regex>
#include <string>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fake_browser URL\n";
    return 2;
  }
  std::string url = argv[1];
  static const std::regex parts(R"(^(http://[^/]+)(/.*)?$)");
  for (int hop = 0; hop < 5; ++hop) {
    std::smatch m;
    if (!std::regex_match(url, m, parts)) {
      std::cerr << "fake_browser: not an http URL\n";
      return 1;
    }
    httplib::Client client(m[1].str());
    client.set_read_timeout(30, 0);
    const auto response = client.Get(m[2].matched ? m[2].str() : "/");
    if (!response) {
      std::cerr << "fake_browser: no answer\n";
      return 1;
    }
    if (response->status / 100 != 3)
      return response->status == 200 ? 0 : 1;
    url = response->get_header_value("Location");
  }
  return 1;
}
