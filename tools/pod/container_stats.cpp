// pod stats — what each container's cgroup counted (CPU, memory, pids, block I/O) and its
// network namespace's interfaces carried, as Podman's table or JSON; live unless --no-stream.
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"
#include "rootless/cgroup/cgroup_usage.hpp"
#include "rootless/cgroup/container_cgroup.hpp"
#include "rootless/cgroup/layout.hpp"
#include "storage/container_status.hpp"
#include "tools/common/human.hpp"
#include "tools/common/main.hpp"
#include "tools/common/output.hpp"
#include "tools/pod/store_access.hpp"
#include "tools/pod/verbs.hpp"

namespace pod::tools {
namespace {

using Clock = std::chrono::system_clock;
using storage::ContainerStatus;

struct Sample {
  std::string id, name;
  bool running = false;
  Clock::time_point at, started;
  rootless::cgroup::Usage usage;
  std::optional<std::uint64_t> net_rx, net_tx;
};

// The bytes through every interface but lo of the network namespace `pid` is in.
void read_network(pid_t pid, Sample& s) {
  const auto text = try_read_file("/proc/" + std::to_string(pid) + "/net/dev", 1u << 16);
  if (!text) return;
  std::istringstream lines(*text);
  std::string line;
  std::uint64_t rx = 0, tx = 0;
  while (std::getline(lines, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;  // the two header lines
    std::string name = line.substr(0, colon);
    name.erase(0, name.find_first_not_of(' '));
    std::istringstream fields(line.substr(colon + 1));
    std::uint64_t v[9] = {};
    for (auto& x : v) fields >> x;
    if (name == "lo") continue;
    rx += v[0];
    tx += v[8];
  }
  s.net_rx = rx;
  s.net_tx = tx;
}

Sample sample(const rootless::cgroup::Delegation& delegation, const storage::ContainerStore& containers,
              const storage::ContainerRecord& r) {
  Sample s;
  s.id = r.id;
  s.name = r.name;
  s.at = Clock::now();
  const auto state = storage::container_state(containers.dir(r.id));
  s.running = state.status == ContainerStatus::running && state.pid > 0;
  if (!s.running) return s;
  // The `started` file's time: finer than the seconds of the RFC 3339 text it holds.
  struct stat st {};
  s.started = ::stat((containers.dir(r.id) + "/started").c_str(), &st) == 0
                  ? Clock::time_point(std::chrono::duration_cast<Clock::duration>(
                        std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec)))
                  : Clock::from_time_t(parse_rfc3339(state.started_at).value_or(std::time(nullptr)));
  const auto cgroup = rootless::cgroup::ContainerCgroup::find(delegation, "pod-" + r.id);
  if (!cgroup.empty()) s.usage = rootless::cgroup::read_usage(cgroup);
  read_network(state.pid, s);
  return s;
}

std::optional<std::uint64_t> host_memory() {
  const auto text = try_read_file("/proc/meminfo", 1u << 16).value_or("");
  const auto at = text.find("MemTotal:");
  if (at == std::string::npos) return std::nullopt;
  return std::stoull(text.substr(at + 9)) * 1024;
}

std::string percent(double value) { return fmt::format("{:.2f}%", value); }

// Go's time.Duration spelling, which Podman prints: "30.026ms", "1.5s", "2m3.4s".
std::string cpu_time(std::uint64_t ns) {
  const auto trimmed = [](double v, const char* unit) {
    std::string t = fmt::format("{:.3f}", v);
    while (t.back() == '0') t.pop_back();
    if (t.back() == '.') t.pop_back();
    return t + unit;
  };
  if (ns < 1000) return std::to_string(ns) + "ns";
  if (ns < 1000000) return trimmed(static_cast<double>(ns) / 1e3, "µs");
  if (ns < 1000000000) return trimmed(static_cast<double>(ns) / 1e6, "ms");
  const std::uint64_t minutes = ns / 60000000000ULL;
  const double seconds = static_cast<double>(ns % 60000000000ULL) / 1e9;
  return (minutes ? std::to_string(minutes) + "m" : "") + trimmed(seconds, "s");
}

struct Row {
  std::string id, name, cpu_percent, mem_usage, mem_percent, net_io, block_io, pids, cpu_time, avg_cpu;
};

// CPU % is over the time since `previous` (or, for the first sample, since the container
// started); AVG CPU % always since it started. 100% is one CPU, as Podman counts.
Row row_of(const Sample& s, const Sample* previous, std::optional<std::uint64_t> host_total) {
  const std::string none = "--";
  Row row{s.id.substr(0, 12), s.name, none, none, none, none, none, none, none, none};
  if (!s.running) return row;
  const auto& u = s.usage;
  if (u.cpu_ns) {
    const auto since = [&](Clock::time_point from, std::uint64_t cpu_before) {
      const double wall = std::chrono::duration<double, std::nano>(s.at - from).count();
      return wall > 0 ? percent(100.0 * static_cast<double>(*u.cpu_ns - std::min(cpu_before, *u.cpu_ns)) / wall) : percent(0);
    };
    row.avg_cpu = since(s.started, 0);
    row.cpu_percent = previous && previous->usage.cpu_ns ? since(previous->at, *previous->usage.cpu_ns) : row.avg_cpu;
    row.cpu_time = cpu_time(*u.cpu_ns);
  }
  if (u.memory_bytes) {
    const auto limit = u.memory_limit ? u.memory_limit : host_total;
    row.mem_usage = compact_size(*u.memory_bytes) + " / " + (limit ? compact_size(*limit) : none);
    if (limit && *limit > 0) row.mem_percent = percent(100.0 * static_cast<double>(*u.memory_bytes) / static_cast<double>(*limit));
  }
  if (s.net_rx) row.net_io = compact_size(*s.net_rx) + " / " + compact_size(*s.net_tx);
  if (u.io_read_bytes) row.block_io = compact_size(*u.io_read_bytes) + " / " + compact_size(*u.io_write_bytes);
  if (u.pids) row.pids = std::to_string(*u.pids);
  return row;
}

nlohmann::json json_of(const Row& r, const std::string& full_id) {
  return {{"id", full_id},          {"name", r.name},         {"cpu_time", r.cpu_time}, {"cpu_percent", r.cpu_percent},
          {"avg_cpu", r.avg_cpu},   {"mem_usage", r.mem_usage}, {"mem_percent", r.mem_percent},
          {"net_io", r.net_io},     {"block_io", r.block_io}, {"pids", r.pids}};
}

void print_table(const std::vector<Row>& rows) {
  const auto line = [](const Row& r) {
    fmt::print("{:<14}{:<16}{:<10}{:<22}{:<10}{:<22}{:<22}{:<7}{:<14}{}\n", r.id, r.name, r.cpu_percent, r.mem_usage,
               r.mem_percent, r.net_io, r.block_io, r.pids, r.cpu_time, r.avg_cpu);
  };
  line(Row{"ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET IO", "BLOCK IO", "PIDS", "CPU TIME", "AVG CPU %"});
  for (const auto& r : rows) line(r);
}

struct StatsFlags {
  std::vector<std::string> names;
  bool all = false, no_stream = false, no_reset = false;
  std::string format;
  int interval = 5;
};

// The containers to show: those named (each must be running unless -a), else every running
// one (every one with -a). Read again each round: containers come and go.
std::vector<storage::ContainerRecord> chosen(const storage::ContainerStore& containers, const StatsFlags& f) {
  std::vector<storage::ContainerRecord> out;
  if (f.names.empty()) {
    for (const auto& r : containers.list()) {
      if (f.all || storage::container_state(containers.dir(r.id)).status == ContainerStatus::running) out.push_back(r);
    }
    return out;
  }
  for (const auto& name : f.names) {
    const auto r = containers.resolve(name);
    const auto s = storage::container_state(containers.dir(r.id));
    if (!f.all && s.status != ContainerStatus::running) {
      throw Error("container " + r.name + " is not running (it is " + std::string(to_string(s.status)) + ")", ErrorKind::conflict);
    }
    out.push_back(r);
  }
  return out;
}

void run_stats(const GlobalOptions& global, const StatsFlags& f) {
  check_format(f.format);
  const OpenedStore opened = open_store_in_place(global);
  const storage::ContainerStore containers(opened.store);
  const auto delegation = rootless::cgroup::own_delegation();
  const auto host_total = host_memory();
  const bool live_screen = !f.no_stream && ::isatty(STDOUT_FILENO) == 1 && !f.no_reset;
  std::map<std::string, Sample> previous;
  for (;;) {
    std::vector<Row> rows;
    nlohmann::json json = nlohmann::json::array();
    std::map<std::string, Sample> now;
    for (const auto& r : chosen(containers, f)) {
      Sample s = sample(delegation, containers, r);
      const auto before = previous.find(r.id);
      rows.push_back(row_of(s, before == previous.end() ? nullptr : &before->second, host_total));
      json.push_back(json_of(rows.back(), r.id));
      now[r.id] = std::move(s);
    }
    if (live_screen) fmt::print("\033[2J\033[H");
    if (f.format == "json") {
      fmt::print("{}\n", json.dump(4));
    } else {
      print_table(rows);
    }
    std::fflush(stdout);
    if (f.no_stream) return;
    previous = std::move(now);
    std::this_thread::sleep_for(std::chrono::seconds(f.interval));
  }
}

}  // namespace

void add_stats_verb(CLI::App& app, const GlobalOptions& global) {
  auto f = std::make_shared<StatsFlags>();
  auto* verb = app.add_subcommand("stats", "show containers' CPU, memory, pids, network and block I/O use, live");
  verb->add_option("containers", f->names, "container names or ids (default: all running)");
  verb->add_flag("-a,--all", f->all, "show all containers, not only running ones");
  verb->add_flag("--no-stream", f->no_stream, "print one sample and exit");
  verb->add_flag("--no-reset", f->no_reset, "do not clear the screen between samples");
  verb->add_option("-i,--interval", f->interval, "seconds between samples (default 5)")->check(CLI::PositiveNumber);
  verb->add_option("--format", f->format, "json for JSON output");
  verb->callback([f, &global] { run_stats(global, *f); });
}

}  // namespace pod::tools
