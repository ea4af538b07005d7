// Placeholder until the libcurl transport lands (issue 2, item 2).
#include "roserocket/http/curl_transport.hpp"

#include "roserocket/errors.hpp"

namespace roserocket {

struct CurlTransport::Impl {
  CurlTransportOptions options;
};

CurlTransport::CurlTransport(CurlTransportOptions options)
    : impl_(std::make_unique<Impl>(Impl{std::move(options)})) {}

CurlTransport::~CurlTransport() = default;

HttpResponse CurlTransport::send(const HttpRequest&) {
  throw TransportError("CurlTransport is not implemented yet", {}, false);
}

}  // namespace roserocket
