// The default transport where the library is built with libcurl (default_transport.hpp).
#include "http/default_transport.hpp"

namespace roserocket::detail {

std::shared_ptr<HttpTransport> make_default_transport(const CurlTransportOptions& options) {
  return std::make_shared<CurlTransport>(options);
}

}  // namespace roserocket::detail
