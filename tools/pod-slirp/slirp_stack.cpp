#include "tools/pod-slirp/slirp_stack.hpp"

#include <fcntl.h>
#include <poll.h>
#include <slirp/libslirp.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "libcore/sys/error.hpp"

namespace pod::tools {

struct Timer {
  SlirpTimerId id = SLIRP_TIMER_NUM;
  SlirpTimerCb callback = nullptr;  // the older interface; else `id` goes to slirp_handle_timer
  void* callback_opaque = nullptr;
  std::int64_t expire_ms = -1;      // -1: not armed
};

struct SlirpStack::Impl {
  UniqueFd tap;
  Slirp* slirp = nullptr;
  in_addr guest{};
  in_addr gateway{};
  bool allow_host_loopback = false;
  std::vector<std::uint16_t> udp_published;  // container ports whose replies go to the host
  std::vector<pollfd> fds;
  std::vector<std::unique_ptr<Timer>> timers;

  static Impl& of(void* opaque) { return *static_cast<Impl*>(opaque); }

  static std::int64_t now_ns() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
  }

  // Frames for the container. A full tap queue waits for room (briefly): dropping frames
  // would make the container's TCP back off, halving throughput under load.
  static ssize_t send_packet(const void* buf, size_t len, void* opaque) {
    const int fd = of(opaque).tap.get();
    for (;;) {
      const ssize_t n = ::write(fd, buf, len);
      if (n >= 0 || (errno != EAGAIN && errno != EINTR)) return n;
      if (errno == EAGAIN) {
        pollfd p{fd, POLLOUT, 0};
        if (::poll(&p, 1, 100) == 0) return static_cast<ssize_t>(len);  // stuck: drop this one
      }
    }
  }
  static void guest_error(const char* msg, void*) { std::fprintf(stderr, "pod-slirp: guest error: %s\n", msg); }
  static std::int64_t clock_get_ns(void*) { return now_ns(); }
  static void* timer_new(SlirpTimerCb cb, void* cb_opaque, void* opaque) {
    auto& timers = of(opaque).timers;
    timers.push_back(std::make_unique<Timer>(Timer{SLIRP_TIMER_NUM, cb, cb_opaque, -1}));
    return timers.back().get();
  }
  static void* timer_new_opaque(SlirpTimerId id, void* cb_opaque, void* opaque) {
    auto& timers = of(opaque).timers;
    timers.push_back(std::make_unique<Timer>(Timer{id, nullptr, cb_opaque, -1}));
    return timers.back().get();
  }
  static void timer_free(void* timer, void* opaque) {
    auto& timers = of(opaque).timers;
    timers.erase(std::remove_if(timers.begin(), timers.end(), [&](const auto& t) { return t.get() == timer; }), timers.end());
  }
  static void timer_mod(void* timer, std::int64_t expire_ms, void*) { static_cast<Timer*>(timer)->expire_ms = expire_ms; }
  static void no_fd(int, void*) {}
  static void notify(void*) {}

  static int add_poll(int fd, int events, void* opaque) {
    short e = 0;
    if (events & SLIRP_POLL_IN) e |= POLLIN;
    if (events & SLIRP_POLL_OUT) e |= POLLOUT;
    if (events & SLIRP_POLL_PRI) e |= POLLPRI;
    auto& fds = of(opaque).fds;
    fds.push_back({fd, e, 0});
    return static_cast<int>(fds.size() - 1);
  }
  static int get_revents(int index, void* opaque) {
    const short r = of(opaque).fds[static_cast<std::size_t>(index)].revents;
    int out = 0;
    if (r & POLLIN) out |= SLIRP_POLL_IN;
    if (r & POLLOUT) out |= SLIRP_POLL_OUT;
    if (r & POLLPRI) out |= SLIRP_POLL_PRI;
    if (r & POLLERR) out |= SLIRP_POLL_ERR;
    if (r & POLLHUP) out |= SLIRP_POLL_HUP;
    return out;
  }

  // Runs the timers that are due; returns the milliseconds until the next one (-1: none).
  int fire_timers() {
    const std::int64_t now_ms = now_ns() / 1000000;
    std::int64_t next = -1;
    for (std::size_t i = 0; i < timers.size(); ++i) {
      Timer* t = timers[i].get();
      if (t->expire_ms < 0) continue;
      if (t->expire_ms <= now_ms) {
        t->expire_ms = -1;
        if (t->callback) {
          t->callback(t->callback_opaque);
        } else {
          slirp_handle_timer(slirp, t->id, t->callback_opaque);
        }
        continue;
      }
      const std::int64_t wait = t->expire_ms - now_ms;
      if (next < 0 || wait < next) next = wait;
    }
    return static_cast<int>(std::min<std::int64_t>(next, INT_MAX));
  }

  // Without allow_host_loopback the gateway (the host's loopback) takes no new connection and
  // no datagram from the container — but replies from published ports pass. libslirp's own
  // switch (disable_host_loopback) also drops the replies of a published UDP port to a client
  // on the host's loopback, so the rule is kept here, on the frames.
  bool denied(const std::uint8_t* f, std::size_t n) const {
    if (allow_host_loopback || n < 14 + 20 || f[12] != 0x08 || f[13] != 0x00) return false;  // IPv4 only
    const std::uint8_t* ip = f + 14;
    const std::size_t header = static_cast<std::size_t>(ip[0] & 0x0f) * 4;
    if (std::memcmp(ip + 16, &gateway, 4) != 0 || n < 14 + header + 14) return false;
    const std::uint8_t* l4 = ip + header;
    if (ip[9] == 6) return (l4[13] & 0x12) == 0x02;  // TCP: a SYN without ACK opens a connection
    if (ip[9] == 17) {
      const std::uint16_t source = static_cast<std::uint16_t>(l4[0] << 8 | l4[1]);
      return std::find(udp_published.begin(), udp_published.end(), source) == udp_published.end();
    }
    return false;  // ICMP: the gateway answers pings itself
  }

  // Drains the tap: many frames per wake-up, not one.
  bool read_tap(std::vector<std::uint8_t>& buffer) {
    for (int frames = 0; frames < 256; ++frames) {
      const ssize_t n = ::read(tap.get(), buffer.data(), buffer.size());
      if (n > 0) {
        if (!denied(buffer.data(), static_cast<std::size_t>(n))) slirp_input(slirp, buffer.data(), static_cast<int>(n));
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;
      return false;  // the device is gone with its namespace
    }
    return true;
  }
};

namespace {

const SlirpCb kCallbacks = [] {
  SlirpCb cb{};
  cb.send_packet = &SlirpStack::Impl::send_packet;
  cb.guest_error = &SlirpStack::Impl::guest_error;
  cb.clock_get_ns = &SlirpStack::Impl::clock_get_ns;
  cb.timer_new = &SlirpStack::Impl::timer_new;
  cb.timer_free = &SlirpStack::Impl::timer_free;
  cb.timer_mod = &SlirpStack::Impl::timer_mod;
  cb.register_poll_fd = &SlirpStack::Impl::no_fd;
  cb.unregister_poll_fd = &SlirpStack::Impl::no_fd;
  cb.notify = &SlirpStack::Impl::notify;
  cb.timer_new_opaque = &SlirpStack::Impl::timer_new_opaque;
  return cb;
}();

}  // namespace

SlirpStack::SlirpStack(UniqueFd tap, const SlirpSettings& s) : impl_(std::make_unique<Impl>()) {
  impl_->tap = std::move(tap);
  impl_->guest = s.guest;
  impl_->gateway = s.gateway;
  impl_->allow_host_loopback = s.allow_host_loopback;
  const int flags = ::fcntl(impl_->tap.get(), F_GETFL);
  ::fcntl(impl_->tap.get(), F_SETFL, flags | O_NONBLOCK);
  SlirpConfig config{};
  config.version = 4;
  config.in_enabled = true;
  config.vnetwork = s.network;
  config.vnetmask = s.netmask;
  config.vhost = s.gateway;
  config.vnameserver = s.dns;
  config.vdhcp_start = s.dhcp_start;
  config.if_mtu = s.mtu;
  config.if_mru = s.mtu;
  config.disable_host_loopback = false;  // see Impl::denied
  impl_->slirp = slirp_new(&config, &kCallbacks, impl_.get());
  if (!impl_->slirp) throw Error("libslirp could not set up the network stack");
}

SlirpStack::~SlirpStack() {
  if (impl_->slirp) slirp_cleanup(impl_->slirp);
}

void SlirpStack::publish(const core::net::PortMapping& p) {
  in_addr host{};
  ::inet_pton(AF_INET, p.host_ip.c_str(), &host);
  if (p.protocol == "udp") impl_->udp_published.push_back(p.container_port);
  if (slirp_add_hostfwd(impl_->slirp, p.protocol == "udp", host, p.host_port, impl_->guest, p.container_port) != 0) {
    throw Error("cannot publish " + p.host_ip + ":" + std::to_string(p.host_port) + "/" + p.protocol +
                ": the host refused to listen there (in use, or below 1024 for an unprivileged user)");
  }
}

void SlirpStack::run(int stop_fd) {
  std::vector<std::uint8_t> buffer(std::max<std::size_t>(65536, 65520 + 64));
  Impl& m = *impl_;
  for (;;) {
    m.fds.clear();
    m.fds.push_back({m.tap.get(), POLLIN, 0});
    m.fds.push_back({stop_fd, POLLIN, 0});
    std::uint32_t timeout = UINT32_MAX;
    slirp_pollfds_fill(m.slirp, &timeout, &Impl::add_poll, &m);
    int wait = timeout == UINT32_MAX ? -1 : static_cast<int>(std::min<std::uint32_t>(timeout, INT_MAX));
    const int next_timer = m.fire_timers();
    if (next_timer >= 0 && (wait < 0 || next_timer < wait)) wait = next_timer;
    const int ready = ::poll(m.fds.data(), m.fds.size(), wait);
    if (ready < 0 && errno != EINTR) throw_errno("poll");
    if (m.fds[1].revents) return;
    // The container's frames first, and alone: while it sends (ACKs, mostly), the host's
    // sockets wait for the next round and meanwhile fill up, so slirp reads them in bigger
    // pieces and sends the container fewer, fuller frames.
    const bool from_container = m.fds[0].revents & POLLIN;
    if (from_container && !m.read_tap(buffer)) return;
    if (m.fds[0].revents & (POLLHUP | POLLERR)) return;
    slirp_pollfds_poll(m.slirp, ready < 0 || from_container, &Impl::get_revents, &m);
    m.fire_timers();
  }
}

}  // namespace pod::tools
