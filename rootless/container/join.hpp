// Running code inside a container's view of the filesystem, in a child process: joined to a
// running container's user and mount namespaces (from outside any user namespace of pod's),
// or chrooted into a stopped container's mounted root (inside pod's). Either way paths are
// the container's own, and a link can never lead out of it.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>

#include "libcore/sys/fd.hpp"

namespace pod::rootless::container {

struct Child {
  pid_t pid = -1;
  UniqueFd errors;  // the child's error message, if it fails
};

// Forks; the child enters `init`'s namespaces and runs `work`.
Child fork_into_running(pid_t init, const std::function<void()>& work);
// Forks; the child chroots into `root` and runs `work`.
Child fork_into_root(const std::string& root, const std::function<void()>& work);

// Waits for such a child; throws Error with its message when it failed.
void wait_for_child(Child& child);

}  // namespace pod::rootless::container
