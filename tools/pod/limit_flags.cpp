#include "tools/pod/limit_flags.hpp"

#include <CLI/CLI.hpp>

#include <map>

#include "libcore/sys/error.hpp"

namespace pod::tools {

std::int64_t parse_size(const std::string& flag, const std::string& text) {
  if (text == "-1") return -1;
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  const std::string unit = text.substr(used);
  const std::map<std::string, double> units = {{"", 1}, {"b", 1}, {"k", 1024}, {"kb", 1024}, {"m", 1024.0 * 1024},
                                               {"mb", 1024.0 * 1024}, {"g", 1024.0 * 1024 * 1024}, {"gb", 1024.0 * 1024 * 1024}};
  std::string lower = unit;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto it = units.find(lower);
  if (used == 0 || it == units.end() || value <= 0) {
    throw Error(flag + " " + quote_untrusted(text) + " is not a size (like 512m or 1g)", ErrorKind::invalid_input);
  }
  return static_cast<std::int64_t>(value * it->second);
}

void add_limit_flags(CLI::App& verb, LimitFlags& f) {
  verb.add_option("-m,--memory", f.memory, "memory limit (like 512m, 1g)");
  verb.add_option("--memory-swap", f.memory_swap, "memory plus swap limit (-1: unlimited swap)");
  verb.add_option("--memory-reservation", f.memory_reservation, "memory soft limit");
  verb.add_option("--pids-limit", f.pids_limit, "most processes at once (default 2048 where the pids controller is delegated; -1: unlimited)");
  verb.add_option("--cpus", f.cpus, "CPUs worth of time, like 0.5");
  verb.add_option("--cpu-shares", f.cpu_shares, "relative CPU weight (default 1024)");
  verb.add_option("--cpu-quota", f.cpu_quota, "CPU time in microseconds per period");
  verb.add_option("--cpu-period", f.cpu_period, "CPU period in microseconds");
  verb.add_option("--cpuset-cpus", f.cpuset_cpus, "CPUs to run on, like 0-1");
  verb.add_option("--cpuset-mems", f.cpuset_mems, "memory nodes to use, like 0");
  verb.add_option("--blkio-weight", f.blkio_weight, "relative block I/O weight (10-1000)")->check(CLI::Range(10, 1000));
}

std::optional<core::oci::Resources> resources_of(const LimitFlags& f) {
  core::oci::Resources r;
  bool any = false;
  if (!f.memory.empty() || !f.memory_swap.empty() || !f.memory_reservation.empty()) {
    core::oci::MemoryResources m;
    if (!f.memory.empty()) m.limit = parse_size("--memory", f.memory);
    if (!f.memory_swap.empty()) m.swap = parse_size("--memory-swap", f.memory_swap);
    if (!f.memory_reservation.empty()) m.reservation = parse_size("--memory-reservation", f.memory_reservation);
    r.memory = m;
    any = true;
  }
  if (f.pids_limit) {
    r.pids_limit = *f.pids_limit > 0 ? *f.pids_limit : -1;
    any = true;
  }
  if (f.cpus > 0 || f.cpu_shares > 0 || f.cpu_quota != 0 || f.cpu_period > 0 || !f.cpuset_cpus.empty() ||
      !f.cpuset_mems.empty()) {
    core::oci::CpuResources c;
    if (f.cpus > 0) {  // --cpus N: N periods of 100 ms per 100 ms
      c.period = 100000;
      c.quota = static_cast<std::int64_t>(f.cpus * 100000);
    }
    if (f.cpu_period > 0) c.period = f.cpu_period;
    if (f.cpu_quota != 0) c.quota = f.cpu_quota;
    if (f.cpu_shares > 0) c.shares = f.cpu_shares;
    c.cpus = f.cpuset_cpus;
    c.mems = f.cpuset_mems;
    r.cpu = c;
    any = true;
  }
  if (f.blkio_weight > 0) {
    r.block_io_weight = f.blkio_weight;
    any = true;
  }
  if (!any) return std::nullopt;
  return r;
}

}  // namespace pod::tools
