#include "http_util.hpp"

#include "core/json_limits.hpp"

namespace rr_emulator::detail {

ApiError::ApiError(int status, Json message)
    : std::runtime_error("emulator API error"), status_(status), message_(std::move(message)) {}

void bad_request(const std::string& message) {
  throw ApiError(400, message);
}

void bad_request(const std::vector<std::string>& messages) {
  throw ApiError(400, messages);
}

void not_found(const std::string& message) {
  throw ApiError(404, message);
}

std::string reason_phrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 409:
      return "Conflict";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return status >= 500 ? "Internal Server Error" : "Error";
  }
}

Json nest_body(int status, const Json& message) {
  return Json{{"statusCode", status}, {"message", message}, {"error", reason_phrase(status)}};
}

void send_json(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json; charset=utf-8");
}

void send_nest_error(httplib::Response& res, int status, const Json& message) {
  send_json(res, status, nest_body(status, message));
}

Json parse_json_object(const httplib::Request& req) {
  if (req.body.empty())
    bad_request("Request body must be a JSON object");
  roserocket::detail::JsonParse outcome = roserocket::detail::JsonParse::kOk;
  Json body = roserocket::detail::parse_json_limited(req.body, outcome);
  if (outcome == roserocket::detail::JsonParse::kTooDeep)
    bad_request("Request body JSON is " + roserocket::detail::describe_parse_failure(outcome));
  if (outcome != roserocket::detail::JsonParse::kOk)
    bad_request("Malformed JSON in request body");
  if (!body.is_object())
    bad_request("Request body must be a JSON object");
  return body;
}

std::string query(const httplib::Request& req, const char* name) {
  return req.has_param(name) ? req.get_param_value(name) : std::string();
}

}  // namespace rr_emulator::detail
