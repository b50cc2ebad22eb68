// The resource-limit flags of run, create and update (--memory, --cpus, --pids-limit…), as
// Podman spells them, and the linux.resources they make.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "libcore/oci/runtime_spec.hpp"

namespace CLI {
class App;
}

namespace pod::tools {

struct LimitFlags {
  // Sizes as 512m, 1g…; empty/0 means not asked.
  std::string memory, memory_swap, memory_reservation;
  std::optional<std::int64_t> pids_limit;  // 0 or -1: unlimited
  double cpus = 0;
  std::uint64_t cpu_shares = 0;
  std::int64_t cpu_quota = 0;
  std::uint64_t cpu_period = 0;
  std::string cpuset_cpus, cpuset_mems;
  std::uint16_t blkio_weight = 0;
};

void add_limit_flags(CLI::App& verb, LimitFlags& flags);

// nullopt when no flag asks for anything. Errors name the flag.
std::optional<core::oci::Resources> resources_of(const LimitFlags& flags);

// "512m", "1g", "100k", "1048576" → bytes; "-1" unlimited.
std::int64_t parse_size(const std::string& flag, const std::string& text);

}  // namespace pod::tools
