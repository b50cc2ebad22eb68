// Creating a container from a bundle (`pod-runtime create`), the order and its reasons:
//
//   runtime: parse and check config.json (all errors before anything irreversible) → reserve
//     <root>/<id> → make exec.fifo → fork stage 1
//   stage 1: unshare the user namespace first (rootless: every other namespace must be owned
//     by it) → ask for maps, wait → become root in it → join or unshare mount, uts, ipc, net,
//     cgroup → unshare pid and fork the init (a pid namespace only takes effect for children)
//     → report the init's pid → exit
//   runtime: write the maps (directly for a single own-id range, else newuidmap/newgidmap) →
//     learn the init's pid → wait for "created" or the init's error
//   init: setsid → (createRuntime hooks, run by the runtime) → hostname → root filesystem
//     (setup_rootfs; createContainer hooks before pivot_root) → terminal → limits, user,
//     capabilities → executable resolved → "created" → blocks opening exec.fifo for writing
//     until `start` opens it for reading → startContainer hooks → seccomp → exec.
// The runtime is a child subreaper, so the init (orphaned when stage 1 exits) is its child
// and `run` can wait for it.
#pragma once

#include <string>

#include "libcore/oci/runtime_spec.hpp"
#include "rootless/runtime/state.hpp"

namespace pod::rootless::runtime {

struct CreateOptions {
  std::string bundle;    // directory with config.json
  std::string pid_file;  // optional: the init's pid is written here
  // With process.terminal: where the pty master is sent — a connected socket (console_fd,
  // `run` relaying the pty itself) or the path of a listening one (--console-socket).
  std::string console_socket;
  int console_fd = -1;
  int preserve_fds = 0;  // fds 3 … 3+N-1 of the caller stay open in the container
};

// Returns the recorded state; on failure nothing of the container is left.
ContainerState create_container(const StateStore& store, const std::string& id, const CreateOptions& options);

// Lets the parked init exec, then runs the poststart hooks. Error(conflict) unless the
// container is "created".
void start_container(const StateStore& store, const std::string& id);

// Removes the container's state, then runs the poststop hooks (the container must be stopped).
void delete_container(const StateStore& store, const std::string& id);

// config.json of a bundle, checked for what pod-runtime can do. Error(invalid_input) naming the
// file and field.
core::oci::RuntimeSpec load_bundle_spec(const std::string& bundle);

// Waits for the init (the caller must be its parent, i.e. the subreaper that created it) and
// returns its exit code, 128+signal when killed.
int wait_container(pid_t pid);

}  // namespace pod::rootless::runtime
