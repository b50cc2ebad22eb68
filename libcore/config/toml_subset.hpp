// A parser for the subset of TOML that containers-registries.conf(5) files use.
//
// Supported: `#` comments; `key = value` with bare, "quoted" and 'literal' keys, dotted keys;
// basic strings (escapes \" \\ \b \t \n \f \r \uXXXX \UXXXXXXXX) and literal strings;
// booleans; decimal integers; arrays (over several lines, comments inside, trailing comma);
// tables [a] and [a.b]; arrays of tables [[a]] and [[a.b]] (a sub-table of an array of tables
// belongs to its last element, as in TOML: [[registry.mirror]] extends the last [[registry]]).
// Not supported, and rejected with an error rather than misread: multi-line strings, floats,
// dates, inline tables, hex/octal/binary integers.
//
// Every failure is pod::Error(invalid_input) "SOURCE:LINE: what is wrong".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace pod::core::config {

struct TomlValue;
using TomlArray = std::vector<TomlValue>;
// Keys in the order they were defined; each key appears once.
using TomlTable = std::vector<std::pair<std::string, TomlValue>>;

struct TomlValue {
  std::variant<std::string, bool, std::int64_t, TomlArray, TomlTable> data;
  int line = 0;              // where the value (or the table's header) was defined, for messages
  bool table_array = false;  // an array made by [[header]]: only those can be extended by [[header]]

  bool is_string() const { return std::holds_alternative<std::string>(data); }
  bool is_bool() const { return std::holds_alternative<bool>(data); }
  bool is_integer() const { return std::holds_alternative<std::int64_t>(data); }
  bool is_array() const { return std::holds_alternative<TomlArray>(data); }
  bool is_table() const { return std::holds_alternative<TomlTable>(data); }
};

// What a value is, for messages: "a string", "a boolean", "an integer", "an array", "a table".
std::string_view toml_type_name(const TomlValue& value);

// The value under `key` in `table`, nullptr when absent.
const TomlValue* toml_find(const TomlTable& table, std::string_view key);

// Parses a whole document. `source` names it in messages (usually the file's path).
TomlTable parse_toml(std::string_view text, std::string_view source);

}  // namespace pod::core::config
