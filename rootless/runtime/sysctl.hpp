// linux.sysctl: kernel parameters written through the container's /proc/sys. Only namespaced
// ones are accepted (as runc checks), so a container never changes the host: net.* with its own
// network namespace; kernel.msg*, kernel.sem, kernel.shm* and fs.mqueue.* with its own ipc
// namespace; kernel.hostname and kernel.domainname with its own uts namespace.
#pragma once

#include <map>
#include <string>

#include "libcore/oci/runtime_spec.hpp"

namespace pod::rootless::runtime {

// Pure: throws Error(invalid_input) naming the key and the namespace it needs.
void check_sysctls(const core::oci::RuntimeSpec& spec);

// Inside the container, after pivot_root and before /proc/sys is made read-only.
void write_sysctls(const std::map<std::string, std::string>& sysctls);

}  // namespace pod::rootless::runtime
