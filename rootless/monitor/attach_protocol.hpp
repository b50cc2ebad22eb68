// The attach socket of a container's monitor (SOCK_SEQPACKET, one frame per message): byte 0
// is the kind, the rest its payload. Clients (`pod run`, `pod attach`, `pod start -a`) get the
// container's output as it comes and its exit code at the end; they send input and sizes.
#pragma once

#include <cstdint>
#include <string>

namespace pod::rootless::monitor {

enum class Frame : std::uint8_t {
  stdin_data = 0,  // client → monitor
  stdout_data = 1,
  stderr_data = 2,
  resize = 3,      // client → monitor: rows, cols (uint16 each, host order)
  exit = 4,        // monitor → client: int32 exit code; the last frame
  stdin_eof = 5,   // client → monitor: close the container's stdin
};

inline constexpr std::size_t kMaxFrame = 65536;

// The monitor's sockets live in the runroot, named by container id.
inline std::string attach_socket_path(const std::string& runroot, const std::string& id) {
  return runroot + "/sockets/" + id + ".attach";
}
inline std::string console_socket_path(const std::string& runroot, const std::string& id) {
  return runroot + "/sockets/" + id + ".console";
}

}  // namespace pod::rootless::monitor
