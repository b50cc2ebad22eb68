// What a container is doing, derived from files (no daemon keeps it in memory), so any pod
// process sees the same: containers/<id>/
//   init.json   {"pid", "start_time", "monitor_pid"} — written by pod-monitor once the runtime
//               created the container (its init parked, or running once started)
//   started     RFC 3339 — written by `pod start` after the runtime's start
//   exit.json   {"exit_code", "finished_at", "oom_killed"} — written by pod-monitor when the
//               init is gone
//   paused      written by `pod pause` once the runtime froze the container, removed by unpause
// created: no init.json or not started; running: started and the init (same start time) runs;
// exited: exit.json, or the init is gone without one (its monitor was killed: exit code -1).
#pragma once

#include <sys/types.h>

#include <string>

#include "storage/container_store.hpp"

namespace pod::storage {

enum class ContainerStatus { created, running, exited };
std::string_view to_string(ContainerStatus status);

struct ContainerState {
  ContainerStatus status = ContainerStatus::created;
  pid_t pid = 0;  // the init's, while it lives
  pid_t monitor_pid = 0;
  int exit_code = 0;
  bool oom_killed = false;  // the kernel killed a process of it for memory
  bool paused = false;      // running, but frozen by `pod pause`
  std::string started_at;
  std::string finished_at;
};

// `dir` is the container's directory (ContainerStore::dir).
ContainerState container_state(const std::string& dir);

// The monitor writes exit.json first, then deletes the runtime's state and the container's
// cgroup: waits (up to 5 s) until it is done, so the container can be removed or started
// again — unless the caller is that monitor's own exit command (--rm), which it waits for.
void wait_for_monitor(const std::string& dir);

struct InitInfo {
  pid_t pid = 0;
  std::uint64_t start_time = 0;
  pid_t monitor_pid = 0;
};
void write_init_info(const std::string& dir, const InitInfo& info);
void write_started(const std::string& dir);
void write_exit(const std::string& dir, int exit_code, bool oom_killed = false);
void write_paused(const std::string& dir, bool paused);
// Forgets the last run (before a restart): init.json, started, exit.json, paused.
void clear_run_state(const std::string& dir);

}  // namespace pod::storage
