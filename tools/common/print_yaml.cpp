#include "tools/common/print_yaml.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <string>

namespace pod::tools {
namespace {

std::string scalar(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

bool is_scalar(const nlohmann::json& v) { return !v.is_object() && !v.is_array(); }

void print_node(const nlohmann::json& v, int indent);

void print_entry(const std::string& prefix, const nlohmann::json& v, int indent) {
  if (is_scalar(v) || v.empty()) {
    fmt::print("{}{}\n", prefix, is_scalar(v) ? " " + scalar(v) : (v.is_array() ? " []" : " {}"));
    return;
  }
  fmt::print("{}\n", prefix);
  print_node(v, indent + 2);
}

void print_node(const nlohmann::json& v, int indent) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  if (v.is_object()) {
    for (const auto& [key, item] : v.items()) print_entry(pad + key + ":", item, indent);
    return;
  }
  for (const auto& item : v) {
    if (item.is_object() && !item.empty()) {
      bool first = true;
      for (const auto& [key, field] : item.items()) {
        print_entry(pad + (first ? "- " : "  ") + key + ":", field, indent + 2);
        first = false;
      }
    } else {
      print_entry(pad + "-", item, indent);
    }
  }
}

}  // namespace

void print_yaml(const nlohmann::json& value) { print_node(value, 0); }

}  // namespace pod::tools
