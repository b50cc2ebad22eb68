#include "tests/support/registry_proxy/server.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

#include "libcore/sys/error.hpp"
#include "tests/support/registry_proxy/session.hpp"

namespace pod::testsupport::proxy {
namespace {

constexpr auto kStopWait = std::chrono::seconds(5);

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

UniqueFd open_signalfd() {
  const sigset_t set = stop_signals();
  UniqueFd fd(::signalfd(-1, &set, SFD_CLOEXEC));
  if (!fd) throw_errno("create signalfd");
  return fd;
}

void start_connection(Context& ctx, UniqueFd client, std::uint64_t id) {
  ctx.tracker.thread_started();
  try {
    std::thread([&ctx, fd = client.get(), id] {
      serve_connection(ctx, UniqueFd(fd), id);
      ctx.tracker.thread_finished();
    }).detach();
    client.release();                     // the thread owns it now
  } catch (const std::system_error& e) {  // no thread: drop this client, keep serving the rest
    ctx.tracker.thread_finished();
    std::fprintf(stderr, "pod-test-registry-proxy: starting a connection thread: %s\n", e.what());
  }
}

// Accepts one pending client; transient failures (the client already gone, fd limits) are
// reported and skipped so one bad moment does not end the proxy.
void accept_one(Context& ctx, int listener, std::uint64_t& next_id) {
  UniqueFd client(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
  if (!client) {
    const int err = errno;
    if (err != EINTR && err != EAGAIN && err != ECONNABORTED)
      std::fprintf(stderr, "pod-test-registry-proxy: accept: %s\n", std::strerror(err));
    if (err == EMFILE || err == ENFILE) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return;
  }
  start_connection(ctx, std::move(client), next_id++);
}

}  // namespace

void block_stop_signals() {
  // A shell starts background jobs with SIGINT ignored, and an ignored signal never reaches a
  // signalfd: restore the default action first (blocked, it stays pending for us).
  ::signal(SIGINT, SIG_DFL);
  ::signal(SIGTERM, SIG_DFL);
  ::signal(SIGPIPE, SIG_IGN);  // sends use MSG_NOSIGNAL; this covers anything else
  const sigset_t set = stop_signals();
  if (::pthread_sigmask(SIG_BLOCK, &set, nullptr) != 0) throw Error("blocking SIGTERM and SIGINT failed");
}

bool run_server(Context& ctx, UniqueFd listener) {
  UniqueFd signals = open_signalfd();
  std::uint64_t next_id = 1;
  for (;;) {
    pollfd fds[2] = {{listener.get(), POLLIN, 0}, {signals.get(), POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      throw_errno("poll");
    }
    if (fds[1].revents & POLLIN) {
      signalfd_siginfo info{};
      if (::read(signals.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info))
        ctx.log.note(std::string("stopping on ") + ::strsignal(static_cast<int>(info.ssi_signo)));
      break;
    }
    if (fds[0].revents & POLLIN) accept_one(ctx, listener.get(), next_id);
  }
  listener.reset();
  ctx.tracker.stop();
  return ctx.tracker.wait_idle(kStopWait);
}

}  // namespace pod::testsupport::proxy
