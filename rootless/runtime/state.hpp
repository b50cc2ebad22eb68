// The runtime's record of a container, shared by every pod-runtime invocation (no daemon):
// <root>/<id>/state.json (written atomically) and <root>/<id>/exec.fifo, which exists from
// create until start. Status is derived, never stored stale: the init's pid must still run
// and still be the same process (its start time in /proc matches), else "stopped"; a running
// one whose cgroup is frozen is "paused".
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pod::rootless::runtime {

enum class Status { creating, created, running, paused, stopped };
std::string_view to_string(Status status);

struct ContainerState {
  std::string id;
  std::string bundle;
  pid_t pid = 0;
  std::uint64_t pid_start_time = 0;  // /proc/PID/stat field 22, guards against pid reuse
  std::string created;               // RFC 3339
  std::map<std::string, std::string> annotations;
  std::string cgroup;  // the container's cgroup name under the delegated cgroup(s); empty: none
};

class StateStore {
 public:
  explicit StateStore(std::string root) : root_(std::move(root)) {}
  // $XDG_RUNTIME_DIR/pod-runtime rootless (else /tmp/pod-runtime-<uid>), /run/pod-runtime as root.
  static std::string default_root();

  const std::string& root() const { return root_; }
  std::string dir(const std::string& id) const { return root_ + "/" + id; }
  std::string fifo(const std::string& id) const { return dir(id) + "/exec.fifo"; }

  // Creates the container's directory; Error(conflict) when the id is taken. Ids are
  // [A-Za-z0-9][A-Za-z0-9_.-]* (no path tricks).
  void reserve(const std::string& id) const;
  void save(const ContainerState& state) const;
  // Error(not_found) "container `id` does not exist".
  ContainerState load(const std::string& id) const;
  std::vector<std::string> ids() const;
  void remove(const std::string& id) const;

  Status status(const ContainerState& state) const;

 private:
  std::string root_;
};

void check_container_id(const std::string& id);

// {"ociVersion", "id", "status", "pid", "bundle", "annotations"} as the runtime spec defines it.
std::string state_json(const ContainerState& state, Status status);

}  // namespace pod::rootless::runtime
