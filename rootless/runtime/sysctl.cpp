#include "rootless/runtime/sysctl.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"

namespace pod::rootless::runtime {
namespace {

using core::oci::NamespaceType;

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

bool has_new_namespace(const core::oci::RuntimeSpec& spec, NamespaceType type) {
  if (!spec.linux_spec) return false;
  const auto& list = spec.linux_spec->namespaces;
  return std::any_of(list.begin(), list.end(), [type](const auto& ns) { return ns.type == type; });
}

std::optional<NamespaceType> namespace_for(const std::string& key) {
  if (starts_with(key, "net.")) return NamespaceType::network;
  if (starts_with(key, "fs.mqueue.") || starts_with(key, "kernel.msg") || starts_with(key, "kernel.shm") ||
      key == "kernel.sem") {
    return NamespaceType::ipc;
  }
  if (key == "kernel.hostname" || key == "kernel.domainname") return NamespaceType::uts;
  return std::nullopt;
}

bool well_formed(const std::string& key) {
  if (key.empty() || key.front() == '.' || key.find("..") != std::string::npos) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' || c == '/';
  });
}

}  // namespace

void check_sysctls(const core::oci::RuntimeSpec& spec) {
  if (!spec.linux_spec) return;
  for (const auto& [key, value] : spec.linux_spec->sysctl) {
    if (!well_formed(key)) throw Error("linux.sysctl: " + quote(key) + " is not a sysctl name", ErrorKind::invalid_input);
    const auto ns = namespace_for(key);
    if (!ns) {
      throw Error("linux.sysctl: " + quote(key) + " is not namespaced: setting it would change the host",
                  ErrorKind::invalid_input);
    }
    if (!has_new_namespace(spec, *ns)) {
      throw Error("linux.sysctl: " + quote(key) + " needs the container to have its own " +
                      std::string(core::oci::to_string(*ns)) + " namespace",
                  ErrorKind::invalid_input);
    }
  }
}

void write_sysctls(const std::map<std::string, std::string>& sysctls) {
  for (const auto& [key, value] : sysctls) {
    std::string path = "/proc/sys/" + key;
    std::replace(path.begin() + 10, path.end(), '.', '/');
    const UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd) throw_errno("open sysctl", path);
    if (::write(fd.get(), value.data(), value.size()) < 0) throw_errno("set sysctl " + key + " to", value);
  }
}

}  // namespace pod::rootless::runtime
