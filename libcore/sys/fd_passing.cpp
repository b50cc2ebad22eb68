#include "libcore/sys/fd_passing.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>

#include "libcore/sys/error.hpp"

namespace pod {
namespace {

sockaddr_un address_of(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) {
    throw Error("unix socket path " + quote(path) + " is longer than " + std::to_string(sizeof addr.sun_path - 1) +
                    " bytes",
                ErrorKind::invalid_input);
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return addr;
}

UniqueFd unix_socket(int type) {
  UniqueFd fd(::socket(AF_UNIX, type | SOCK_CLOEXEC, 0));
  if (!fd) throw_errno("socket");
  return fd;
}

// sun_path holds 107 bytes: a longer path is reached through its directory's fd
// ("/proc/self/fd/N/name"), held open while `fn` binds or connects.
template <class Fn>
void with_address(const std::string& path, Fn&& fn) {
  if (path.size() < sizeof(sockaddr_un::sun_path)) return fn(address_of(path));
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  const UniqueFd dir_fd(::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dir_fd) throw_errno("open the directory of socket", path);
  fn(address_of("/proc/self/fd/" + std::to_string(dir_fd.get()) + "/" + path.substr(slash + 1)));
}

// One iovec of payload and room for one descriptor: the message both directions use.
struct FdMessage {
  char payload[256] = {};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  iovec iov{};
  msghdr header{};

  explicit FdMessage(std::size_t payload_size) {
    iov = {payload, payload_size};
    header.msg_iov = &iov;
    header.msg_iovlen = 1;
    header.msg_control = control;
    header.msg_controllen = sizeof control;
  }
};

}  // namespace

void send_fd(int socket, int fd, const std::string& name) {
  FdMessage m(std::max<std::size_t>(1, std::min(name.size(), sizeof FdMessage::payload)));
  std::memcpy(m.payload, name.data(), std::min(name.size(), sizeof m.payload));
  cmsghdr* cmsg = CMSG_FIRSTHDR(&m.header);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(cmsg), &fd, sizeof fd);
  while (::sendmsg(socket, &m.header, MSG_NOSIGNAL) < 0) {
    if (errno != EINTR) throw_errno("send a file descriptor");
  }
}

UniqueFd receive_fd(int socket) {
  FdMessage m(sizeof FdMessage::payload);
  ssize_t n;
  while ((n = ::recvmsg(socket, &m.header, MSG_CMSG_CLOEXEC)) < 0) {
    if (errno != EINTR) throw_errno("receive a file descriptor");
  }
  if (n == 0) throw Error("the peer closed the socket without sending a file descriptor");
  for (cmsghdr* c = CMSG_FIRSTHDR(&m.header); c != nullptr; c = CMSG_NXTHDR(&m.header, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len == CMSG_LEN(sizeof(int))) {
      int fd = -1;
      std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
      return UniqueFd(fd);
    }
  }
  throw Error("a message without a file descriptor arrived where one was expected");
}

UniqueFd connect_unix(const std::string& path, int type) {
  UniqueFd fd = unix_socket(type);
  with_address(path, [&](const sockaddr_un& addr) {
    while (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
      if (errno != EINTR) throw_errno("connect to", path);
    }
  });
  return fd;
}

UniqueFd listen_unix(const std::string& path, int type) {
  UniqueFd fd = unix_socket(type);
  with_address(path, [&](const sockaddr_un& addr) {
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) throw_errno("bind", path);
  });
  if (::listen(fd.get(), 16) != 0) throw_errno("listen on", path);
  return fd;
}

}  // namespace pod
