// Reading the small configuration files of libcore/config (registries.conf, auth.json).
#pragma once

#include <optional>
#include <string>

namespace pod::core::config {

// Config files are small; anything larger is refused rather than read into memory.
inline constexpr std::size_t kConfigFileLimit = 1u << 20;

// The whole file, or nullopt when it does not exist (an optional file is an expected
// outcome). Other failures (permissions, a directory, over the limit) throw pod::Error.
std::optional<std::string> try_read_config_file(const std::string& path);

}  // namespace pod::core::config
