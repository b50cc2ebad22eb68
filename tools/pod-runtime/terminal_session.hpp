// `run` and `exec -t` without --console-socket: the runtime receives the pty master itself, over
// a socket pair, and relays it to its own stdin/stdout (raw mode when they are a terminal), as
// crun does for a foreground container.
#pragma once

#include "libcore/sys/fd.hpp"

namespace pod::tools {

class ConsoleReceiver {
 public:
  ConsoleReceiver();
  // The end to give the container (CreateOptions::console_fd / ExecOptions::console_fd).
  int container_end() const { return container_end_.get(); }
  // After create/exec has returned: the master, if one was sent (the container end is closed
  // first, so a container without a terminal gives an empty fd instead of a hang).
  UniqueFd take_master();

 private:
  UniqueFd ours_;
  UniqueFd container_end_;
};

// Relays stdin/stdout ↔ `master` until the container side closes it.
void relay_session(int master);

}  // namespace pod::tools
