// Strict, typed access to untrusted JSON for the parsers of libcore (.cpp files only: it pulls
// in nlohmann/json). Required fields must exist with the right type; unknown fields are
// ignored. Errors name the field by its path: "field `layers[0].digest`: expected a string".
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pod::core {

class JsonObject {
 public:
  // `path` is the object's own path ("" for the document, "config", "layers[2]").
  JsonObject(const nlohmann::json& value, std::string path);

  bool has(std::string_view key) const;
  std::string string(std::string_view key) const;
  std::optional<std::string> optional_string(std::string_view key) const;
  std::int64_t integer(std::string_view key) const;
  std::optional<std::int64_t> optional_integer(std::string_view key) const;
  // For uint64 fields (rlimits, seccomp values) that may exceed INT64_MAX; negative is an error.
  std::uint64_t unsigned_integer(std::string_view key) const;
  std::optional<std::uint64_t> optional_unsigned(std::string_view key) const;
  std::optional<std::vector<std::int64_t>> optional_integers(std::string_view key) const;
  bool boolean(std::string_view key) const;
  bool optional_bool(std::string_view key, bool fallback) const;
  JsonObject object(std::string_view key) const;
  std::optional<JsonObject> optional_object(std::string_view key) const;
  std::vector<JsonObject> objects(std::string_view key) const;  // required array of objects
  std::vector<JsonObject> optional_objects(std::string_view key) const;
  std::optional<std::vector<std::string>> optional_strings(std::string_view key) const;
  std::map<std::string, std::string> string_map(std::string_view key) const;  // optional; {} if absent
  std::vector<std::string> object_keys(std::string_view key) const;           // optional; {} if absent

  [[noreturn]] void fail(std::string_view key, std::string_view why) const;
  std::string path_of(std::string_view key) const;

 private:
  const nlohmann::json* find(std::string_view key) const;  // null when absent or JSON null
  const nlohmann::json& require(std::string_view key) const;

  const nlohmann::json& value_;
  std::string path_;
};

// Parses a document; malformed JSON and a non-object top level are Error(invalid_input).
nlohmann::json parse_json_document(std::string_view bytes);

}  // namespace pod::core
