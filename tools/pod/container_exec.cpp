// pod exec — through the container's OCI runtime, from where pod is (not in a fresh user
// namespace: the container's own is joined by the runtime).
#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <unistd.h>

#include "libcore/sys/error.hpp"
#include "libcore/sys/process.hpp"
#include "rootless/container/user_lookup.hpp"
#include "storage/container_status.hpp"
#include "tools/common/main.hpp"
#include "tools/pod/store_access.hpp"
#include "tools/pod/verbs.hpp"

namespace pod::tools {
namespace {

struct ExecFlags {
  std::string container;
  std::vector<std::string> command;
  bool interactive = false, tty = false, detach = false;
  std::vector<std::string> env;
  std::string user, workdir;
};

// -u by name needs the container's /etc/passwd: read through its init's root.
std::string numeric_user(const std::string& user, pid_t init) {
  if (user.empty()) return {};
  const auto u = rootless::container::resolve_user("/proc/" + std::to_string(init) + "/root", user);
  return std::to_string(u.uid) + ":" + std::to_string(u.gid);
}

int exec_in(const GlobalOptions& global, const ExecFlags& f) {
  const OpenedStore opened = open_store_in_place(global);
  const storage::ContainerStore containers(opened.store);
  const auto r = containers.resolve(f.container);
  const auto s = storage::container_state(containers.dir(r.id));
  if (s.status != storage::ContainerStatus::running || s.pid <= 0) {
    throw Error("can only create exec sessions on running containers: " + r.name + " is " +
                    std::string(to_string(s.status)),
                ErrorKind::conflict);
  }
  std::vector<std::string> argv = {r.runtime.empty() ? find_helper_binary("pod-runtime") : r.runtime,
                                   "--root", runroot_of(global) + "/runtime", "exec"};
  if (f.tty) argv.push_back("--tty");
  if (f.detach) argv.push_back("--detach");
  if (!f.workdir.empty()) argv.insert(argv.end(), {"--cwd", f.workdir});
  for (const auto& e : f.env) argv.insert(argv.end(), {"--env", e});
  if (const std::string user = numeric_user(f.user, s.pid); !user.empty()) argv.insert(argv.end(), {"--user", user});
  argv.push_back(r.id);
  argv.insert(argv.end(), f.command.begin(), f.command.end());
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  // Without -i the process gets no input, as Podman does.
  if (!f.interactive && !f.tty) {
    const int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, STDIN_FILENO);
  }
  ::execv(args[0], args.data());
  throw_errno("run", argv[0]);
}

}  // namespace

void add_exec_verb(CLI::App& app, const GlobalOptions& global, RunState& /*state*/) {
  auto f = std::make_shared<ExecFlags>();
  auto* verb = app.add_subcommand("exec", "run a command in a running container");
  verb->add_option("container", f->container, "container name or id")->required();
  verb->add_option("command", f->command, "the command and its arguments")->required();
  verb->positionals_at_end();
  verb->add_flag("-i,--interactive", f->interactive, "keep stdin open");
  verb->add_flag("-t,--tty", f->tty, "allocate a pseudo-terminal");
  verb->add_flag("-d,--detach", f->detach, "run in the background");
  verb->add_option("-e,--env", f->env, "KEY=value to set")->allow_extra_args(false);
  verb->add_option("-u,--user", f->user, "user[:group] to run as");
  verb->add_option("-w,--workdir", f->workdir, "working directory inside the container");
  verb->callback([f, &global] { exec_in(global, *f); });
}

}  // namespace pod::tools
