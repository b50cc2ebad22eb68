// A process's namespaces as files (/proc/PID/ns/TYPE), for joining them with setns: the
// runtime's exec, pod cp's fork into a running container, pod-slirp's tap, and a container
// that joins another's network.
#pragma once

#include <sys/types.h>

#include <string_view>

#include "libcore/sys/fd.hpp"

namespace pod::rootless {

// /proc/PID/ns/TYPE ("user", "net", "mnt"…), opened close-on-exec. Error naming the path.
UniqueFd open_namespace(pid_t pid, std::string_view type);

// Whether `user_namespace` (an open /proc/…/ns/user) is the one this process is in: joining
// it again would fail (setns refuses the caller's own user namespace).
bool is_own_user_namespace(int user_namespace);

}  // namespace pod::rootless
