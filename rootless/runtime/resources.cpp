#include "rootless/runtime/resources.hpp"

#include "libcore/sys/error.hpp"
#include "rootless/cgroup/container_cgroup.hpp"
#include "rootless/cgroup/layout.hpp"

namespace pod::rootless::runtime {
namespace {

ContainerState live(const StateStore& store, const std::string& id, Status wanted, const char* verb) {
  const ContainerState state = store.load(id);
  const Status status = store.status(state);
  if (status != wanted) {
    throw Error(std::string("cannot ") + verb + " container " + quote(id) + ": it is " + std::string(to_string(status)),
                ErrorKind::conflict);
  }
  return state;
}

}  // namespace

cgroup::ContainerCgroup cgroup_of(const ContainerState& state) {
  const auto cg = state.cgroup.empty() ? cgroup::ContainerCgroup()
                                       : cgroup::ContainerCgroup::find(cgroup::own_delegation(), state.cgroup);
  if (cg.empty()) {
    throw Error("container " + quote(state.id) + " has no cgroup: none was delegated to this user when it was created (see `pod info`)",
                ErrorKind::unsupported);
  }
  return cg;
}

void pause_container(const StateStore& store, const std::string& id) {
  cgroup_of(live(store, id, Status::running, "pause")).set_frozen(true);
}

void resume_container(const StateStore& store, const std::string& id) {
  cgroup_of(live(store, id, Status::paused, "resume")).set_frozen(false);
}

void update_container(const StateStore& store, const std::string& id, const core::oci::Resources& resources) {
  const ContainerState state = store.load(id);
  if (store.status(state) == Status::stopped) {
    throw Error("cannot update container " + quote(id) + ": it is stopped", ErrorKind::conflict);
  }
  cgroup_of(state).update(resources);
}

}  // namespace pod::rootless::runtime
