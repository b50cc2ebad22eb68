// Human-readable sizes and ages as podman prints them (docker/go-units style):
// "4.34 MB" (SI, 3 significant digits), "2 weeks ago".
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>

namespace pod::tools {

std::string human_size(std::uint64_t bytes);
// As `pod stats` prints them (go-units' HumanSize): 4 significant digits, no space: "1.016MB".
std::string compact_size(std::uint64_t bytes);
std::string human_age(std::time_t then, std::time_t now);
// Parses "2024-01-02T03:04:05Z" (fractional seconds and offsets accepted); nullopt if not.
std::optional<std::time_t> parse_rfc3339(const std::string& text);

}  // namespace pod::tools
