// `-u`/USER as Docker resolves it: "name", "uid", "name:group", "uid:gid", looked up in the
// container's own /etc/passwd and /etc/group (read inside the root filesystem, never through a
// link out of it). A numeric uid absent from passwd runs with gid 0; supplementary groups are
// the groups listing the user.
#pragma once

#include <string>

#include "libcore/oci/runtime_spec.hpp"

namespace pod::rootless::container {

// Throws Error(invalid_input) "user `x` is not in the container's /etc/passwd".
core::oci::ProcessUser resolve_user(const std::string& rootfs, const std::string& spec);

}  // namespace pod::rootless::container
