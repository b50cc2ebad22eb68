#include "rootless/container/join.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"
#include "rootless/namespace_files.hpp"

namespace pod::rootless::container {
namespace {

[[noreturn]] void run_child(const std::function<void()>& enter, const std::function<void()>& work, int errors) {
  try {
    enter();
    work();
    std::fflush(nullptr);
    _exit(0);
  } catch (const std::exception& e) {
    const std::string message = e.what();
    [[maybe_unused]] auto n = ::write(errors, message.data(), message.size());
    _exit(125);
  }
}

Child fork_child(const std::function<void()>& enter, const std::function<void()>& work) {
  Pipe errors = make_pipe();
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw_errno("fork");
  if (pid == 0) {
    errors.read.reset();
    run_child(enter, work, errors.write.get());
  }
  return {pid, std::move(errors.read)};
}

}  // namespace

Child fork_into_running(pid_t init, const std::function<void()>& work) {
  const UniqueFd user = open_namespace(init, "user");
  const UniqueFd mnt = open_namespace(init, "mnt");
  const bool join_user = !is_own_user_namespace(user.get());
  return fork_child(
      [&] {
        if (join_user && ::setns(user.get(), CLONE_NEWUSER) != 0) throw_errno("join the container's user namespace");
        if (join_user && (::setresgid(0, 0, 0) != 0 || ::setresuid(0, 0, 0) != 0)) throw_errno("become root in the container");
        if (::setns(mnt.get(), CLONE_NEWNS) != 0) throw_errno("join the container's mount namespace");
      },
      work);
}

Child fork_into_root(const std::string& root, const std::function<void()>& work) {
  return fork_child(
      [&] {
        if (::chroot(root.c_str()) != 0) throw_errno("chroot", root);
        if (::chdir("/") != 0) throw_errno("chdir", "/");
      },
      work);
}

void wait_for_child(Child& child) {
  int status = 0;
  while (::waitpid(child.pid, &status, 0) < 0) {
    if (errno != EINTR) throw_errno("wait for a child");
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
  std::string message;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(child.errors.get(), buf, sizeof buf)) > 0) message.append(buf, static_cast<std::size_t>(n));
  throw Error(message.empty() ? "the child working in the container died" : message);
}

}  // namespace pod::rootless::container
