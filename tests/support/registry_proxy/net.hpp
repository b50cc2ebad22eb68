// Loopback TCP for the proxy: listening, connecting and a buffered reader for HTTP framing.
// Every socket is SOCK_CLOEXEC and owned by a UniqueFd. Nothing here ever binds or connects
// to anything but 127.0.0.1.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libcore/sys/fd.hpp"

namespace pod::testsupport::proxy {

// A listening socket on 127.0.0.1:port (0: a free port the kernel picks).
UniqueFd listen_loopback(std::uint16_t port);
// The port a bound socket got.
std::uint16_t local_port(int fd);
// A connected socket to 127.0.0.1:port.
UniqueFd connect_loopback(std::uint16_t port);
// Sends everything (MSG_NOSIGNAL, EINTR retried); throws SysError naming `peer`.
void send_all(int fd, std::string_view data, std::string_view peer);
// Ends our sending side (FIN, not RST): the peer reads every byte we wrote, then the end.
// A body cut this way arrives short, and the client sees a premature end.
void end_sending(int fd);

// Reads an HTTP byte stream through a 64 KiB buffer: message heads, chunk lines, raw bytes.
// Does not own the fd. Failures throw pod::Error naming `peer`. Not thread-safe.
class Reader {
 public:
  Reader(int fd, std::string peer);

  // The head of a message up to and including its empty line. nullopt if the peer closed
  // before sending a byte of it; throws if it closed midway or the head exceeds `limit`.
  std::optional<std::string> read_head(std::size_t limit);
  // One line including its line end; throws at EOF or beyond `limit`.
  std::string read_line(std::size_t limit);
  // Up to `max` bytes, buffered ones first; empty only at EOF.
  std::string_view read_some(std::size_t max);
  const std::string& peer() const { return peer_; }

 private:
  bool fill();  // false at EOF

  int fd_;
  std::string peer_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

}  // namespace pod::testsupport::proxy
