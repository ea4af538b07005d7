// A tiny loopback server for get_bench: answers GET /api/v2/platformModel/objects/<id> with one
// fixed customer record (about 1.5 KB of JSON, shaped like the platform's customer answer).
// Usage: bench_server [port]   (0 or nothing: any free port). Prints "listening on <url>".

#include <cstdio>
#include <cstdlib>
#include <string>

#include <httplib.h>

#include <nlohmann/json.hpp>

namespace {

// A realistic customer: common record fields, the seeds' widgets, and documented customer fields.
std::string customer_record() {
  using nlohmann::json;
  auto widget = [](const char* key, const char* name) {
    return json{{"key", key}, {"name", name}, {"version", 0}};
  };
  json record = {
      {"id", "e54225d7-3bc9-4803-992a-af107b0db8df"},
      {"objectKey", "customer"},
      {"orgId", "2c39fa07-b82c-493f-8ec8-996cd0618612"},
      {"source", "manual"},
      {"widgets",
       json::array({widget("platformCustomer-AddCompanyDetails", "CreateCustomer"),
                    widget("customer-ETADelayNotifications", "ETADelayNotifications"),
                    widget("platformCustomer-EditCommissionedUsers", "EditCommissionedUsers")})},
      {"widgetToOpen", widget("platformCustomer-AddCompanyDetails", "CreateCustomer")},
      {"fullId", "CUST-9"},
      {"name", "XYZ Freight Corp"},
      {"status", "active"},
      {"customerType", "shipper"},
      {"companyEmail", "dispatch@xyzfreight.example"},
      {"companyPhone", "+1 416 555 0199"},
      {"address", "1200 Bay Street, Suite 400"},
      {"city", "Toronto"},
      {"state", "ON"},
      {"postal", "M5R 2A5"},
      {"currency", "CAD"},
      {"defaultCurrency", "CAD"},
      {"mapMarkers", json::array()},
      {"externalId", nullptr},
      {"createdAt", "2024-05-28T21:59:53.201Z"},
      {"createdBy", "bfcf84aa-55d4-4d58-a8d6-871f0d462a04"},
      {"updatedAt", "2024-05-28T21:59:53.201Z"},
      {"updatedBy", "bfcf84aa-55d4-4d58-a8d6-871f0d462a04"},
      {"version", 1},
      {"etaDelayNotifyEnabled", true},
      {"etaDelayNotifyLabel", "Enabled"},
  };
  for (const char* day : {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}) {
    const bool weekend = std::string(day) == "Sat" || std::string(day) == "Sun";
    record[std::string("busHours") + day + "StartAt"] = weekend ? 0 : 8 * 3600;
    record[std::string("busHours") + day + "EndAt"] = weekend ? 0 : 17 * 3600;
  }
  record["formattedBusinessHours"] = "Mon-Fri 08:00-17:00";
  return record.dump();
}

}  // namespace

int main(int argc, char** argv) {
  const int requested_port = argc > 1 ? std::atoi(argv[1]) : 0;
  const std::string body = customer_record();

  httplib::Server server;
  // Keep one connection for the whole run and write the small answer without Nagle delays.
  server.set_keep_alive_max_count(100000000);
  server.set_keep_alive_timeout(60);
  server.set_tcp_nodelay(true);
  server.Get(R"(/api/v2/platformModel/objects/[^/]+)",
             [&](const httplib::Request&, httplib::Response& res) {
               res.set_content(body, "application/json");
             });

  int port = requested_port;
  if (port == 0) {
    port = server.bind_to_any_port("127.0.0.1");
  } else if (!server.bind_to_port("127.0.0.1", port)) {
    port = -1;
  }
  if (port <= 0) {
    std::fprintf(stderr, "bench_server: could not bind 127.0.0.1\n");
    return 1;
  }
  std::fprintf(stderr, "bench_server: answering with a %zu-byte customer record\n", body.size());
  std::printf("listening on http://127.0.0.1:%d\n", port);
  std::fflush(stdout);
  return server.listen_after_bind() ? 0 : 1;
}
