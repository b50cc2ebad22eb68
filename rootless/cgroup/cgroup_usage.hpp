// What a container's cgroup has counted, for `pod stats`: read from whichever hierarchy holds
// each controller (cgroup2 directory first, else the v1 one). A figure the cgroup does not
// count (its controller was not delegated) is absent, never a made-up zero.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace pod::rootless::cgroup {

class ContainerCgroup;

struct Usage {
  std::optional<std::uint64_t> cpu_ns;        // CPU time of all its processes, ever
  std::optional<std::uint64_t> memory_bytes;  // in use, without the page cache it could drop
  std::optional<std::uint64_t> memory_limit;  // absent when unlimited
  std::optional<std::uint64_t> pids;
  std::optional<std::uint64_t> io_read_bytes, io_write_bytes;
};

Usage read_usage(const ContainerCgroup& cgroup);

// Parsers of the files' formats, for tests.
std::optional<std::uint64_t> stat_field(std::string_view text, std::string_view key);  // "key value" lines
// v2 io.stat ("8:0 rbytes=1 wbytes=2 …" lines) or v1 blkio.throttle.io_service_bytes
// ("8:0 Read 1" lines): the sums over all devices.
std::pair<std::uint64_t, std::uint64_t> io_bytes(std::string_view text);

}  // namespace pod::rootless::cgroup
