#include "rootless/runtime/signal_all.hpp"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>

#include <cctype>
#include <memory>
#include <string>

#include "libcore/sys/error.hpp"

namespace pod::rootless::runtime {
namespace {

bool same_namespace(const struct stat& a, const struct stat& b) { return a.st_dev == b.st_dev && a.st_ino == b.st_ino; }

std::optional<struct stat> pid_namespace_of(const std::string& proc_entry) {
  struct stat st {};
  if (::stat(("/proc/" + proc_entry + "/ns/pid").c_str(), &st) != 0) return std::nullopt;
  return st;
}

}  // namespace

void signal_all_processes(const StateStore& store, const ContainerState& state, int signal) {
  const auto container_ns = pid_namespace_of(std::to_string(state.pid));
  const auto own_ns = pid_namespace_of("self");
  if (!container_ns || !own_ns || store.status(state) == Status::stopped) {
    throw Error("container " + quote(state.id) + " is not running", ErrorKind::conflict);
  }
  if (same_namespace(*container_ns, *own_ns)) {
    throw Error("kill --all: container " + quote(state.id) +
                    " shares the runtime's pid namespace, so its processes cannot be told apart",
                ErrorKind::unsupported);
  }
  const std::unique_ptr<DIR, int (*)(DIR*)> proc(::opendir("/proc"), ::closedir);
  if (!proc) throw_errno("open", "/proc");
  while (const dirent* entry = ::readdir(proc.get())) {
    if (!std::isdigit(static_cast<unsigned char>(entry->d_name[0]))) continue;
    const auto ns = pid_namespace_of(entry->d_name);
    if (ns && same_namespace(*ns, *container_ns)) ::kill(std::stoi(entry->d_name), signal);
  }
}

}  // namespace pod::rootless::runtime
