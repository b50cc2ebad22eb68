#include "rootless/network/tap_device.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <net/route.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "libcore/sys/error.hpp"
#include "libcore/sys/fd_passing.hpp"
#include "rootless/namespace_files.hpp"

namespace pod::rootless::network {
namespace {

sockaddr ipv4(in_addr address) {
  sockaddr out{};
  auto* in = reinterpret_cast<sockaddr_in*>(&out);
  in->sin_family = AF_INET;
  in->sin_addr = address;
  return out;
}

void set_interface(int sock, unsigned long request, ifreq& ifr, const char* what) {
  if (::ioctl(sock, request, &ifr) != 0) throw_errno(std::string("set the ") + what + " of", ifr.ifr_name);
}

void bring_up(int sock, const char* name) {
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
  if (::ioctl(sock, SIOCGIFFLAGS, &ifr) != 0) throw_errno("read the flags of", name);
  ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP | IFF_RUNNING);
  set_interface(sock, SIOCSIFFLAGS, ifr, "flags");
}

UniqueFd open_tap(const TapConfig& c) {
  UniqueFd tap(::open("/dev/net/tun", O_RDWR | O_CLOEXEC));
  if (!tap) {
    const int saved = errno;
    if (saved == EACCES || saved == EPERM) {
      throw Error("cannot open /dev/net/tun: " + std::string(std::strerror(saved)) +
                  " (user-mode networking needs it; fix, as root: chmod 0666 /dev/net/tun — or use --network none)");
    }
    errno = saved;
    throw_errno("open", "/dev/net/tun");
  }
  ifreq ifr{};
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
  std::strncpy(ifr.ifr_name, c.name.c_str(), IFNAMSIZ - 1);
  if (::ioctl(tap.get(), TUNSETIFF, &ifr) != 0) throw_errno("create the tap device", c.name);
  return tap;
}

void configure(const TapConfig& c) {
  const UniqueFd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!sock) throw_errno("open a configuration socket");
  bring_up(sock.get(), "lo");
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, c.name.c_str(), IFNAMSIZ - 1);
  ifr.ifr_mtu = static_cast<int>(c.mtu);
  set_interface(sock.get(), SIOCSIFMTU, ifr, "MTU");
  ifr.ifr_addr = ipv4(c.address);
  set_interface(sock.get(), SIOCSIFADDR, ifr, "address");
  ifr.ifr_netmask = ipv4(c.netmask);
  set_interface(sock.get(), SIOCSIFNETMASK, ifr, "netmask");
  bring_up(sock.get(), c.name.c_str());
  rtentry route{};
  route.rt_dst = ipv4(in_addr{INADDR_ANY});
  route.rt_genmask = ipv4(in_addr{INADDR_ANY});
  route.rt_gateway = ipv4(c.gateway);
  route.rt_flags = RTF_UP | RTF_GATEWAY;
  std::string device = c.name;
  route.rt_dev = device.data();
  if (::ioctl(sock.get(), SIOCADDRT, &route) != 0) throw_errno("add the default route through the gateway on", c.name);
}

// Both opened first: once in the container's user namespace (a child of this one with
// --userns=keep-id), this process may no longer look into the container's /proc entries.
void join_namespaces(pid_t pid) {
  const UniqueFd user = open_namespace(pid, "user");
  const UniqueFd net = open_namespace(pid, "net");
  if (!is_own_user_namespace(user.get()) && ::setns(user.get(), CLONE_NEWUSER) != 0) {
    throw_errno("join the container's user namespace");
  }
  if (::setns(net.get(), CLONE_NEWNET) != 0) throw_errno("join the container's network namespace");
}

[[noreturn]] void make_in_child(pid_t pid, const TapConfig& c, int fd_socket, int error_pipe) {
  try {
    join_namespaces(pid);
    UniqueFd tap = open_tap(c);
    configure(c);
    send_fd(fd_socket, tap.get(), c.name);
    _exit(0);
  } catch (const std::exception& e) {
    const std::string message = e.what();
    [[maybe_unused]] auto n = ::write(error_pipe, message.data(), message.size());
    _exit(1);
  }
}

}  // namespace

UniqueFd create_tap(pid_t pid, const TapConfig& c) {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) throw_errno("socketpair");
  UniqueFd parent_end(pair[0]), child_end(pair[1]);
  Pipe errors = make_pipe();
  const pid_t child = ::fork();
  if (child < 0) throw_errno("fork");
  if (child == 0) make_in_child(pid, c, child_end.get(), errors.write.get());
  child_end.reset();
  errors.write.reset();
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    char buf[1024];
    const ssize_t n = ::read(errors.read.get(), buf, sizeof buf);
    throw Error(n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "the tap device's helper process died");
  }
  return receive_fd(parent_end.get());
}

}  // namespace pod::rootless::network
