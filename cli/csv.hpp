#pragma once

// CSV as rr reads and writes it (RFC 4180): fields separated by ',',
// a field quoted with '"' when it holds ',', '"', CR or LF, a '"' inside doubled. Quoted fields
// may span lines. Internal to rr (not installed).

#include <istream>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace rr_csv {

/// Reads one record (which may span lines inside quotes) into @p fields.
/// @return false at the end of the input (nothing read).
/// @throw std::runtime_error for a quote left open at the end of the input.
inline bool read_record(std::istream& in, std::vector<std::string>& fields) {
  fields.assign(1, std::string());
  bool quoted = false;
  bool any = false;
  char c = 0;
  while (in.get(c)) {
    any = true;
    if (quoted) {
      if (c == '"') {
        if (in.peek() == '"') {
          in.get(c);
          fields.back() += '"';
        } else {
          quoted = false;
        }
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c == '\n') {
      return true;
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  if (quoted)
    throw std::runtime_error("a quoted field is not closed at the end of the file");
  return any;
}

/// Splits one line that holds a whole record.
inline std::vector<std::string> split_line(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  if (!read_record(in, fields))
    fields.assign(1, std::string());
  return fields;
}

/// Writes @p field, quoted when it must be.
inline void write_field(std::ostream& out, const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) {
    out << field;
    return;
  }
  out << '"';
  for (const char c : field) {
    if (c == '"')
      out << '"';
    out << c;
  }
  out << '"';
}

/// Writes @p fields as one record and a line break.
inline void write_record(std::ostream& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0)
      out << ',';
    write_field(out, fields[i]);
  }
  out << '\n';
}

}  // namespace rr_csv
