#include "libcore/config/config_file.hpp"

#include "libcore/sys/files.hpp"

namespace pod::core::config {

std::optional<std::string> try_read_config_file(const std::string& path) { return try_read_file(path, kConfigFileLimit); }

}  // namespace pod::core::config
