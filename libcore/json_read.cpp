#include "libcore/json_read.hpp"

#include "libcore/sys/error.hpp"

namespace pod::core {
namespace {

const char* type_name(const nlohmann::json& v) {
  if (v.is_string()) return "string";
  if (v.is_boolean()) return "boolean";
  if (v.is_number()) return "number";
  if (v.is_array()) return "array";
  if (v.is_object()) return "object";
  return "null";
}

}  // namespace

JsonObject::JsonObject(const nlohmann::json& value, std::string path) : value_(value), path_(std::move(path)) {
  if (!value_.is_object()) {
    throw Error((path_.empty() ? std::string("document") : "field " + quote(path_)) + ": expected an object, got " +
                    type_name(value_),
                ErrorKind::invalid_input);
  }
}

std::string JsonObject::path_of(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void JsonObject::fail(std::string_view key, std::string_view why) const {
  throw Error("field " + quote(path_of(key)) + ": " + std::string(why), ErrorKind::invalid_input);
}

const nlohmann::json* JsonObject::find(std::string_view key) const {
  const auto it = value_.find(key);
  if (it == value_.end() || it->is_null()) return nullptr;
  return &*it;
}

const nlohmann::json& JsonObject::require(std::string_view key) const {
  const auto* v = find(key);
  if (!v) fail(key, "missing");
  return *v;
}

bool JsonObject::has(std::string_view key) const { return find(key) != nullptr; }

std::string JsonObject::string(std::string_view key) const {
  const auto& v = require(key);
  if (!v.is_string()) fail(key, std::string("expected a string, got ") + type_name(v));
  return v.get<std::string>();
}

std::optional<std::string> JsonObject::optional_string(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return string(key);
}

std::int64_t JsonObject::integer(std::string_view key) const {
  const auto& v = require(key);
  if (!v.is_number_integer()) fail(key, std::string("expected an integer, got ") + type_name(v));
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
    fail(key, "integer out of range");
  }
  return v.get<std::int64_t>();
}

std::optional<std::int64_t> JsonObject::optional_integer(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return integer(key);
}

std::uint64_t JsonObject::unsigned_integer(std::string_view key) const {
  const auto& v = require(key);
  if (!v.is_number_integer()) fail(key, std::string("expected an integer, got ") + type_name(v));
  if (!v.is_number_unsigned() && v.get<std::int64_t>() < 0) fail(key, "must not be negative");
  return v.get<std::uint64_t>();
}

std::optional<std::uint64_t> JsonObject::optional_unsigned(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return unsigned_integer(key);
}

std::optional<std::vector<std::int64_t>> JsonObject::optional_integers(std::string_view key) const {
  const auto* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_array()) fail(key, std::string("expected an array of integers, got ") + type_name(*v));
  std::vector<std::int64_t> out;
  for (const auto& item : *v) {
    if (!item.is_number_integer()) fail(key, std::string("expected an array of integers, found a ") + type_name(item));
    if (item.is_number_unsigned() && item.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
      fail(key, "integer out of range");
    }
    out.push_back(item.get<std::int64_t>());
  }
  return out;
}

bool JsonObject::boolean(std::string_view key) const {
  const auto& v = require(key);
  if (!v.is_boolean()) fail(key, std::string("expected a boolean, got ") + type_name(v));
  return v.get<bool>();
}

bool JsonObject::optional_bool(std::string_view key, bool fallback) const {
  const auto* v = find(key);
  if (!v) return fallback;
  if (!v->is_boolean()) fail(key, std::string("expected a boolean, got ") + type_name(*v));
  return v->get<bool>();
}

JsonObject JsonObject::object(std::string_view key) const { return JsonObject(require(key), path_of(key)); }

std::optional<JsonObject> JsonObject::optional_object(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return object(key);
}

std::vector<JsonObject> JsonObject::objects(std::string_view key) const {
  const auto& v = require(key);
  if (!v.is_array()) fail(key, std::string("expected an array, got ") + type_name(v));
  std::vector<JsonObject> out;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    out.emplace_back(v[i], path_of(key) + "[" + std::to_string(i) + "]");
  }
  return out;
}

std::vector<JsonObject> JsonObject::optional_objects(std::string_view key) const {
  if (!has(key)) return {};
  return objects(key);
}

std::optional<std::vector<std::string>> JsonObject::optional_strings(std::string_view key) const {
  const auto* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_array()) fail(key, std::string("expected an array of strings, got ") + type_name(*v));
  std::vector<std::string> out;
  for (const auto& item : *v) {
    if (!item.is_string()) fail(key, std::string("expected an array of strings, found a ") + type_name(item));
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::map<std::string, std::string> JsonObject::string_map(std::string_view key) const {
  const auto* v = find(key);
  if (!v) return {};
  if (!v->is_object()) fail(key, std::string("expected an object of strings, got ") + type_name(*v));
  std::map<std::string, std::string> out;
  for (const auto& [k, item] : v->items()) {
    if (!item.is_string()) fail(std::string(key) + "." + k, std::string("expected a string, got ") + type_name(item));
    out.emplace(k, item.get<std::string>());
  }
  return out;
}

std::vector<std::string> JsonObject::object_keys(std::string_view key) const {
  const auto* v = find(key);
  if (!v) return {};
  if (!v->is_object()) fail(key, std::string("expected an object, got ") + type_name(*v));
  std::vector<std::string> out;
  for (const auto& [k, item] : v->items()) out.push_back(k);
  return out;
}

nlohmann::json parse_json_document(std::string_view bytes) {
  auto doc = nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) throw Error("malformed JSON", ErrorKind::invalid_input);
  if (!doc.is_object()) throw Error(std::string("expected a JSON object, got ") + type_name(doc), ErrorKind::invalid_input);
  return doc;
}

}  // namespace pod::core
