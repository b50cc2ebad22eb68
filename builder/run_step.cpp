// RUN: the command in a container on the working root. --isolation oci: a container of
// pod-runtime (its own mount, pid, ipc, uts and — unless --network host — network
// namespaces, the default capabilities and seccomp profile), in pod's user namespace as
// every pod container. --isolation chroot: only a mount namespace and chroot, for runners
// where new namespaces of the other kinds are refused; the host's /dev, /proc and /sys.
// The mount points either makes in the root are removed again, so they are not in the layer.
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include "builder/stage.hpp"
#include "builder/working_root.hpp"
#include "libcore/oci/image_config.hpp"
#include "libcore/oci/runtime_spec.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"
#include "libcore/sys/process.hpp"
#include "libcore/sys/root_path.hpp"
#include "rootless/container/spec_builder.hpp"
#include "rootless/container/userdata.hpp"
#include "rootless/userns.hpp"

namespace pod::builder {
namespace {

[[noreturn]] void bad(const cf::Instruction& in, const std::string& what, ErrorKind kind = ErrorKind::invalid_input) {
  throw Error(in.where() + ": " + what, kind);
}

// The shell form's script: the text, with heredoc bodies as the shell expects them; a RUN
// that is only a heredoc runs the heredoc's body.
std::string script_of(const cf::Instruction& in) {
  if (in.heredocs.empty()) return in.args;
  if (in.heredocs.size() == 1 && in.args.rfind("<<", 0) == 0 && in.args.find_first_of(" \t") == std::string::npos) {
    return in.heredocs[0].body;
  }
  std::string script = in.args + "\n";
  for (const auto& h : in.heredocs) script += h.body + h.name + "\n";
  return script;
}

std::string network_of(const Stage& stage, const cf::Instruction& in) {
  std::string network = stage.options.network;
  if (const auto* f = in.flag("network")) network = f->value == "default" ? stage.options.network : f->value;
  if (network != "host" && network != "none") {
    bad(in, "network " + quote_untrusted(network) + " is not supported by pod build (host or none)", ErrorKind::unsupported);
  }
  return network;
}

// Paths a run mounts over, and their parents, that the root does not have yet.
std::vector<std::string> missing_mount_points(int root_fd, const std::vector<std::string>& destinations) {
  std::set<std::string> missing;
  for (const auto& dest : destinations) {
    std::string prefix;
    std::size_t p = 1;
    while (p <= dest.size()) {
      const auto slash = dest.find('/', p);
      prefix = dest.substr(0, slash);
      if (!try_open_in_root(root_fd, prefix, O_PATH | O_NOFOLLOW)) missing.insert(prefix);
      if (slash == std::string::npos) break;
      p = slash + 1;
    }
  }
  std::vector<std::string> out(missing.begin(), missing.end());
  std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return out;
}

// Removes what the runtime made for its mounts: empty files and directories only.
void remove_mount_points(int root_fd, const std::vector<std::string>& created) {
  for (const auto& path : created) {
    const auto slash = path.rfind('/');
    const auto parent = try_open_in_root(root_fd, slash == 0 ? "/" : path.substr(0, slash), O_RDONLY | O_DIRECTORY);
    if (!parent) continue;
    const std::string name = path.substr(slash + 1);
    struct stat st{};
    if (::fstatat(parent->get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (S_ISDIR(st.st_mode)) ::unlinkat(parent->get(), name.c_str(), AT_REMOVEDIR);  // fails when not empty: kept
    else if (S_ISREG(st.st_mode) && st.st_size == 0) ::unlinkat(parent->get(), name.c_str(), 0);
  }
}

int wait_exit(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw_errno("wait for", "the RUN container");
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

int run_oci(const Stage& stage, const core::oci::RuntimeSpec& spec, WorkingRoot& root, const std::string& id) {
  const std::string bundle = root.scratch_dir();
  write_file_atomic(bundle + "/config.json", core::oci::serialize(spec, false));
  const std::string runtime = find_helper_binary("pod-runtime");
  const std::string state = stage.env.runroot + "/build-runtime";
  make_dirs(state, 0700);
  std::vector<std::string> argv = {runtime, "--root", state, "run", "--bundle", bundle, id};
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  const bool quiet = stage.options.quiet;
  const pid_t pid = ::fork();
  if (pid < 0) throw_errno("fork", "the RUN container");
  if (pid == 0) {
    const int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, STDIN_FILENO);
    if (quiet) ::dup2(STDERR_FILENO, STDOUT_FILENO);
    ::execv(args[0], args.data());
    std::fprintf(stderr, "Error: cannot run %s: %s\n", args[0], std::strerror(errno));
    ::_exit(125);
  }
  return wait_exit(pid);
}

void bind_into(const std::string& root, const std::string& source, const std::string& dest, bool file) {
  const UniqueFd root_fd(::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  const auto parts = *try_clean_path(dest);
  if (file) {
    const UniqueFd parent = mkdir_all_in_root(root_fd.get(), parts, parts.size() - 1);
    const std::string at = "/proc/self/fd/" + std::to_string(parent.get()) + "/" + parts.back();
    const int fd = ::open(at.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd >= 0) ::close(fd);
  } else {
    mkdir_all_in_root(root_fd.get(), parts);
  }
  const UniqueFd target = open_in_root(root_fd.get(), dest, O_PATH | O_NOFOLLOW);
  const std::string at = "/proc/self/fd/" + std::to_string(target.get());
  if (::mount(source.c_str(), at.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) throw_errno("bind " + source + " on", dest);
}

const std::vector<std::pair<std::string, bool>>& chroot_binds() {
  static const std::vector<std::pair<std::string, bool>> binds = {
      {"/dev", false}, {"/proc", false}, {"/sys", false}, {"/etc/resolv.conf", true}, {"/etc/hosts", true}};
  return binds;
}

// The child of a chroot RUN: never returns.
[[noreturn]] void chroot_child(const core::oci::Process& p, const std::string& root, bool quiet) {
  try {
    if (::unshare(CLONE_NEWNS) != 0) throw_errno("unshare", "the mount namespace");
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) throw_errno("make private", "/");
    for (const auto& [path, file] : chroot_binds()) bind_into(root, path, path, file);
    if (::chroot(root.c_str()) != 0) throw_errno("chroot", root);
    if (::chdir(p.cwd.c_str()) != 0) throw_errno("chdir", p.cwd);
    const int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, STDIN_FILENO);
    if (quiet) ::dup2(STDERR_FILENO, STDOUT_FILENO);
    std::vector<gid_t> groups(p.user.additional_gids.begin(), p.user.additional_gids.end());
    if (!rootless::in_single_id_userns() && ::setgroups(groups.size(), groups.data()) != 0) throw_errno("setgroups", "");
    if (::setgid(p.user.gid) != 0) throw_errno("setgid", std::to_string(p.user.gid));
    if (::setuid(p.user.uid) != 0) throw_errno("setuid", std::to_string(p.user.uid));
    std::vector<char*> argv;
    std::vector<std::string> args = p.args;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env = p.env;
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    ::environ = envp.data();
    ::execvp(argv[0], argv.data());
    std::fprintf(stderr, "Error: cannot run %s: %s\n", argv[0], std::strerror(errno));
    ::_exit(errno == ENOENT ? 127 : 126);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "Error: %s\n", e.what());
    ::_exit(125);
  }
}

int run_chroot(const Stage& stage, const core::oci::RuntimeSpec& spec, WorkingRoot& root) {
  const pid_t pid = ::fork();
  if (pid < 0) throw_errno("fork", "the RUN process");
  if (pid == 0) chroot_child(*spec.process, root.merged(), stage.options.quiet);
  return wait_exit(pid);
}

}  // namespace

void ensure_workdir(Stage& stage, WorkingRoot& root) {
  if (!stage.workdir_pending) return;
  const std::string dir = stage.config_string("WorkingDir");
  if (const auto parts = try_clean_path(dir); parts && !parts->empty()) mkdir_all_in_root(root.root_fd(), *parts);
  stage.workdir_pending = false;
}

void run_command(Stage& stage, const cf::Instruction& in, WorkingRoot& root) {
  if (in.flag("mount") || in.flag("security")) {
    bad(in, "RUN --" + std::string(in.flag("mount") ? "mount" : "security") + " is not supported by pod build",
        ErrorKind::unsupported);
  }
  rootless::container::RunSettings s;
  s.image = core::oci::parse_image_config(stage.image.config.dump()).config;
  s.image.entrypoint.reset();
  s.image.cmd.reset();
  if (in.exec_form) {
    s.command = *in.exec_form;
  } else {
    s.command = shell_of(stage);
    s.command.push_back(script_of(in));
  }
  if (s.command.empty() || s.command.front().empty()) bad(in, "requires a command");
  // ARGs are variables of RUN; ENV of the same name wins (Docker).
  const auto lookup_env = stage.env_list();
  for (const auto& [k, v] : stage.args) {
    const bool in_env = std::any_of(lookup_env.begin(), lookup_env.end(), [&](const std::string& e) { return e.rfind(k + "=", 0) == 0; });
    if (!in_env) s.env.push_back(k + "=" + v);
  }
  const std::string network = network_of(stage, in);
  s.host_network = network == "host";
  static int counter = 0;
  const std::string id = "build-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
  s.hostname = id;
  s.rootfs = root.merged();
  s.userdata = root.scratch_dir() + "/userdata";
  s.single_id = rootless::in_single_id_userns();
  make_dirs(s.userdata, 0755);
  rootless::container::UserData data;
  data.hostname = id;
  data.name = id;
  data.network = s.host_network ? rootless::container::NetworkMode::Kind::host : rootless::container::NetworkMode::Kind::none;
  rootless::container::write_userdata(s.userdata, data);
  const auto spec = with_context(in.where(), [&] { return rootless::container::build_runtime_spec(s); });
  std::vector<std::string> destinations;
  const bool chroot = stage.options.isolation == Isolation::chroot;
  if (chroot) {
    for (const auto& [path, file] : chroot_binds()) destinations.push_back(path);
  } else {
    for (const auto& m : spec.mounts) destinations.push_back(m.destination);
  }
  const auto created = missing_mount_points(root.root_fd(), destinations);
  const int code = chroot ? run_chroot(stage, spec, root) : run_oci(stage, spec, root, id);
  remove_mount_points(root.root_fd(), created);
  if (code != 0) {
    throw StepFailed(in.where() + ": " + quote_untrusted(in.text.substr(4), 80) + " exited with status " + std::to_string(code),
                     code);
  }
}

}  // namespace pod::builder
