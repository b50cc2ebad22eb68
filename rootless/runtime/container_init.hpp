// The processes that set a container up (see create.hpp): stage 1 and the init. Both run in
// a child of the runtime, never return, and report failures over the sync socket.
#pragma once

#include "libcore/oci/runtime_spec.hpp"
#include "rootless/runtime/sync.hpp"

namespace pod::rootless::runtime {

class SeccompFilter;

struct InitContext {
  const core::oci::RuntimeSpec* spec = nullptr;
  std::string rootfs;     // absolute
  std::string fifo;       // exec.fifo, opened before pivot_root
  bool rootless = false;
  const SeccompFilter* seccomp = nullptr;  // built by the runtime from linux.seccomp
  int console_socket = -1;                 // connected, with process.terminal
  int preserve_fds = 0;
};

// Joins a namespace by path, or makes a new one (unshare).
void enter_namespace(const core::oci::Namespace& ns);
int clone_flag(core::oci::NamespaceType type);

[[noreturn]] void run_stage1(const InitContext& context, SyncSocket& sync);

}  // namespace pod::rootless::runtime
