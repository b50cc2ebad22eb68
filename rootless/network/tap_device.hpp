// The container's end of user-mode networking: a tap device inside its network namespace,
// configured as slirp4netns configures it (address, MTU, up, default route through the
// gateway; lo up), whose file descriptor pod-slirp reads and writes from the host's side.
#pragma once

#include <netinet/in.h>
#include <sys/types.h>

#include <string>

#include "libcore/sys/fd.hpp"

namespace pod::rootless::network {

struct TapConfig {
  std::string name = "tap0";
  unsigned mtu = 65520;
  in_addr address{};  // 10.0.2.100
  in_addr netmask{};  // 255.255.255.0
  in_addr gateway{};  // 10.0.2.2
};

// Creates and configures the device in the network namespace of `pid` (joining its user
// namespace first when that is not this process's own), from a forked child, and returns the
// device's descriptor, which works from any namespace. Throws Error naming what failed — with
// the fix when /dev/net/tun may not be opened.
UniqueFd create_tap(pid_t pid, const TapConfig& config);

}  // namespace pod::rootless::network
