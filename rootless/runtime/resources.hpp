// What pod-runtime does to a running container through its cgroup: pause, resume (freezer)
// and update (new limits), as runc and crun do.
#pragma once

#include <string>

#include "libcore/oci/runtime_spec.hpp"
#include "rootless/runtime/state.hpp"

namespace pod::rootless::cgroup {
class ContainerCgroup;
}

namespace pod::rootless::runtime {

// The container's cgroup; Error(unsupported) when it got none (nothing delegated).
cgroup::ContainerCgroup cgroup_of(const ContainerState& state);

void pause_container(const StateStore& store, const std::string& id);
void resume_container(const StateStore& store, const std::string& id);
void update_container(const StateStore& store, const std::string& id, const core::oci::Resources& resources);

}  // namespace pod::rootless::runtime
