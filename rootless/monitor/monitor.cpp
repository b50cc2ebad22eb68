#include "rootless/monitor/monitor.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "libcore/sys/error.hpp"
#include "libcore/sys/fd_passing.hpp"
#include "libcore/sys/files.hpp"
#include "libcore/sys/process.hpp"
#include "libcore/sys/terminal.hpp"
#include "rootless/monitor/attach_protocol.hpp"
#include "rootless/monitor/container_log.hpp"
#include "storage/container_status.hpp"

namespace pod::rootless::monitor {
namespace {

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

// SIGCHLD as a readable fd.
UniqueFd child_signal_fd() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  ::sigprocmask(SIG_BLOCK, &set, nullptr);
  UniqueFd fd(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
  if (!fd) throw_errno("signalfd");
  return fd;
}

void report(int ready_fd, const std::string& line) {
  if (ready_fd < 0) return;
  [[maybe_unused]] auto n = ::write(ready_fd, line.data(), line.size());
}

// The runtime's last error record from its --log file (JSON lines, which pod-runtime, crun and
// runc all write), passed on as it is: pod reads it (the monitor carries no JSON parser).
std::string runtime_error(const std::string& log_path) {
  const auto text = try_read_file(log_path, 1u << 20).value_or("");
  std::string record;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    if (line.find("\"error\"") != std::string::npos) record = line;
    start = end + 1;
  }
  return record.empty() ? "the OCI runtime failed without a message" : record;
}

class Monitor {
 public:
  explicit Monitor(const MonitorOptions& o) : o_(o), log_(o.bundle + "/ctr.log") {}

  int run() {
    ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    ::signal(SIGPIPE, SIG_IGN);
    sigchld_ = child_signal_fd();
    ::unlink(o_.attach_socket.c_str());
    attach_ = listen_unix(o_.attach_socket, SOCK_SEQPACKET);
    if (!create()) return 1;
    loop();
    finish();
    return 0;
  }

 private:
  // Runs `runtime create`; on success the init's pid is known and reported.
  bool create() {
    UniqueFd console_listener;
    Pipe in, out, err;
    if (o_.terminal) {
      ::unlink(o_.console_socket.c_str());
      console_listener = listen_unix(o_.console_socket);
    } else {
      if (o_.keep_stdin) in = make_pipe();
      out = make_pipe();
      err = make_pipe();
    }
    const std::string runtime_log = o_.bundle + "/runtime.log";
    ::unlink(runtime_log.c_str());
    std::vector<std::string> argv = {o_.runtime, "--root", o_.runtime_root, "--log", runtime_log, "--log-format",
                                     "json", "create", "--bundle", o_.bundle, "--pid-file", o_.bundle + "/init.pid"};
    if (o_.terminal) argv.insert(argv.end(), {"--console-socket", o_.console_socket});
    argv.push_back(o_.id);
    const pid_t runtime = spawn(argv, in.read.get(), out.write.get(), err.write.get());
    in.read.reset();
    out.write.reset();
    err.write.reset();
    if (o_.terminal) master_ = accept_master(console_listener.get(), runtime);
    const int rc = wait_for(runtime);
    if (rc != 0) {
      report(o_.ready_fd, "error " + std::to_string(rc) + " " + runtime_error(runtime_log) + "\n");
      return false;
    }
    const auto pid_text = try_read_file(o_.bundle + "/init.pid", 64).value_or("0");
    init_ = static_cast<pid_t>(std::stol(pid_text));
    storage::write_init_info(o_.bundle, {init_, process_start_ticks(init_), ::getpid()});
    if (!o_.network_helper.empty()) {
      const std::string problem = start_network_helper();
      if (!problem.empty()) {
        run_and_wait({o_.runtime, "--root", o_.runtime_root, "delete", "--force", o_.id});
        report(o_.ready_fd, "error 125 " + problem + "\n");
        return false;
      }
    }
    stdin_ = std::move(in.write);
    stdout_ = std::move(out.read);
    stderr_ = std::move(err.read);
    report(o_.ready_fd, "ok " + std::to_string(init_) + "\n");
    ::close(o_.ready_fd);
    return true;
  }

  // pod-slirp on the init's namespaces; it says "ok" or "error MESSAGE" on fd 3 once it is
  // ready or cannot be. Returns the problem, empty when it runs.
  std::string start_network_helper() {
    Pipe ready = make_pipe();
    std::vector<std::string> argv = o_.network_helper;
    argv.insert(argv.end(), {"--ready-fd", "3", std::to_string(init_)});
    const pid_t pid = ::fork();
    if (pid < 0) return std::string("pod-monitor: fork the network helper: ") + std::strerror(errno);
    if (pid == 0) {
      if (ready.write.get() == 3) {
        ::fcntl(3, F_SETFD, 0);
      } else {
        ::dup2(ready.write.get(), 3);
      }
      exec_child(argv, -1, -1, -1);
    }
    ready.write.reset();
    std::string answer;
    char buf[512];
    for (ssize_t n; (n = ::read(ready.read.get(), buf, sizeof buf)) != 0;) {
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) break;
      answer.append(buf, static_cast<std::size_t>(n));
    }
    while (!answer.empty() && answer.back() == '\n') answer.pop_back();
    if (answer == "ok") {
      helper_ = pid;
      return {};
    }
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    if (answer.rfind("error ", 0) == 0) return "pod-slirp: " + answer.substr(6);
    return "pod-slirp: exited without saying why (" + o_.network_helper.front() + ")";
  }

  [[noreturn]] static void exec_child(const std::vector<std::string>& argv, int in, int out, int err) {
    const int null = ::open("/dev/null", O_RDWR);
    ::dup2(in >= 0 ? in : null, 0);
    ::dup2(out >= 0 ? out : null, 1);
    ::dup2(err >= 0 ? err : null, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv(args[0], args.data());
    _exit(127);
  }

  pid_t spawn(const std::vector<std::string>& argv, int in, int out, int err) {
    const pid_t pid = ::fork();
    if (pid < 0) throw_errno("fork the runtime");
    if (pid == 0) exec_child(argv, in, out, err);
    return pid;
  }

  // The runtime sends the pty master while `create` runs; it may also fail before that.
  UniqueFd accept_master(int listener, pid_t runtime) {
    for (;;) {
      pollfd p[2] = {{listener, POLLIN, 0}, {sigchld_.get(), POLLIN, 0}};
      if (::poll(p, 2, -1) < 0 && errno != EINTR) throw_errno("poll");
      if (p[0].revents & POLLIN) {
        const UniqueFd conn(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
        if (conn) return receive_fd(conn.get());
      }
      if ((p[1].revents & POLLIN) && exited(runtime)) return {};
    }
  }

  bool exited(pid_t pid) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      runtime_status_ = status;
      runtime_reaped_ = true;
    }
    return runtime_reaped_;
  }

  int wait_for(pid_t pid) {
    int status = runtime_status_;
    if (!runtime_reaped_) {
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  void broadcast(Frame kind, const char* data, std::size_t size) {
    std::string frame(1, static_cast<char>(kind));
    frame.append(data, size);
    for (auto& c : clients_) {
      if (c && ::send(c.get(), frame.data(), frame.size(), MSG_NOSIGNAL | MSG_DONTWAIT) < 0 && errno != EAGAIN) c.reset();
    }
  }

  // Copies one read of `fd` into the log and to the clients. At end of file (or EIO from a pty
  // whose other side is closed) the fd is closed.
  enum class Read { data, nothing_now, closed };
  Read pump(UniqueFd& fd, Frame kind) {
    char buf[16384];
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return Read::nothing_now;
    if (n <= 0) {
      fd.reset();
      return Read::closed;
    }
    log_.write(kind == Frame::stderr_data ? "stderr" : "stdout", std::string_view(buf, static_cast<std::size_t>(n)));
    broadcast(kind, buf, static_cast<std::size_t>(n));
    return Read::data;
  }

  // What the container wrote before it ended is still in the pipes.
  void drain(UniqueFd& fd, Frame kind) {
    while (fd && pump(fd, kind) == Read::data) {
    }
  }

  void client_input(UniqueFd& client) {
    char buf[kMaxFrame];
    const ssize_t n = ::recv(client.get(), buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n <= 0) {
      client.reset();
      return;
    }
    const auto kind = static_cast<Frame>(buf[0]);
    const int input = master_ ? master_.get() : stdin_.get();
    if (kind == Frame::stdin_data && input >= 0) {
      [[maybe_unused]] auto w = ::write(input, buf + 1, static_cast<std::size_t>(n - 1));
    } else if (kind == Frame::stdin_eof && !master_) {
      stdin_.reset();
    } else if (kind == Frame::resize && master_ && n >= 5) {
      std::uint16_t rows = 0, cols = 0;
      std::memcpy(&rows, buf + 1, 2);
      std::memcpy(&cols, buf + 3, 2);
      winsize ws{};
      ws.ws_row = rows;
      ws.ws_col = cols;
      ::ioctl(master_.get(), TIOCSWINSZ, &ws);
    }
  }

  void reap() {
    signalfd_siginfo info;
    while (::read(sigchld_.get(), &info, sizeof info) > 0) {
    }
    int status = 0;
    pid_t pid;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
      if (pid == init_) {
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        init_done_ = true;
      }
    }
  }

  void loop() {
    for (UniqueFd* fd : {&stdout_, &stderr_, &master_}) {
      if (*fd) set_nonblocking(fd->get());
    }
    while (!init_done_) {
      std::vector<pollfd> fds = {{sigchld_.get(), POLLIN, 0}, {attach_.get(), POLLIN, 0},
                                 {stdout_.get(), POLLIN, 0},  {stderr_.get(), POLLIN, 0},
                                 {master_.get(), POLLIN, 0}};
      for (auto& c : clients_) fds.push_back({c.get(), POLLIN, 0});
      if (::poll(fds.data(), fds.size(), -1) < 0) {
        if (errno == EINTR) continue;
        throw_errno("poll");
      }
      if (fds[0].revents) reap();
      if (fds[1].revents & POLLIN) {
        UniqueFd c(::accept4(attach_.get(), nullptr, nullptr, SOCK_CLOEXEC));
        if (c) clients_.push_back(std::move(c));
      }
      if (fds[2].revents) pump(stdout_, Frame::stdout_data);
      if (fds[3].revents) pump(stderr_, Frame::stderr_data);
      if (fds[4].revents) pump(master_, Frame::stdout_data);
      for (std::size_t i = 5; i < fds.size(); ++i) {
        if (fds[i].revents) client_input(clients_[i - 5]);
      }
      std::erase_if(clients_, [](const UniqueFd& c) { return !c; });
    }
    drain(stdout_, Frame::stdout_data);
    drain(stderr_, Frame::stderr_data);
    drain(master_, Frame::stdout_data);
  }

  // "oom_kill N" in the cgroup's memory.oom_control (v1) or memory.events (v2): read before the
  // runtime's delete removes the cgroup.
  bool oom_killed() const {
    if (o_.oom_file.empty()) return false;
    const std::string text = try_read_file(o_.oom_file, 4096).value_or("");
    const auto at = text.find("oom_kill ");
    return at != std::string::npos && std::strtoull(text.c_str() + at + 9, nullptr, 10) > 0;
  }

  void finish() {
    storage::write_exit(o_.bundle, exit_code_, oom_killed());
    const std::int32_t code = exit_code_;
    broadcast(Frame::exit, reinterpret_cast<const char*>(&code), sizeof code);
    clients_.clear();
    attach_.reset();
    ::unlink(o_.attach_socket.c_str());
    if (!o_.console_socket.empty()) ::unlink(o_.console_socket.c_str());
    if (helper_ > 0) {  // it ends with the init by itself; this is for a helper that hangs on
      ::kill(helper_, SIGTERM);
      while (::waitpid(helper_, nullptr, 0) < 0 && errno == EINTR) {
      }
    }
    run_and_wait({o_.runtime, "--root", o_.runtime_root, "delete", "--force", o_.id});
    // `pod run --rm` in the foreground removes the container itself as soon as it has the exit
    // code; then there is nothing left for the exit command to do.
    const bool container_left = ::access((o_.bundle + "/container.json").c_str(), F_OK) == 0;
    if (!o_.exit_command.empty() && container_left) run_and_wait(o_.exit_command);
  }

  void run_and_wait(const std::vector<std::string>& argv) {
    const pid_t pid = spawn(argv, -1, -1, -1);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }

  const MonitorOptions& o_;
  ContainerLog log_;
  UniqueFd sigchld_, attach_, stdin_, stdout_, stderr_, master_;
  std::vector<UniqueFd> clients_;
  pid_t init_ = 0;
  pid_t helper_ = 0;  // pod-slirp
  bool init_done_ = false;
  int exit_code_ = -1;
  int runtime_status_ = 0;
  bool runtime_reaped_ = false;
};

}  // namespace

int run_monitor(const MonitorOptions& options) {
  try {
    return Monitor(options).run();
  } catch (const std::exception& e) {
    report(options.ready_fd, std::string("error 125 pod-monitor: ") + e.what() + "\n");
    return 1;
  }
}

}  // namespace pod::rootless::monitor
