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

}  // namespace pod::tools
