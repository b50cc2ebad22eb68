#include "storage/container_status.hpp"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"
#include "libcore/sys/process.hpp"
#include "libcore/sys/clock.hpp"

namespace pod::storage {
namespace {

using nlohmann::json;

std::optional<json> read_json(const std::string& path) {
  const auto text = try_read_file(path, 1u << 16);
  if (!text) return std::nullopt;
  try {
    return json::parse(*text);
  } catch (const json::exception&) {
    return std::nullopt;  // a torn write cannot happen (atomic), a damaged file is "absent"
  }
}

}  // namespace

std::string_view to_string(ContainerStatus status) {
  switch (status) {
    case ContainerStatus::created: return "created";
    case ContainerStatus::running: return "running";
    case ContainerStatus::exited: return "exited";
  }
  return "unknown";
}


ContainerState container_state(const std::string& dir) {
  ContainerState s;
  const auto init = read_json(dir + "/init.json");
  if (init) s.monitor_pid = init->value("monitor_pid", 0);
  s.started_at = try_read_file(dir + "/started", 256).value_or("");
  if (const auto exit = read_json(dir + "/exit.json")) {
    s.status = ContainerStatus::exited;
    s.exit_code = exit->value("exit_code", -1);
    s.oom_killed = exit->value("oom_killed", false);
    s.finished_at = exit->value("finished_at", "");
    return s;
  }
  if (!init) return s;
  const pid_t pid = init->value("pid", 0);
  const bool alive = pid > 0 && is_process_alive(pid) &&
                     process_start_ticks(pid) == init->value("start_time", std::uint64_t{0});
  if (alive) {
    s.pid = pid;
    s.status = s.started_at.empty() ? ContainerStatus::created : ContainerStatus::running;
    s.paused = s.status == ContainerStatus::running && ::access((dir + "/paused").c_str(), F_OK) == 0;
    return s;
  }
  // The monitor writes exit.json right after the init ends; give it that moment.
  if (s.monitor_pid > 0 && is_process_alive(s.monitor_pid)) {
    s.status = ContainerStatus::running;
    return s;
  }
  s.status = ContainerStatus::exited;
  s.exit_code = -1;
  return s;
}


void wait_for_monitor(const std::string& dir) {
  const pid_t monitor = container_state(dir).monitor_pid;
  for (int i = 0; i < 250 && monitor > 0 && monitor != ::getppid() && is_process_alive(monitor); ++i) {
    ::usleep(20000);
  }
}

}  // namespace pod::storage
