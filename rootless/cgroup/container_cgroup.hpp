// One container's cgroup: a child named by config.json's cgroupsPath under the cgroup(s) the
// user may write (layout.hpp). pod-runtime creates it before the container's init can exec —
// with every delegated controller, so a container without limits is still counted (pod stats)
// and can be frozen and updated —, moves the init (and exec'd processes) in, and removes it on
// delete. A limit whose controller is not delegated is refused, naming the controller, why it
// is missing and `pod info`.
//   v2:     one directory, the controllers enabled in the parent's cgroup.subtree_control;
//   v1:     one directory per controller hierarchy (memory, pids, cpu, cpuacct, cpuset, blkio,
//           freezer);
//   hybrid: both — the cgroup2 directory for membership, freezing and CPU time, v1 for limits.
#pragma once

#include <sys/types.h>

#include <map>
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
  // The directories of an existing one (for exec, stats, update and delete); empty when there
  // is none.
  static ContainerCgroup find(const Delegation& delegation, const std::string& name);

  void add_process(pid_t pid) const;
  void remove() const;  // the processes must be gone; missing directories are fine
  // Writes new limits (pod update). Error(unsupported) naming a controller it has no directory
  // of — one that was not delegated when the container was created.
  void update(const core::oci::Resources& resources) const;
  // Freezes or thaws every process (pod pause/unpause) and waits until the kernel is done.
  void set_frozen(bool frozen) const;
  bool frozen() const;

  bool empty() const { return v2_dir_.empty() && v1_dirs_.empty(); }
  std::vector<std::string> dirs() const;  // each directory once
  const std::string& v2_dir() const { return v2_dir_; }
  const std::vector<std::string>& v2_controllers() const { return v2_controllers_; }
  const std::map<std::string, std::string>& v1_dirs() const { return v1_dirs_; }  // controller → dir
  // Whether the cgroup2 directory holds `controller` (else its v1 directory does, if any).
  bool in_v2(const std::string& controller) const;

 private:
  std::string v2_dir_;
  std::vector<std::string> v2_controllers_;  // enabled for it in the parent's subtree_control
  std::map<std::string, std::string> v1_dirs_;
};

// The controllers `resources` needs ("memory", "pids", "cpu", "cpuset", "io").
std::vector<std::string> controllers_for(const core::oci::Resources& resources);

// cgroup v2's cpu.weight for v1's cpu.shares, as runc and crun convert it.
std::uint64_t cpu_weight_from_shares(std::uint64_t shares);

}  // namespace pod::rootless::cgroup
