#include "tools/pod/container_views.hpp"

#include <ctime>

#include "libcore/net/port_mapping.hpp"
#include "libcore/sys/files.hpp"
#include "rootless/container/network_mode.hpp"
#include "tools/common/human.hpp"

namespace pod::tools {
namespace {

std::string duration_text(std::time_t seconds) {
  if (seconds < 60) return seconds <= 1 ? "1 second" : std::to_string(seconds) + " seconds";
  if (seconds < 3600) return seconds < 120 ? "About a minute" : std::to_string(seconds / 60) + " minutes";
  if (seconds < 86400) return seconds < 7200 ? "About an hour" : std::to_string(seconds / 3600) + " hours";
  return std::to_string(seconds / 86400) + " days";
}

std::time_t when(const std::string& rfc3339) { return parse_rfc3339(rfc3339).value_or(std::time(nullptr)); }

}  // namespace

std::string status_text(const storage::ContainerState& s, const std::string& created) {
  const std::time_t now = std::time(nullptr);
  switch (s.status) {
    case storage::ContainerStatus::created: return "Created";
    case storage::ContainerStatus::running:
      if (s.paused) return "Paused";
      return "Up " + duration_text(now - when(s.started_at.empty() ? created : s.started_at));
    case storage::ContainerStatus::exited:
      return "Exited (" + std::to_string(s.exit_code) + ") " + duration_text(now - when(s.finished_at.empty() ? created : s.finished_at)) + " ago";
  }
  return "Unknown";
}

nlohmann::json ps_json(const storage::ContainerRecord& r, const storage::ContainerState& s) {
  return {{"Id", r.id},
          {"Names", {r.name}},
          {"Image", r.image_name},
          {"ImageID", r.image_id},
          {"Command", r.command},
          {"Created", when(r.created)},
          {"CreatedAt", r.created},
          {"State", s.paused ? std::string("paused") : std::string(to_string(s.status))},
          {"Status", status_text(s, r.created)},
          {"Exited", s.status == storage::ContainerStatus::exited},
          {"ExitCode", s.exit_code},
          {"Pid", s.pid},
          {"Labels", r.labels},
          {"Mounts", r.mounts}};
}

namespace {

// Docker's names for the limits in config.json's linux.resources (0: none).
nlohmann::json host_config(const storage::ContainerRecord& r, const nlohmann::json& config) {
  const auto resources = config.value("linux", nlohmann::json::object()).value("resources", nlohmann::json::object());
  const auto memory = resources.value("memory", nlohmann::json::object());
  const auto cpu = resources.value("cpu", nlohmann::json::object());
  return {{"AutoRemove", r.remove},
          {"NetworkMode", r.network},
          {"ReadonlyRootfs", config.value("root", nlohmann::json::object()).value("readonly", false)},
          {"Memory", memory.value("limit", std::int64_t{0})},
          {"MemorySwap", memory.value("swap", std::int64_t{0})},
          {"MemoryReservation", memory.value("reservation", std::int64_t{0})},
          {"PidsLimit", resources.value("pids", nlohmann::json::object()).value("limit", std::int64_t{0})},
          {"CpuShares", cpu.value("shares", std::uint64_t{0})},
          {"CpuQuota", cpu.value("quota", std::int64_t{0})},
          {"CpuPeriod", cpu.value("period", std::uint64_t{0})},
          {"CpusetCpus", cpu.value("cpus", "")},
          {"CpusetMems", cpu.value("mems", "")},
          {"BlkioWeight", resources.value("blockIO", nlohmann::json::object()).value("weight", 0)}};
}

// Docker's shape: {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]}; the address
// pod-slirp gives the container.
nlohmann::json network_settings(const storage::ContainerRecord& r) {
  nlohmann::json ports = nlohmann::json::object();
  for (const auto& text : r.ports) {
    const auto p = core::net::from_canonical(text);
    ports[std::to_string(p.container_port) + "/" + p.protocol].push_back(
        {{"HostIp", p.host_ip}, {"HostPort", std::to_string(p.host_port)}});
  }
  const bool slirp = r.network.rfind("slirp4netns", 0) == 0 || r.network == "private";
  return {{"Ports", ports},
          {"IPAddress", slirp ? rootless::container::kSlirpGuestAddress : ""},
          {"Gateway", slirp ? rootless::container::kSlirpGateway : ""}};
}

}  // namespace

nlohmann::json inspect_json(const storage::ContainerRecord& r, const storage::ContainerState& s, const std::string& dir) {
  nlohmann::json config = nlohmann::json::object();
  if (const auto text = try_read_file(dir + "/config.json", 4u << 20)) config = nlohmann::json::parse(*text, nullptr, false);
  const auto process = config.value("process", nlohmann::json::object());
  const auto args = process.value("args", std::vector<std::string>{});
  return {{"Id", r.id},
          {"Created", r.created},
          {"Path", args.empty() ? "" : args.front()},
          {"Args", args.empty() ? std::vector<std::string>{} : std::vector<std::string>(args.begin() + 1, args.end())},
          {"State",
           {{"Status", s.paused ? std::string("paused") : std::string(to_string(s.status))},
            {"Running", s.status == storage::ContainerStatus::running},
            {"Paused", s.paused},
            {"Restarting", false},
            {"OOMKilled", s.oom_killed},
            {"Dead", false},
            {"Pid", s.pid},
            {"ConmonPid", s.monitor_pid},
            {"ExitCode", s.exit_code},
            {"Error", ""},
            {"StartedAt", s.started_at},
            {"FinishedAt", s.finished_at}}},
          {"Image", r.image_id},
          {"ImageName", r.image_name},
          {"Name", r.name},
          {"Driver", r.driver},
          {"OCIRuntime", r.runtime.empty() ? "pod-runtime" : r.runtime},
          {"LogPath", dir + "/ctr.log"},
          {"Mounts", r.mounts},
          {"Config",
           {{"Hostname", config.value("hostname", "")},
            {"Env", process.value("env", std::vector<std::string>{})},
            {"Cmd", args},
            {"Image", r.image_name},
            {"WorkingDir", process.value("cwd", "/")},
            {"Labels", r.labels},
            {"StopSignal", r.stop_signal},
            {"StopTimeout", r.stop_timeout},
            {"Tty", r.tty},
            {"OpenStdin", r.interactive},
            {"User", std::to_string(process.value("user", nlohmann::json::object()).value("uid", 0))}}},
          {"HostConfig", host_config(r, config)},
          {"NetworkSettings", network_settings(r)}};
}

}  // namespace pod::tools
