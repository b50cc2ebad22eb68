// One container's cgroup: a child named by config.json's cgroupsPath under the cgroup(s) the
// user may write (layout.hpp), with linux.resources written into it. pod-runtime creates it
// before the container's init can exec, moves the init (and exec'd processes) in, and removes
// it on delete. A limit whose controller is not delegated is refused, naming the controller,
// why it is missing and `pod info`.
//   v1: one directory per controller (memory, pids, cpu, cpuset, blkio);
//   v2: one directory, the controllers enabled in the parent's cgroup.subtree_control.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "libcore/oci/runtime_spec.hpp"

namespace pod::rootless::cgroup {

struct Delegation;

class ContainerCgroup {
 public:
  // Creates the cgroup and writes the limits. Throws Error(unsupported) when a needed
  // controller is not delegated; nothing is left behind on failure.
  static ContainerCgroup create(const Delegation& delegation, const std::string& name,
                                const core::oci::Resources& resources);
  // The directories of an existing one (for exec and delete); empty when there is none.
  static ContainerCgroup find(const Delegation& delegation, const std::string& name);

  void add_process(pid_t pid) const;
  void remove() const;  // the processes must be gone; missing directories are fine
  bool empty() const { return dirs_.empty(); }
  const std::vector<std::string>& dirs() const { return dirs_; }

 private:
  std::vector<std::string> dirs_;
};

// The controllers `resources` needs ("memory", "pids", "cpu", "cpuset", "io").
std::vector<std::string> controllers_for(const core::oci::Resources& resources);

// cgroup v2's cpu.weight for v1's cpu.shares, as runc and crun convert it.
std::uint64_t cpu_weight_from_shares(std::uint64_t shares);

}  // namespace pod::rootless::cgroup
