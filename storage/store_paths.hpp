// Where the store and the runtime state live, as Podman decides it:
//   root:     graph root  /var/lib/pod          rootless: $XDG_DATA_HOME/pod (~/.local/share/pod)
//   rootless runroot:     $XDG_RUNTIME_DIR/pod, else /tmp/pod-run-<uid> (no session: PID 1 not systemd)
//   root runroot:         /run/pod
// Global --root / --runroot override either.
#pragma once

#include <sys/types.h>

#include <string>

#include "libcore/sys/environment.hpp"

namespace pod::storage {

struct StorePaths {
  std::string root;     // the store: blobs, layers, images, containers
  std::string runroot;  // runtime state: locks of running things, sockets
};

// Throws Error when a rootless user has neither $XDG_DATA_HOME nor $HOME.
StorePaths default_store_paths(uid_t euid, const EnvLookup& env);

}  // namespace pod::storage
