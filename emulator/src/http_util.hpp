#pragma once

// HTTP helpers: NestJS-style errors as exceptions, JSON answers, body parsing.

#include <stdexcept>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace rr_emulator::detail {

using Json = nlohmann::json;

/// @brief Thrown by handlers; the router turns it into a NestJS error body.
class ApiError : public std::runtime_error {
 public:
  /// @brief @p message is a string or an array of strings, as NestJS sends.
  ApiError(int status, Json message);
  [[nodiscard]] int status() const noexcept { return status_; }
  [[nodiscard]] const Json& message() const noexcept { return message_; }

 private:
  int status_;
  Json message_;
};

/// @brief A 400 with one message.
[[noreturn]] void bad_request(const std::string& message);
/// @brief A 400 with a message array (validation errors).
[[noreturn]] void bad_request(const std::vector<std::string>& messages);
/// @brief A 404 with one message.
[[noreturn]] void not_found(const std::string& message);

/// @brief The HTTP reason phrase NestJS puts in `error` ("Bad Request", ...).
std::string reason_phrase(int status);

/// @brief `{"statusCode", "message", "error"}`.
Json nest_body(int status, const Json& message);

/// @brief Answers @p status with @p body as JSON.
void send_json(httplib::Response& res, int status, const Json& body);

/// @brief Answers with a NestJS error body.
void send_nest_error(httplib::Response& res, int status, const Json& message);

/// @brief The request body as a JSON object; a 400 if it is malformed or not an object.
Json parse_json_object(const httplib::Request& req);

/// @brief A query parameter, or an empty string when absent.
std::string query(const httplib::Request& req, const char* name);

}  // namespace rr_emulator::detail
