// Internal to the runtime_spec*.cpp files: the pieces the config.json reader shares between
// its files. Pulls in nlohmann/json through json_read.hpp, so .cpp files only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libcore/json_read.hpp"
#include "libcore/oci/runtime_spec.hpp"

namespace pod::core::oci::detail {

// "key[3]", for errors about one element of an array field.
std::string indexed(std::string_view key, std::size_t i);
// An optional array of strings; absent is empty.
std::vector<std::string> read_strings(const JsonObject& o, std::string_view key);
std::uint32_t read_u32(const JsonObject& o, std::string_view key);
std::optional<std::uint32_t> read_optional_u32(const JsonObject& o, std::string_view key);
std::vector<std::uint32_t> read_u32s(const JsonObject& o, std::string_view key);  // absent: empty
void require_absolute(const JsonObject& o, std::string_view key, std::string_view path);

LinuxSpec read_linux(const JsonObject& linux_object);
Resources read_resources(const JsonObject& resources_object);

bool is_seccomp_action(std::string_view name);
bool is_seccomp_operator(std::string_view name);
bool is_propagation(std::string_view name);
std::string propagation_choices();  // "private, rprivate, …" for messages

}  // namespace pod::core::oci::detail
