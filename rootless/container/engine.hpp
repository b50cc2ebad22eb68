// What pod needs to drive containers: the store, the runroot, the helpers, and how to call pod
// itself back (the monitor's exit command for --rm).
#pragma once

#include <sys/types.h>

#include <string>
#include <functional>
#include <vector>

#include "libcore/sys/error.hpp"
#include "storage/container_store.hpp"
#include "storage/store.hpp"

namespace pod::rootless::container {

struct Engine {
  const storage::Store* store = nullptr;
  std::string runroot;
  bool rootless = true;
  bool single_id = false;             // pod's user namespace maps only the user's id
  std::string storage_driver;         // forced (--storage-driver), or empty
  std::vector<std::string> pod_argv;  // pod and its global flags, for commands run on its behalf

  std::string runtime_root() const { return runroot + "/runtime"; }
};


// Mounts the container's root filesystem on <dir>/merged in this process's mount namespace,
// unless it is mounted there already.
void mount_container_root(const Engine& engine, const storage::ContainerRecord& record);

// Removes a stopped container: unmounts its root filesystem where this process has it mounted
// (the creating `pod run`, or its monitor running `rm` for --rm), its sockets, its directory.
// Error(not_found) when another process removed it first.
void remove_container(const Engine& engine, const storage::ContainerRecord& record);

// A container that could not start: the runtime's message, and the exit code pod passes on
// (127: the command was not found, 126: it cannot be run, 125: anything else).
struct StartFailure : Error {
  StartFailure(const std::string& message, int code) : Error(message), exit_code(code) {}
  int exit_code;
};

// The first half of `start`: mounts the root filesystem and starts the container's monitor,
// which runs the runtime's create. Returns the init's pid (parked until start_prepared).
// Throws StartFailure; nothing is left running then.
pid_t prepare_container(const Engine& engine, const storage::ContainerRecord& record);

// The second half: the runtime's start; the container runs.
void start_prepared(const Engine& engine, const storage::ContainerRecord& record);

}  // namespace pod::rootless::container
