#include "rootless/runtime/sync.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "libcore/sys/error.hpp"

namespace pod::rootless::runtime {
namespace {

struct Header {
  int kind;
  long value;
};

constexpr std::size_t kMaxMessage = 65536;  // a state JSON with large annotations

}  // namespace

const char* describe(SyncKind kind) {
  switch (kind) {
    case SyncKind::maps_please: return "a request for id maps";
    case SyncKind::maps_done: return "the id maps";
    case SyncKind::init_pid: return "the init's pid";
    case SyncKind::hooks_please: return "a request for createRuntime hooks";
    case SyncKind::hooks_done: return "the end of the createRuntime hooks";
    case SyncKind::created: return "\"created\"";
    case SyncKind::error: return "an error";
    case SyncKind::cgroup_joined: return "the move into the container's cgroup";
  }
  return "an unknown message";
}

std::pair<SyncSocket, SyncSocket> SyncSocket::pair() {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0) throw_errno("socketpair");
  return {SyncSocket(UniqueFd(fds[0])), SyncSocket(UniqueFd(fds[1]))};
}

void SyncSocket::send(SyncKind kind, long value, const std::string& text) const {
  std::vector<char> buf(kMaxMessage);
  const Header h{static_cast<int>(kind), value};
  std::memcpy(buf.data(), &h, sizeof h);
  const std::size_t n = std::min(text.size(), kMaxMessage - sizeof h);
  std::memcpy(buf.data() + sizeof h, text.data(), n);
  while (::send(fd_.get(), buf.data(), sizeof h + n, MSG_NOSIGNAL) < 0) {
    if (errno != EINTR) throw_errno("send to the runtime");
  }
}

std::optional<SyncMessage> SyncSocket::receive_any(const char* peer) const {
  std::vector<char> buf(kMaxMessage);
  ssize_t n;
  while ((n = ::recv(fd_.get(), buf.data(), buf.size(), 0)) < 0) {
    if (errno != EINTR) throw_errno("receive from", peer);
  }
  if (n == 0) return std::nullopt;
  if (static_cast<std::size_t>(n) < sizeof(Header)) throw Error(std::string("a short message from the ") + peer);
  Header h{};
  std::memcpy(&h, buf.data(), sizeof h);
  SyncMessage m{static_cast<SyncKind>(h.kind), h.value,
                std::string(buf.data() + sizeof h, static_cast<std::size_t>(n) - sizeof h)};
  if (m.kind == SyncKind::error) throw Error(m.text);
  return m;
}

SyncMessage SyncSocket::receive(SyncKind expected, const char* peer) const {
  auto m = receive_any(peer);
  if (!m) throw Error(std::string("waiting for ") + describe(expected) + ": the " + peer + " exited without a word");
  if (m->kind != expected) {
    throw Error(std::string("expected ") + describe(expected) + " from the " + peer + ", got " + describe(m->kind));
  }
  return *m;
}

}  // namespace pod::rootless::runtime
