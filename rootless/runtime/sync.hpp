// The messages between pod-runtime and the container's setup processes, over a
// SOCK_SEQPACKET pair (one message per send, no framing needed). Each wait names what it
// expected; a peer that died is an error, not a hang.
//
//   stage 1 → runtime   maps_please          (it has unshared its user namespace)
//   runtime → stage 1   maps_done
//   stage 1 → runtime   init_pid(pid)        (the container's init, pid 1 of its namespace)
//   init    → runtime   hooks_please         (only when the spec has create or start hooks)
//   runtime → init      hooks_done(state)    (createRuntime hooks run; the state JSON for the
//                                             init's createContainer and startContainer hooks)
//   init    → runtime   created | error(text) (set up and parked on exec.fifo, or why not)
// `exec` uses the same socket: init_pid from the joining process, then error(text) from the
// new process, or end of file when its exec succeeded (the socket is close-on-exec).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "libcore/sys/fd.hpp"

namespace pod::rootless::runtime {

enum class SyncKind : int { maps_please = 1, maps_done, init_pid, hooks_please, hooks_done, created, error, cgroup_joined };

struct SyncMessage {
  SyncKind kind = SyncKind::error;
  long value = 0;
  std::string text;
};

class SyncSocket {
 public:
  static std::pair<SyncSocket, SyncSocket> pair();
  explicit SyncSocket(UniqueFd fd) : fd_(std::move(fd)) {}

  // Async-signal-safe enough for a forked child: one send(2), no allocation beyond `text`.
  void send(SyncKind kind, long value = 0, const std::string& text = {}) const;
  // Throws Error "expected X, got Y" / "… closed the connection".
  SyncMessage receive(SyncKind expected, const char* peer) const;
  // Any message but an error (thrown); nullopt when the peer closed its end.
  std::optional<SyncMessage> receive_any(const char* peer) const;
  void close() { fd_.reset(); }
  int fd() const { return fd_.get(); }

 private:
  UniqueFd fd_;
};

const char* describe(SyncKind kind);

}  // namespace pod::rootless::runtime
