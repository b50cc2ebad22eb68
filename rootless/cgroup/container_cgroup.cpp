#include "rootless/cgroup/container_cgroup.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <sstream>

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

std::string read_value(const std::string& dir, const std::string& file) {
  std::string text = try_read_file(dir + "/" + file, 4096).value_or("");
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

std::string limit_text(std::int64_t v) { return v < 0 ? "-1" : std::to_string(v); }
std::string max_text(std::int64_t v) { return v < 0 ? "max" : std::to_string(v); }

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

// The controllers pod knows how to use in a cgroup2 directory.
const std::vector<std::string>& v2_known() {
  static const std::vector<std::string> names = {"memory", "pids", "cpu", "cpuset", "io"};
  return names;
}

std::string v1_name(const std::string& controller) { return controller == "io" ? "blkio" : controller; }
std::string v2_name(const std::string& controller) { return controller == "blkio" ? "io" : controller; }

// v1 memory: memory.memsw.limit_in_bytes may never be below memory.limit_in_bytes, so the
// order of the two writes depends on which way the limit moves.
void write_v1_memory(const std::string& dir, const core::oci::MemoryResources& m) {
  const bool has_memsw = ::access((dir + "/memory.memsw.limit_in_bytes").c_str(), F_OK) == 0;
  std::uint64_t current_memsw = 0;
  try {
    current_memsw = std::stoull(read_value(dir, "memory.memsw.limit_in_bytes"));
  } catch (const std::exception&) {
  }
  const bool raising = m.limit && (*m.limit < 0 || static_cast<std::uint64_t>(*m.limit) > current_memsw);
  const bool swap_first = m.swap && has_memsw && (*m.swap < 0 || raising);
  if (swap_first) write_value(dir, "memory.memsw.limit_in_bytes", limit_text(*m.swap));
  if (m.limit) write_value(dir, "memory.limit_in_bytes", limit_text(*m.limit));
  if (m.swap && has_memsw && !swap_first) write_value(dir, "memory.memsw.limit_in_bytes", limit_text(*m.swap));
  if (m.reservation) write_value(dir, "memory.soft_limit_in_bytes", limit_text(*m.reservation));
}

// `creating`: a new v1 cpuset takes no process before it has cpus and mems — the parent's
// unless asked; an update leaves what is not asked alone.
void write_v1(const std::string& controller, const std::string& dir, const std::string& parent, const Resources& r,
              bool creating) {
  if (controller == "memory" && r.memory) {
    write_v1_memory(dir, *r.memory);
  } else if (controller == "pids" && r.pids_limit) {
    write_value(dir, "pids.max", *r.pids_limit > 0 ? std::to_string(*r.pids_limit) : "max");
  } else if (controller == "cpu" && r.cpu) {
    if (r.cpu->period) write_value(dir, "cpu.cfs_period_us", std::to_string(*r.cpu->period));
    if (r.cpu->quota) write_value(dir, "cpu.cfs_quota_us", limit_text(*r.cpu->quota));
    if (r.cpu->shares) write_value(dir, "cpu.shares", std::to_string(*r.cpu->shares));
  } else if (controller == "cpuset") {
    const bool cpus = r.cpu && !r.cpu->cpus.empty(), mems = r.cpu && !r.cpu->mems.empty();
    if (cpus || creating) write_value(dir, "cpuset.cpus", cpus ? r.cpu->cpus : read_value(parent, "cpuset.cpus"));
    if (mems || creating) write_value(dir, "cpuset.mems", mems ? r.cpu->mems : read_value(parent, "cpuset.mems"));
  } else if (controller == "blkio" && r.block_io_weight) {
    write_value(dir, "blkio.weight", std::to_string(*r.block_io_weight));
  }
}

template <typename InV2>
void write_v2(const std::string& dir, const Resources& r, InV2 in_v2) {
  if (r.memory && in_v2("memory")) {
    if (r.memory->limit) write_value(dir, "memory.max", max_text(*r.memory->limit));
    if (r.memory->swap && r.memory->limit && *r.memory->swap >= 0 && *r.memory->limit >= 0) {
      write_value(dir, "memory.swap.max", std::to_string(*r.memory->swap - *r.memory->limit));
    }
    if (r.memory->reservation) write_value(dir, "memory.low", max_text(*r.memory->reservation));
  }
  if (r.pids_limit && in_v2("pids")) write_value(dir, "pids.max", *r.pids_limit > 0 ? std::to_string(*r.pids_limit) : "max");
  if (r.cpu && in_v2("cpu")) {
    if (r.cpu->quota || r.cpu->period) {
      write_value(dir, "cpu.max", (r.cpu->quota && *r.cpu->quota > 0 ? std::to_string(*r.cpu->quota) : "max") + " " +
                                      std::to_string(r.cpu->period.value_or(100000)));
    }
    if (r.cpu->shares) write_value(dir, "cpu.weight", std::to_string(cpu_weight_from_shares(*r.cpu->shares)));
  }
  if (r.cpu && in_v2("cpuset")) {
    if (!r.cpu->cpus.empty()) write_value(dir, "cpuset.cpus", r.cpu->cpus);
    if (!r.cpu->mems.empty()) write_value(dir, "cpuset.mems", r.cpu->mems);
  }
  if (r.block_io_weight && in_v2("io")) write_value(dir, "io.weight", std::to_string(*r.block_io_weight));
}

[[noreturn]] void not_delegated(const std::string& controller, const Delegation& d) {
  const auto why = d.missing.find(v1_name(controller));
  throw Error("the limit asks for the " + controller + " cgroup controller, which this user may not write here" +
                  (why != d.missing.end() ? ": " + why->second : "") +
                  " (see `pod info`; systemd hosts delegate cgroup v2 to users through user@.service)",
              ErrorKind::unsupported);
}

// Turns on, for the children of the delegated cgroup2 directory, what it offers and pod uses:
// `needed` ones must work, the others are for accounting only. Returns those that are on.
std::vector<std::string> enable_v2_controllers(const Delegation& d, const std::vector<std::string>& needed) {
  std::vector<std::string> offered;
  for (const auto& c : v2_known()) {
    if (has(d.v2_controllers, c)) offered.push_back(c);
  }
  if (offered.empty()) return offered;
  std::string all;
  for (const auto& c : offered) all += (all.empty() ? "+" : " +") + c;
  try {
    write_value(d.v2_dir, "cgroup.subtree_control", all);
    return offered;
  } catch (const Error&) {
  }
  std::vector<std::string> enabled;
  for (const auto& c : offered) {
    try {
      write_value(d.v2_dir, "cgroup.subtree_control", "+" + c);
      enabled.push_back(c);
    } catch (const Error&) {
      if (has(needed, c)) throw;
    }
  }
  return enabled;
}

std::vector<std::string> controllers_of(const std::string& dir) {
  std::istringstream in(try_read_file(dir + "/cgroup.controllers", 4096).value_or(""));
  std::vector<std::string> out;
  for (std::string c; in >> c;) out.push_back(c);
  return out;
}

void make_dir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) throw_errno("create cgroup", dir);
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

bool ContainerCgroup::in_v2(const std::string& controller) const {
  return !v2_dir_.empty() && has(v2_controllers_, v2_name(controller));
}

ContainerCgroup ContainerCgroup::create(const Delegation& d, const std::string& name, const Resources& r) {
  const auto wanted = controllers_for(r);
  for (const auto& c : wanted) {
    if (!d.can_use(c)) not_delegated(c, d);
  }
  ContainerCgroup cg;
  try {
    if (!d.v2_dir.empty()) {
      std::vector<std::string> needed;
      for (const auto& c : wanted) {
        if (has(d.v2_controllers, c)) needed.push_back(c);
      }
      cg.v2_controllers_ = enable_v2_controllers(d, needed);
      const std::string dir = d.v2_dir + "/" + name;
      make_dir(dir);
      cg.v2_dir_ = dir;
      write_v2(dir, r, [&](const std::string& c) { return cg.in_v2(c); });
    }
    // v1: every delegated hierarchy the cgroup2 directory does not cover.
    for (const auto& [controller, parent] : d.v1_dirs) {
      if (cg.in_v2(controller)) continue;
      const std::string dir = parent + "/" + name;
      make_dir(dir);
      cg.v1_dirs_[controller] = dir;
      write_v1(controller, dir, parent, r, true);
    }
    return cg;
  } catch (...) {
    cg.remove();
    throw;
  }
}

ContainerCgroup ContainerCgroup::find(const Delegation& d, const std::string& name) {
  ContainerCgroup cg;
  const auto is_dir = [](const std::string& dir) {
    struct stat st {};
    return ::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  };
  if (!d.v2_dir.empty() && is_dir(d.v2_dir + "/" + name)) {
    cg.v2_dir_ = d.v2_dir + "/" + name;
    for (const auto& c : controllers_of(cg.v2_dir_)) {
      if (has(v2_known(), c)) cg.v2_controllers_.push_back(c);
    }
  }
  for (const auto& [controller, parent] : d.v1_dirs) {
    if (!cg.in_v2(controller) && is_dir(parent + "/" + name)) cg.v1_dirs_[controller] = parent + "/" + name;
  }
  return cg;
}

std::vector<std::string> ContainerCgroup::dirs() const {
  std::vector<std::string> out;
  if (!v2_dir_.empty()) out.push_back(v2_dir_);
  for (const auto& [controller, dir] : v1_dirs_) {
    if (!has(out, dir)) out.push_back(dir);
  }
  return out;
}

void ContainerCgroup::add_process(pid_t pid) const {
  for (const auto& dir : dirs()) write_value(dir, "cgroup.procs", std::to_string(pid));
}

void ContainerCgroup::remove() const {
  for (const auto& dir : dirs()) {
    // The last processes may still be on their way out (EBUSY) for a moment.
    for (int attempt = 0; attempt < 50 && ::rmdir(dir.c_str()) != 0 && errno == EBUSY; ++attempt) ::usleep(2000);
  }
}

void ContainerCgroup::update(const Resources& r) const {
  for (const auto& c : controllers_for(r)) {
    if (!in_v2(c) && !v1_dirs_.count(v1_name(c))) {
      throw Error("the container's cgroup has no " + c + " controller: it was not delegated when the container was created",
                  ErrorKind::unsupported);
    }
  }
  if (!v2_dir_.empty()) write_v2(v2_dir_, r, [&](const std::string& c) { return in_v2(c); });
  for (const auto& [controller, dir] : v1_dirs_) write_v1(controller, dir, "", r, false);
}

void ContainerCgroup::set_frozen(bool frozen) const {
  const auto freezer = v1_dirs_.find("freezer");
  if (v2_dir_.empty() && freezer == v1_dirs_.end()) {
    throw Error("the container's cgroup cannot be frozen: neither a cgroup2 directory nor the v1 freezer controller is "
                "delegated (see `pod info`)",
                ErrorKind::unsupported);
  }
  if (!v2_dir_.empty()) {
    write_value(v2_dir_, "cgroup.freeze", frozen ? "1" : "0");
  } else {
    write_value(freezer->second, "freezer.state", frozen ? "FROZEN" : "THAWED");
  }
  // Freezing takes effect task by task; report done only when all are.
  for (int waited_ms = 0; this->frozen() != frozen; waited_ms += 1) {
    if (waited_ms >= 5000) throw Error(std::string("the container's cgroup did not ") + (frozen ? "freeze" : "thaw") + " within 5 s");
    ::usleep(1000);
  }
}

bool ContainerCgroup::frozen() const {
  if (!v2_dir_.empty()) {
    const std::string events = try_read_file(v2_dir_ + "/cgroup.events", 4096).value_or("");
    return events.find("frozen 1") != std::string::npos;
  }
  const auto freezer = v1_dirs_.find("freezer");
  return freezer != v1_dirs_.end() && read_value(freezer->second, "freezer.state") == "FROZEN";
}

}  // namespace pod::rootless::cgroup
