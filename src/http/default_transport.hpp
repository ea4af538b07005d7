#pragma once

// Private: the transport a client, token endpoint or key-set fetch uses when the caller gave
// none. CurlTransport where the library is built with libcurl; WinHttpTransport on Windows
// (docs/adr/0029-platform-layer.md). The options are CurlTransportOptions on both: the public
// ClientOptions::transport_options keeps its type (ABI).

#include <memory>

#include "roserocket/http/curl_transport.hpp"

namespace roserocket::detail {

std::shared_ptr<HttpTransport> make_default_transport(const CurlTransportOptions& options);

}  // namespace roserocket::detail
