// pod-runtime pause | resume | update — through the container's cgroup, as runc and crun.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <iostream>
#include <iterator>

#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"
#include "rootless/runtime/resources.hpp"
#include "tools/pod-runtime/verbs.hpp"

namespace pod::tools {
namespace {

using core::oci::Resources;

// runc's update flags; each one given overrides --resources.
struct UpdateFlags {
  std::string id;
  std::string resources_file;
  std::optional<std::int64_t> memory, memory_swap, memory_reservation, cpu_quota, pids_limit;
  std::optional<std::uint64_t> cpu_period, cpu_shares;
  std::optional<std::uint16_t> blkio_weight;
  std::string cpuset_cpus, cpuset_mems;
};

Resources resources_of(const UpdateFlags& f) {
  Resources r;
  if (!f.resources_file.empty()) {
    const std::string text = f.resources_file == "-" ? std::string(std::istreambuf_iterator<char>(std::cin), {})
                                                     : read_file(f.resources_file, 1u << 20);
    r = core::oci::parse_resources(text);
  }
  if (f.memory || f.memory_swap || f.memory_reservation) {
    auto& m = r.memory ? *r.memory : r.memory.emplace();
    if (f.memory) m.limit = f.memory;
    if (f.memory_swap) m.swap = f.memory_swap;
    if (f.memory_reservation) m.reservation = f.memory_reservation;
  }
  if (f.cpu_quota || f.cpu_period || f.cpu_shares || !f.cpuset_cpus.empty() || !f.cpuset_mems.empty()) {
    auto& c = r.cpu ? *r.cpu : r.cpu.emplace();
    if (f.cpu_quota) c.quota = f.cpu_quota;
    if (f.cpu_period) c.period = f.cpu_period;
    if (f.cpu_shares) c.shares = f.cpu_shares;
    if (!f.cpuset_cpus.empty()) c.cpus = f.cpuset_cpus;
    if (!f.cpuset_mems.empty()) c.mems = f.cpuset_mems;
  }
  if (f.pids_limit) r.pids_limit = f.pids_limit;
  if (f.blkio_weight) r.block_io_weight = f.blkio_weight;
  return r;
}

void add_id_verb(CLI::App& app, const char* name, const char* help, const RuntimeGlobals& g,
                 void (*action)(const rootless::runtime::StateStore&, const std::string&)) {
  auto id = std::make_shared<std::string>();
  auto* verb = app.add_subcommand(name, help);
  verb->add_option("id", *id, "container id")->required();
  verb->callback([id, action, &g] { action(runtime_store(g), *id); });
}

}  // namespace

void add_resource_verbs(CLI::App& app, const RuntimeGlobals& g) {
  add_id_verb(app, "pause", "freeze every process of a running container (its cgroup)", g,
              rootless::runtime::pause_container);
  add_id_verb(app, "resume", "thaw a paused container", g, rootless::runtime::resume_container);

  auto f = std::make_shared<UpdateFlags>();
  auto* verb = app.add_subcommand("update", "change the resource limits of a running container");
  verb->add_option("id", f->id, "container id")->required();
  verb->add_option("-r,--resources", f->resources_file, "a linux.resources JSON object in FILE (- reads stdin)");
  verb->add_option("--memory", f->memory, "memory limit in bytes (-1: none)");
  verb->add_option("--memory-swap", f->memory_swap, "memory plus swap limit in bytes (-1: none)");
  verb->add_option("--memory-reservation", f->memory_reservation, "memory soft limit in bytes");
  verb->add_option("--cpu-quota", f->cpu_quota, "CPU time in microseconds per period (-1: none)");
  verb->add_option("--cpu-period", f->cpu_period, "CPU period in microseconds");
  verb->add_option("--cpu-share", f->cpu_shares, "relative CPU weight (v1 shares)");
  verb->add_option("--cpuset-cpus", f->cpuset_cpus, "CPUs to run on (0-3,7)");
  verb->add_option("--cpuset-mems", f->cpuset_mems, "memory nodes to use");
  verb->add_option("--pids-limit", f->pids_limit, "most processes at once (0 or -1: none)");
  verb->add_option("--blkio-weight", f->blkio_weight, "relative block I/O weight (10-1000)");
  verb->callback([f, &g] { rootless::runtime::update_container(runtime_store(g), f->id, resources_of(*f)); });
}

}  // namespace pod::tools
