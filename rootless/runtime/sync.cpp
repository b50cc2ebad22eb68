#include "rootless/runtime/sync.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "libcore/sys/error.hpp"

namespace pod::rootless::runtime {
namespace {

struct Header {
  int kind;
  long value;
};

constexpr std::size_t kMaxMessage = 4096;

}  // namespace

const char* describe(SyncKind kind) {
  switch (kind) {
    case SyncKind::maps_please: return "a request for id maps";
    case SyncKind::maps_done: return "the id maps";
    case SyncKind::init_pid: return "the init's pid";
    case SyncKind::created: return "\"created\"";
    case SyncKind::error: return "an error";
  }
  return "an unknown message";
}

std::pair<SyncSocket, SyncSocket> SyncSocket::pair() {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0) throw_errno("socketpair");
  return {SyncSocket(UniqueFd(fds[0])), SyncSocket(UniqueFd(fds[1]))};
}

void SyncSocket::send(SyncKind kind, long value, const std::string& text) const {
  char buf[kMaxMessage];
  const Header h{static_cast<int>(kind), value};
  std::memcpy(buf, &h, sizeof h);
  const std::size_t n = std::min(text.size(), kMaxMessage - sizeof h);
  std::memcpy(buf + sizeof h, text.data(), n);
  while (::send(fd_.get(), buf, sizeof h + n, MSG_NOSIGNAL) < 0) {
    if (errno != EINTR) throw_errno("send to the runtime");
  }
}

SyncMessage SyncSocket::receive(SyncKind expected, const char* peer) const {
  char buf[kMaxMessage];
  ssize_t n;
  while ((n = ::recv(fd_.get(), buf, sizeof buf, 0)) < 0) {
    if (errno != EINTR) throw_errno("receive from", peer);
  }
  if (n == 0) {
    throw Error(std::string("waiting for ") + describe(expected) + ": the " + peer + " exited without a word");
  }
  if (static_cast<std::size_t>(n) < sizeof(Header)) throw Error(std::string("a short message from the ") + peer);
  Header h{};
  std::memcpy(&h, buf, sizeof h);
  SyncMessage m{static_cast<SyncKind>(h.kind), h.value, std::string(buf + sizeof h, static_cast<std::size_t>(n) - sizeof h)};
  if (m.kind == SyncKind::error) throw Error(m.text);
  if (m.kind != expected) {
    throw Error(std::string("expected ") + describe(expected) + " from the " + peer + ", got " + describe(m.kind));
  }
  return m;
}

}  // namespace pod::rootless::runtime
