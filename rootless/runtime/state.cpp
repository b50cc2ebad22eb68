#include "rootless/runtime/state.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "libcore/json_read.hpp"
#include "libcore/oci/runtime_spec.hpp"
#include "libcore/sys/environment.hpp"
#include "libcore/sys/error.hpp"
#include "rootless/cgroup/container_cgroup.hpp"
#include "rootless/cgroup/layout.hpp"
#include "libcore/sys/files.hpp"
#include "libcore/sys/process.hpp"

namespace pod::rootless::runtime {

std::string_view to_string(Status status) {
  switch (status) {
    case Status::creating: return "creating";
    case Status::created: return "created";
    case Status::running: return "running";
    case Status::paused: return "paused";
    case Status::stopped: return "stopped";
  }
  return "unknown";
}

void check_container_id(const std::string& id) {
  const auto ok = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-'; };
  if (id.empty() || id.size() > 1024 || !std::isalnum(static_cast<unsigned char>(id[0])) ||
      !std::all_of(id.begin(), id.end(), ok)) {
    throw Error("invalid container id " + quote_untrusted(id, 100) + ": use letters, digits, _ . - (starting with a letter or digit)",
                ErrorKind::usage);
  }
}

std::string StateStore::default_root() {
  if (::geteuid() == 0 && !process_env("_POD_USERNS_CONFIGURED")) return "/run/pod-runtime";
  if (auto dir = process_env("XDG_RUNTIME_DIR")) return *dir + "/pod-runtime";
  return "/tmp/pod-runtime-" + std::to_string(::getuid());
}

void StateStore::reserve(const std::string& id) const {
  check_container_id(id);
  make_dirs(root_, 0700);
  if (::mkdir(dir(id).c_str(), 0700) != 0) {
    if (errno == EEXIST) throw Error("container " + quote(id) + " already exists", ErrorKind::conflict);
    throw_errno("create", dir(id));
  }
}

void StateStore::save(const ContainerState& s) const {
  const nlohmann::json j{{"id", s.id}, {"bundle", s.bundle}, {"pid", s.pid}, {"pid_start_time", s.pid_start_time},
                         {"created", s.created}, {"annotations", s.annotations}, {"cgroup", s.cgroup}};
  write_state_file(dir(s.id) + "/state.json", j.dump(2), 0600);
}

ContainerState StateStore::load(const std::string& id) const {
  check_container_id(id);
  const auto text = try_read_file(dir(id) + "/state.json", 1u << 20);
  if (!text) throw Error("container " + quote(id) + " does not exist", ErrorKind::not_found);
  return with_context("reading the state of " + quote(id), [&] {
    const auto doc = core::parse_json_document(*text);
    const core::JsonObject o(doc, "");
    ContainerState s;
    s.id = o.string("id");
    s.bundle = o.string("bundle");
    s.pid = static_cast<pid_t>(o.integer("pid"));
    s.pid_start_time = static_cast<std::uint64_t>(o.optional_integer("pid_start_time").value_or(0));
    s.created = o.optional_string("created").value_or("");
    s.annotations = o.string_map("annotations");
    s.cgroup = o.optional_string("cgroup").value_or("");
    return s;
  });
}

std::vector<std::string> StateStore::ids() const {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(root_, ec)) {
    if (e.is_directory() && std::filesystem::exists(e.path() / "state.json")) out.push_back(e.path().filename());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void StateStore::remove(const std::string& id) const { remove_tree(dir(id)); }


Status StateStore::status(const ContainerState& s) const {
  if (s.pid <= 0 || !is_process_alive(s.pid) || process_start_ticks(s.pid) != s.pid_start_time) return Status::stopped;
  if (::access(fifo(s.id).c_str(), F_OK) == 0) return Status::created;
  if (!s.cgroup.empty() && cgroup::ContainerCgroup::find(cgroup::own_delegation(), s.cgroup).frozen()) return Status::paused;
  return Status::running;
}

std::string state_json(const ContainerState& s, Status status) {
  nlohmann::json j{{"ociVersion", core::oci::kRuntimeSpecVersion}, {"id", s.id}, {"status", to_string(status)},
                   {"pid", status == Status::stopped ? 0 : s.pid}, {"bundle", s.bundle}, {"annotations", s.annotations}};
  return j.dump(2);
}

}  // namespace pod::rootless::runtime
