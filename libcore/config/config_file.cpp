#include "libcore/config/config_file.hpp"

#include <cerrno>

#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"

namespace pod::core::config {

std::optional<std::string> try_read_config_file(const std::string& path) {
  try {
    return read_file(path, kConfigFileLimit);
  } catch (const SysError& e) {
    if (e.error_number() == ENOENT || e.error_number() == ENOTDIR) return std::nullopt;
    throw;
  }
}

}  // namespace pod::core::config
