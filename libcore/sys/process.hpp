// Running helper programs (newuidmap, hooks): spawn, capture, wait. posix_spawn keeps this
// safe to call from a multi-threaded process.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "libcore/sys/fd.hpp"

namespace pod {

struct CommandResult {
  int exit_code = -1;     // -1 when killed by a signal
  int signal = 0;
  std::string output;     // stdout and stderr together, bounded to 64 KiB
};

// A command started by start_command: finish_command collects its output and status.
struct RunningCommand {
  int pid = -1;
  std::string name;
  UniqueFd output;
};
// Starts argv[0] (searched in PATH) with stdin from /dev/null, stdout and stderr on a pipe.
RunningCommand start_command(const std::vector<std::string>& argv);
CommandResult finish_command(RunningCommand& running);

// Runs argv[0] (searched in PATH) with stdin from /dev/null and waits. Throws SysError only
// when it cannot be started at all; a non-zero exit is a result, not an exception.
CommandResult run_command(const std::vector<std::string>& argv);

// True while `pid` runs: a zombie (dead, not yet reaped — common where PID 1 is slow to reap)
// counts as gone.
bool is_process_alive(int pid);

// Field 22 of /proc/PID/stat, its start time in clock ticks (0 when gone): tells a process
// from a later one that got its pid.
std::uint64_t process_start_ticks(int pid);

// "exit code N" or "killed by signal N", for messages.
std::string describe_exit(const CommandResult& r);

}  // namespace pod

namespace pod {

// A helper program of pod's (pod-runtime, pod-monitor, …): next to the running binary (a build
// tree), in ../libexec/pod from it (an installed prefix), or in the configured libexec dir.
// Throws Error naming the places looked at.
std::string find_helper_binary(const std::string& name);

// The running binary's path (/proc/self/exe).
std::string self_executable();

}  // namespace pod
