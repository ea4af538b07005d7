// The default transport of Windows builds (default_transport.hpp): a WinHttpTransport set from
// the CurlTransportOptions that ClientOptions carries on every platform (its type is part of the
// 1.0 ABI). Settings WinHTTP has no counterpart for are refused rather than ignored, so a client
// never runs with a trust or proxy setting other than the one it was given.
#include "http/default_transport.hpp"

#include <string>
#include <utility>

#include "roserocket/errors.hpp"
#include "roserocket/http/winhttp_transport.hpp"

namespace roserocket::detail {
namespace {

[[noreturn]] void winhttp_unsupported(const std::string& option, const std::string& instead) {
  throw InvalidArgumentError(
      "transport_options." + option +
      " has no counterpart in WinHTTP, the transport of Windows builds: " + instead);
}

// WinHTTP's named proxy is "host:port"; curl's may carry a scheme.
std::string winhttp_proxy(std::string proxy) {
  const auto scheme = proxy.find("://");
  if (scheme != std::string::npos) {
    const std::string name = proxy.substr(0, scheme);
    if (name != "http") {
      throw InvalidArgumentError(
          "transport_options.proxy: WinHTTP speaks to HTTP proxies only, not '" + name + "'");
    }
    proxy.erase(0, scheme + 3);
  }
  while (!proxy.empty() && proxy.back() == '/')
    proxy.pop_back();
  return proxy;
}

}  // namespace

std::shared_ptr<HttpTransport> make_default_transport(const CurlTransportOptions& options) {
  if (!options.ca_file.empty() || !options.ca_path.empty()) {
    winhttp_unsupported(options.ca_file.empty() ? "ca_path" : "ca_file",
                        "add the certificate authority to the Windows certificate store instead");
  }
  if (!options.proxy_credentials.empty()) {
    winhttp_unsupported("proxy_credentials",
                        "give the proxy's credentials to Windows (the system proxy settings), or "
                        "pass a transport of your own in ClientOptions");
  }
  WinHttpTransportOptions out;
  out.connect_timeout = options.connect_timeout;
  out.request_timeout = options.request_timeout;
  out.verify_peer = options.verify_peer;
  out.proxy = winhttp_proxy(options.proxy);
  out.no_proxy = options.no_proxy;
  out.user_agent = options.user_agent;
  out.max_response_bytes = options.max_response_bytes;
  out.accept_compressed = options.accept_compressed;
  // tcp_keepalive and max_idle_handles: WinHTTP keeps its own connections alive and pooled.
  return std::make_shared<WinHttpTransport>(std::move(out));
}

}  // namespace roserocket::detail
