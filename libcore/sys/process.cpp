#include "libcore/sys/process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"
#include "libcore/sys/files.hpp"
#include "libcore/version.hpp"

extern char** environ;

namespace pod {
namespace {

constexpr std::size_t kOutputLimit = 64u << 10;

std::string read_all_bounded(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return out;
    if (out.size() < kOutputLimit) out.append(buf, std::min<std::size_t>(static_cast<std::size_t>(n), kOutputLimit - out.size()));
  }
}

}  // namespace

RunningCommand start_command(const std::vector<std::string>& argv) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw_errno("pipe");
  RunningCommand running;
  running.name = argv.at(0);
  running.output.reset(fds[0]);
  UniqueFd write_end(fds[1]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, write_end.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, write_end.get(), STDERR_FILENO);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const int rc = ::posix_spawnp(&running.pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    errno = rc;
    throw_errno("run", argv[0]);
  }
  return running;
}

CommandResult finish_command(RunningCommand& running) {
  CommandResult result;
  result.output = read_all_bounded(running.output.get());
  int status = 0;
  while (::waitpid(running.pid, &status, 0) < 0) {
    if (errno != EINTR) throw_errno("wait for", running.name);
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  while (!result.output.empty() && result.output.back() == '\n') result.output.pop_back();
  return result;
}

CommandResult run_command(const std::vector<std::string>& argv) {
  RunningCommand running = start_command(argv);
  return finish_command(running);
}

bool is_process_alive(int pid) {
  const std::string path = "/proc/" + std::to_string(pid) + "/stat";
  const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return errno != ENOENT;  // unreadable but present: assume alive
  char buf[512];
  const ssize_t n = ::read(fd.get(), buf, sizeof buf - 1);
  if (n <= 0) return true;
  buf[n] = '\0';
  const char* paren = std::strrchr(buf, ')');  // the name may hold spaces and parentheses
  if (paren == nullptr || paren[1] != ' ') return true;
  return paren[2] != 'Z' && paren[2] != 'X';
}

std::string describe_exit(const CommandResult& r) {
  return r.signal ? "killed by signal " + std::to_string(r.signal) : "exit code " + std::to_string(r.exit_code);
}

std::uint64_t process_start_ticks(int pid) {
  std::optional<std::string> text;
  try {
    text = try_read_file("/proc/" + std::to_string(pid) + "/stat", 4096);
  } catch (const Error&) {
    return 0;  // ESRCH: it ended between the open and the read
  }
  if (!text) return 0;
  // The name (field 2) may hold spaces and parentheses: count from after the last ')'.
  const auto paren = text->rfind(')');
  if (paren == std::string::npos) return 0;
  std::size_t pos = paren + 2;
  for (int field = 3; field < 22; ++field) {
    pos = text->find(' ', pos);
    if (pos == std::string::npos) return 0;
    ++pos;
  }
  return std::strtoull(text->c_str() + pos, nullptr, 10);
}

}  // namespace pod

namespace pod {

std::string self_executable() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) throw_errno("readlink", "/proc/self/exe");
  return std::string(buf, static_cast<std::size_t>(n));
}

std::string find_helper_binary(const std::string& name) {
  const std::string self = self_executable();
  const std::string dir = self.substr(0, self.rfind('/'));
  const std::string candidates[] = {dir + "/" + name, dir + "/../libexec/pod/" + name, std::string(kLibexecDir) + "/" + name};
  for (const auto& c : candidates) {
    if (::access(c.c_str(), X_OK) == 0) return c;
  }
  throw Error("helper " + quote(name) + " not found next to " + quote(self) + " nor in " + quote(kLibexecDir) +
              " (is pod installed completely?)");
}

}  // namespace pod
