#include "rootless/namespace_files.hpp"

#include <fcntl.h>

#include <string>

#include "libcore/sys/error.hpp"

namespace pod::rootless {

UniqueFd open_namespace(pid_t pid, std::string_view type) {
  const std::string path = "/proc/" + std::to_string(pid) + "/ns/" + std::string(type);
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw_errno("open the namespace", path);
  return fd;
}

bool is_own_user_namespace(int user_namespace) {
  const UniqueFd own(::open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC));
  return own && same_file(own.get(), user_namespace);
}

}  // namespace pod::rootless
