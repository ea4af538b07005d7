#include "roserocket/resources/resource.hpp"

namespace roserocket {

RequestOptions with_paths(std::vector<std::string> paths) {
  RequestOptions options;
  options.paths = std::move(paths);
  return options;
}

// One instantiation per facade, so users' translation units do not compile the template again;
// exported from a shared library by the ROSEROCKET_API on the header's extern declarations.
#define RR_FACADE(Type, Facade, method) template class Resource<model::Type>;
#include "roserocket/model/catalog.def"

}  // namespace roserocket
