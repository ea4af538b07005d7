#pragma once

// Field values by the field catalog's types, for rr import, export and update (fields.cpp;
// docs/cli.md "Cells and values"). Internal to the rr executable.

#include <stdexcept>
#include <string>
#include <vector>

#include "cli.hpp"
#include "roserocket/model/catalog.hpp"

namespace rr_cli {

/// A text value that does not fit its field's type; what() is "expected a number, got \"12kg\"".
class ValueError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What the catalog knows of one field (a CSV column, a --set field) of an object.
enum class FieldKnowledge {
  kTyped,          ///< the catalog types it (common fields included)
  kCustom,         ///< a custom field (`__c`): no type known, accepted
  kUntypedObject,  ///< the object is unknown or the catalog lists none of its fields: accepted
  kUnknown,        ///< not a field of an object whose fields the catalog lists: refused by default
};

/// What the catalog knows of @p field of @p object_key; @p spec is set to its spec or null.
FieldKnowledge field_knowledge(const std::string& object_key, const std::string& field,
                               const roserocket::model::FieldSpec** spec);
/// "\"zip\" is not a field of customer in the field catalog", with the catalog's spelling when
/// @p field is a documented variant of one.
std::string unknown_field_message(const std::string& object_key, const std::string& field);
/// The JSON value @p text stands for in a field of type @p spec: text for text fields whatever it
/// looks like, parsed for numbers, booleans, dates, times of day, money, date-times, connections
/// and JSON. A field the catalog does not type (@p spec null) is text, or JSON when it parses and
/// @p json_untyped.
/// @throw ValueError when @p text is not a value of that type.
Json read_value(const roserocket::model::FieldSpec* spec, const std::string& text,
                bool json_untyped);
/// Whether JSON @p value is a value of @p type (null is one of every type).
bool value_fits(roserocket::model::FieldType type, const Json& value);
/// "a number", "true or false", "text", ... as error messages name @p type.
std::string expected_type(roserocket::model::FieldType type);
/// @p text quoted as JSON for a message, cut after 40 bytes.
std::string shown(const std::string& text);
/// The CSV cell `rr export` writes for @p value of a field of type @p spec (null: untyped): text
/// fields as they are, other types as JSON, null as @p null_token, untyped ones by to_cell().
std::string cell_of(const roserocket::model::FieldSpec* spec, const Json& value,
                    const std::string& null_token);

/// One `--set path=value` of rr update, split but not yet read by type.
struct Assignment {
  std::string text;               ///< as given
  std::vector<std::string> path;  ///< "address.city" -> {"address", "city"}
  std::string value;              ///< the text after the first '='
};
/// Splits `rr update --set a.b=1 --set c=x` into paths and values.
/// @throw UsageError for an assignment without '=' or with an empty field name.
std::vector<Assignment> split_assignments(const std::vector<std::string>& assignments);

}  // namespace rr_cli
