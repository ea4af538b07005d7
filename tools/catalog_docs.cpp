// Prints Markdown generated from the field catalog, for the docs:
//   catalog_docs             the read-only fields table (docs/read-only-fields.md)
//   catalog_docs --fields    every object's fields (docs/object-model.md)
// The unit test CatalogDocs.* checks that the committed docs equal this output.

#include <iostream>
#include <string>

#include "roserocket/model/catalog.hpp"

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "--read-only";
  if (mode == "--read-only") {
    std::cout << roserocket::model::read_only_fields_markdown();
  } else if (mode == "--fields") {
    std::cout << roserocket::model::fields_markdown();
  } else {
    std::cerr << "usage: catalog_docs [--read-only | --fields]\n";
    return 2;
  }
  return 0;
}
