#include "tests/support/registry_proxy/net.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "libcore/sys/error.hpp"

namespace pod::testsupport::proxy {
namespace {

constexpr std::size_t kBufferSize = 64 * 1024;

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

std::string describe(std::uint16_t port) { return "127.0.0.1:" + std::to_string(port); }

UniqueFd tcp_socket() {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) throw_errno("create socket");
  return fd;
}

}  // namespace

UniqueFd listen_loopback(std::uint16_t port) {
  UniqueFd fd = tcp_socket();
  const int one = 1;
  if (::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0) throw_errno("set SO_REUSEADDR");
  const sockaddr_in addr = loopback(port);
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) throw_errno("bind", describe(port));
  if (::listen(fd.get(), 128) != 0) throw_errno("listen", describe(port));
  return fd;
}

std::uint16_t local_port(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) throw_errno("getsockname");
  return ntohs(addr.sin_port);
}

UniqueFd connect_loopback(std::uint16_t port) {
  UniqueFd fd = tcp_socket();
  const sockaddr_in addr = loopback(port);
  while (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno != EINTR) throw_errno("connect to", describe(port));
  }
  return fd;
}

void send_all(int fd, std::string_view data, std::string_view peer) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("send to", peer);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

void end_sending(int fd) {
  ::shutdown(fd, SHUT_WR);  // best effort: the peer may be gone already
}

Reader::Reader(int fd, std::string peer) : fd_(fd), peer_(std::move(peer)), buffer_(kBufferSize) {}

bool Reader::fill() {
  begin_ = end_ = 0;
  for (;;) {
    const ssize_t n = ::recv(fd_, buffer_.data(), buffer_.size(), 0);
    if (n >= 0) {
      end_ = static_cast<std::size_t>(n);
      return n > 0;
    }
    if (errno != EINTR) throw_errno("receive from", peer_);
  }
}

std::optional<std::string> Reader::read_head(std::size_t limit) {
  std::string head;
  for (;;) {
    if (begin_ == end_ && !fill()) {
      if (head.empty()) return std::nullopt;
      throw Error("receiving a message head from " + quote(peer_) + ": connection closed midway");
    }
    while (begin_ < end_) {
      head.push_back(buffer_[begin_++]);
      // A TLS handshake record (0x16) where a request line belongs: a client trying HTTPS on
      // this plain-HTTP port. Answer at once, as real HTTP servers do, instead of waiting.
      if (head.size() == 1 && head[0] == '\x16') {
        throw Error("a TLS handshake on a plain-HTTP port", ErrorKind::invalid_input);
      }
      if (head == "\r\n" || head == "\n") {  // stray line ends before a request line (RFC 9112 §2.2)
        head.clear();
        continue;
      }
      if (head.ends_with("\r\n\r\n") || head.ends_with("\n\n")) return head;
      if (head.size() > limit)
        throw Error(
            "receiving a message head from " + quote(peer_) + ": longer than " + std::to_string(limit) + " bytes",
            ErrorKind::invalid_input);
    }
  }
}

std::string Reader::read_line(std::size_t limit) {
  std::string line;
  for (;;) {
    if (begin_ == end_ && !fill()) throw Error("receiving a line from " + quote(peer_) + ": connection closed midway");
    while (begin_ < end_) {
      line.push_back(buffer_[begin_++]);
      if (line.back() == '\n') return line;
      if (line.size() > limit)
        throw Error("receiving a line from " + quote(peer_) + ": longer than " + std::to_string(limit) + " bytes",
                    ErrorKind::invalid_input);
    }
  }
}

std::string_view Reader::read_some(std::size_t max) {
  if (begin_ == end_ && !fill()) return {};
  const std::size_t n = std::min(max, end_ - begin_);
  const std::string_view out(buffer_.data() + begin_, n);
  begin_ += n;
  return out;
}

}  // namespace pod::testsupport::proxy
