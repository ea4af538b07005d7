// Next step 5: query objects using paths, and search. This one uses the raw ObjectsApi (plain
// JSON) to show the requests as the API documents them; the typed facades do the same.

#include <iostream>
#include <string>

#include "example_support.hpp"
#include "roserocket/objects/boards.hpp"
#include "roserocket/objects/objects_api.hpp"

int main() {
  return example::run([](roserocket::Client& client) {
    using roserocket::Json;
    roserocket::ObjectsApi objects = client.objects();

    // Some data to query: a customer and an order whose task carries a commodity.
    const Json customer = objects.create("customer", {{"name", "XYZ Freight Corp"}});
    const Json order = objects.create(
        "order",
        {{"customer", {{"id", customer["id"]}}},
         {"tasks",
          {{{"objectKey", "task"},
            {"taskType", "pickup"},
            {"commodities", {{{"objectKey", "commodity"}, {"commodityType", "skid"}}}}}}}});

    // paths: connected records to include. "tasks.commodities" is a dot path (one level down);
    // without paths, a get returns only the order's own fields.
    roserocket::RequestOptions with;
    with.paths = {"customer", "tasks", "tasks.commodities"};
    const Json read = objects.get(order["id"].get<std::string>(), with);
    std::cout << "order " << read.value("fullId", "?") << " for "
              << read["customer"].value("name", "?") << ": " << read["tasks"].size()
              << " task(s), the first with " << read["tasks"][0]["commodities"].size()
              << " commodit(ies)\n";

    // Search needs a board: it decides which object is searched. Ask the boards list for one.
    const auto board = roserocket::Boards(client).first_for("customer");
    if (!board)
      throw roserocket::InvalidArgumentError("the server has no customer board");
    roserocket::SearchRequest search;
    search.board_id = board->id;
    search.filters.push_back(
        {"name", roserocket::SearchOperator::kContains, "Freight", "", "string"});
    search.limit = 10;
    const roserocket::SearchResult found = objects.search(search);
    std::cout << "search on board '" << board->name
              << "' for names containing Freight: " << found.results.size() << " of about "
              << found.total << "\n";
    for (const Json& r : found.results)
      std::cout << "  " << r.value("fullId", "?") << " " << r.value("name", "?") << "\n";
  });
}
