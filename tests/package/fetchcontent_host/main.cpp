// The FetchContent host's own program: compiled with the host's -Wshadow -Wconversion, it
// includes every public SDK header.
#include <roserocket/roserocket.hpp>
#include <roserocket/version.hpp>

#include <iostream>

int main() {
  std::cout << "host built with roserocket " << ROSEROCKET_VERSION_STRING << " (library "
            << roserocket::version() << ")\n";
  return roserocket::version() == ROSEROCKET_VERSION_STRING ? 0 : 1;
}
