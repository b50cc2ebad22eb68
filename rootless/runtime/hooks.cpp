#include "rootless/runtime/hooks.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"
#include "libcore/sys/log.hpp"

namespace pod::rootless::runtime {
namespace {

using core::oci::Hook;

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (const auto& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

[[noreturn]] void exec_hook(const Hook& hook, int stdin_fd) {
  ::dup2(stdin_fd, STDIN_FILENO);
  const std::vector<std::string> args = hook.args.empty() ? std::vector<std::string>{hook.path} : hook.args;
  auto argv = c_strings(args);
  auto envp = c_strings(hook.env);
  ::execve(hook.path.c_str(), argv.data(), envp.data());
  _exit(127);
}

// Waits for `pid`, at most `timeout_s` seconds (0: no limit). nullopt when it had to be killed.
std::optional<int> wait_with_timeout(pid_t pid, int timeout_s) {
  const UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  if (pidfd && timeout_s > 0) {
    pollfd p{pidfd.get(), POLLIN, 0};
    int rc;
    while ((rc = ::poll(&p, 1, timeout_s * 1000)) < 0 && errno == EINTR) {
    }
    if (rc == 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      return std::nullopt;
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw_errno("wait for a hook");
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void run_hook(const Hook& hook, std::string_view kind, const std::string& state_json) {
  Pipe input = make_pipe();
  const pid_t pid = ::fork();
  if (pid < 0) throw_errno("fork a hook");
  if (pid == 0) exec_hook(hook, input.read.get());
  input.read.reset();
  // A hook that ignores its stdin must not block or kill the runtime (SIGPIPE).
  ::signal(SIGPIPE, SIG_IGN);
  [[maybe_unused]] auto n = ::write(input.write.get(), state_json.data(), state_json.size());
  input.write.reset();
  const auto code = wait_with_timeout(pid, hook.timeout.value_or(0));
  const std::string what = std::string(kind) + " hook " + quote(hook.path);
  if (!code) throw Error(what + ": timed out after " + std::to_string(*hook.timeout) + " s");
  if (*code == 127) throw Error(what + ": cannot be executed (exit code 127)");
  if (*code != 0) throw Error(what + ": exit code " + std::to_string(*code));
  log::debug(what + ": done");
}

}  // namespace

void run_hooks(const std::vector<Hook>& hooks, std::string_view kind, const std::string& state_json) {
  for (const auto& hook : hooks) run_hook(hook, kind, state_json);
}

void run_hooks_warning(const std::vector<Hook>& hooks, std::string_view kind, const std::string& state_json) {
  for (const auto& hook : hooks) {
    try {
      run_hook(hook, kind, state_json);
    } catch (const std::exception& e) {
      log::warn(e.what());
    }
  }
}

bool has_create_hooks(const core::oci::Hooks& h) {
  return !h.create_runtime.empty() || !h.prestart.empty() || !h.create_container.empty() ||
         !h.start_container.empty();
}

}  // namespace pod::rootless::runtime
