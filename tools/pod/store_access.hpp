// Opening the store for a verb: rootless commands first move into pod's user namespace
// (re-executing there), then the store is opened at --root or the default place.
#pragma once

#include "storage/store.hpp"
#include "tools/pod/verbs.hpp"

namespace pod::tools {

struct RunState;

struct OpenedStore {
  storage::Store store;
  bool rootless = true;
};

OpenedStore open_store(const GlobalOptions& global, const RunState& state);

// The store where the caller is, without entering the user namespace: for verbs that only read
// records or talk to running containers (ps, logs, exec, stop…). A container's namespaces can
// be joined from here, not from a fresh user namespace of pod's.
OpenedStore open_store_in_place(const GlobalOptions& global);

// --runroot, else the default for the invoking user.
std::string runroot_of(const GlobalOptions& global);

}  // namespace pod::tools
