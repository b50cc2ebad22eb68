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

// The flags over the file's object, as runc applies them.
Resources resources_of(const UpdateFlags& f) {
  Resources flags;
  if (f.memory || f.memory_swap || f.memory_reservation) {
    flags.memory = core::oci::MemoryResources{f.memory, f.memory_reservation, f.memory_swap};
  }
  if (f.cpu_quota || f.cpu_period || f.cpu_shares || !f.cpuset_cpus.empty() || !f.cpuset_mems.empty()) {
    flags.cpu = core::oci::CpuResources{f.cpu_shares, f.cpu_quota, f.cpu_period, f.cpuset_cpus, f.cpuset_mems};
  }
  flags.pids_limit = f.pids_limit;
  flags.block_io_weight = f.blkio_weight;
  if (f.resources_file.empty()) return flags;
  const std::string text = f.resources_file == "-" ? std::string(std::istreambuf_iterator<char>(std::cin), {})
                                                   : read_file(f.resources_file, 1u << 20);
  return core::oci::merge_resources(core::oci::parse_resources(text), flags);
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
