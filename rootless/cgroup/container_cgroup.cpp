#include "rootless/cgroup/container_cgroup.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"
#include "libcore/sys/files.hpp"
#include "rootless/cgroup/layout.hpp"

namespace pod::rootless::cgroup {
namespace {

using core::oci::Resources;

void write_value(const std::string& dir, const std::string& file, const std::string& value) {
  const std::string path = dir + "/" + file;
  const UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd || ::write(fd.get(), value.data(), value.size()) < 0) throw_errno("set " + file + " to " + value + " in", dir);
}

std::string limit_text(std::int64_t v) { return v < 0 ? "-1" : std::to_string(v); }
std::string max_text(std::int64_t v) { return v < 0 ? "max" : std::to_string(v); }

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

void write_v1(const std::string& controller, const std::string& dir, const std::string& parent, const Resources& r) {
  if (controller == "memory" && r.memory) {
    if (r.memory->limit) write_value(dir, "memory.limit_in_bytes", limit_text(*r.memory->limit));
    if (r.memory->swap && ::access((dir + "/memory.memsw.limit_in_bytes").c_str(), F_OK) == 0) {
      write_value(dir, "memory.memsw.limit_in_bytes", limit_text(*r.memory->swap));
    }
    if (r.memory->reservation) write_value(dir, "memory.soft_limit_in_bytes", limit_text(*r.memory->reservation));
  } else if (controller == "pids" && r.pids_limit) {
    write_value(dir, "pids.max", *r.pids_limit > 0 ? std::to_string(*r.pids_limit) : "max");
  } else if (controller == "cpu" && r.cpu) {
    if (r.cpu->period) write_value(dir, "cpu.cfs_period_us", std::to_string(*r.cpu->period));
    if (r.cpu->quota) write_value(dir, "cpu.cfs_quota_us", limit_text(*r.cpu->quota));
    if (r.cpu->shares) write_value(dir, "cpu.shares", std::to_string(*r.cpu->shares));
  } else if (controller == "cpuset") {
    // A v1 cpuset takes no process before it has cpus and mems: the parent's unless asked.
    const auto parent_value = [&](const char* file) { return try_read_file(parent + "/" + file, 4096).value_or(""); };
    write_value(dir, "cpuset.cpus", r.cpu && !r.cpu->cpus.empty() ? r.cpu->cpus : parent_value("cpuset.cpus"));
    write_value(dir, "cpuset.mems", r.cpu && !r.cpu->mems.empty() ? r.cpu->mems : parent_value("cpuset.mems"));
  } else if (controller == "io" && r.block_io_weight) {
    write_value(dir, "blkio.weight", std::to_string(*r.block_io_weight));
  }
}

void write_v2(const std::string& dir, const Resources& r) {
  if (r.memory) {
    if (r.memory->limit) write_value(dir, "memory.max", max_text(*r.memory->limit));
    if (r.memory->swap && r.memory->limit && *r.memory->swap >= 0 && *r.memory->limit >= 0) {
      write_value(dir, "memory.swap.max", std::to_string(*r.memory->swap - *r.memory->limit));
    }
    if (r.memory->reservation) write_value(dir, "memory.low", max_text(*r.memory->reservation));
  }
  if (r.pids_limit) write_value(dir, "pids.max", *r.pids_limit > 0 ? std::to_string(*r.pids_limit) : "max");
  if (r.cpu) {
    if (r.cpu->quota || r.cpu->period) {
      write_value(dir, "cpu.max", (r.cpu->quota && *r.cpu->quota > 0 ? std::to_string(*r.cpu->quota) : "max") + " " +
                                      std::to_string(r.cpu->period.value_or(100000)));
    }
    if (r.cpu->shares) write_value(dir, "cpu.weight", std::to_string(cpu_weight_from_shares(*r.cpu->shares)));
    if (!r.cpu->cpus.empty()) write_value(dir, "cpuset.cpus", r.cpu->cpus);
    if (!r.cpu->mems.empty()) write_value(dir, "cpuset.mems", r.cpu->mems);
  }
  if (r.block_io_weight) write_value(dir, "io.weight", std::to_string(*r.block_io_weight));
}

std::string v1_name(const std::string& controller) { return controller == "io" ? "blkio" : controller; }

[[noreturn]] void not_delegated(const std::string& controller, const Delegation& d) {
  const auto why = d.missing.find(controller == "io" ? "blkio" : controller);
  throw Error("the limit asks for the " + controller + " cgroup controller, which this user may not write here" +
                  (why != d.missing.end() ? ": " + why->second : "") +
                  " (see `pod info`; systemd hosts delegate cgroup v2 to users through user@.service)",
              ErrorKind::unsupported);
}

}  // namespace

std::uint64_t cpu_weight_from_shares(std::uint64_t shares) {
  if (shares == 0) return 100;
  return 1 + ((std::clamp<std::uint64_t>(shares, 2, 262144) - 2) * 9999) / 262142;
}

std::vector<std::string> controllers_for(const Resources& r) {
  std::vector<std::string> out;
  if (r.memory) out.push_back("memory");
  if (r.pids_limit) out.push_back("pids");
  if (r.cpu && (r.cpu->quota || r.cpu->period || r.cpu->shares)) out.push_back("cpu");
  if (r.cpu && (!r.cpu->cpus.empty() || !r.cpu->mems.empty())) out.push_back("cpuset");
  if (r.block_io_weight) out.push_back("io");
  return out;
}

ContainerCgroup ContainerCgroup::create(const Delegation& d, const std::string& name, const Resources& r) {
  ContainerCgroup cg;
  const auto wanted = controllers_for(r);
  try {
    if (!d.v2_dir.empty() && std::all_of(wanted.begin(), wanted.end(), [&](const auto& c) { return has(d.v2_controllers, c); })) {
      std::string enable;
      for (const auto& c : wanted) enable += (enable.empty() ? "+" : " +") + c;
      if (!enable.empty()) write_value(d.v2_dir, "cgroup.subtree_control", enable);
      const std::string dir = d.v2_dir + "/" + name;
      if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) throw_errno("create cgroup", dir);
      cg.dirs_.push_back(dir);
      write_v2(dir, r);
      return cg;
    }
    for (const auto& controller : wanted) {
      const auto parent = d.v1_dirs.find(v1_name(controller));
      if (parent == d.v1_dirs.end()) not_delegated(controller, d);
    }
    // cpuset, when delegated, always: a process is only moved into v1 hierarchies it has a cgroup in.
    std::vector<std::string> controllers = wanted;
    if (d.v1_dirs.count("cpuset") && !has(controllers, "cpuset") && !controllers.empty()) controllers.push_back("cpuset");
    for (const auto& controller : controllers) {
      const std::string parent = d.v1_dirs.at(v1_name(controller));
      const std::string dir = parent + "/" + name;
      if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) throw_errno("create cgroup", dir);
      cg.dirs_.push_back(dir);
      write_v1(controller, dir, parent, r);
    }
    return cg;
  } catch (...) {
    cg.remove();
    throw;
  }
}

ContainerCgroup ContainerCgroup::find(const Delegation& d, const std::string& name) {
  ContainerCgroup cg;
  std::vector<std::string> parents;
  if (!d.v2_dir.empty()) parents.push_back(d.v2_dir);
  for (const auto& [controller, dir] : d.v1_dirs) parents.push_back(dir);
  for (const auto& parent : parents) {
    struct stat st {};
    const std::string dir = parent + "/" + name;
    if (::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) cg.dirs_.push_back(dir);
  }
  return cg;
}

void ContainerCgroup::add_process(pid_t pid) const {
  for (const auto& dir : dirs_) write_value(dir, "cgroup.procs", std::to_string(pid));
}

void ContainerCgroup::remove() const {
  for (const auto& dir : dirs_) {
    // The last processes may still be on their way out (EBUSY) for a moment.
    for (int attempt = 0; attempt < 50 && ::rmdir(dir.c_str()) != 0 && errno == EBUSY; ++attempt) ::usleep(2000);
  }
}

}  // namespace pod::rootless::cgroup
