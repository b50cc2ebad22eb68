#include "rootless/cgroup/cgroup_usage.hpp"

#include <catch2/catch.hpp>

#include "libcore/sys/files.hpp"
#include "rootless/cgroup/container_cgroup.hpp"
#include "rootless/cgroup/layout.hpp"
#include "tests/unit/test_support.hpp"

using namespace pod::rootless::cgroup;

TEST_CASE("cgroup usage: the formats of cpu.stat, io.stat and blkio files", "[cgroup]") {
  CHECK(stat_field("usage_usec 1500\nuser_usec 1000\n", "usage_usec") == 1500u);
  CHECK_FALSE(stat_field("usage_usec 1500\n", "system_usec"));
  CHECK(io_bytes("8:0 rbytes=100 wbytes=20 rios=1 wios=1\n8:16 rbytes=5 wbytes=0\n") == std::pair<std::uint64_t, std::uint64_t>{105, 20});
  CHECK(io_bytes("8:0 Read 4096\n8:0 Write 512\n8:0 Sync 0\n8:0 Total 4608\nTotal 4608\n") ==
        std::pair<std::uint64_t, std::uint64_t>{4096, 512});
}

TEST_CASE("cgroup usage: v1 figures from their hierarchies, v1's 'no limit' as none (fake tree)", "[cgroup]") {
  pod::TempDir root("/tmp", "cgroup-tree");
  Delegation d;
  for (const char* c : {"memory", "pids", "cpuacct"}) {
    d.v1_dirs[c] = root.path() + "/" + c;
    pod::make_dirs(d.v1_dirs[c] + "/pod-u");
  }
  const std::string memory = d.v1_dirs["memory"] + "/pod-u";
  pod::test::write_text(memory + "/memory.usage_in_bytes", "1000000\n");
  pod::test::write_text(memory + "/memory.stat", "cache 5\ntotal_inactive_file 200000\n");
  pod::test::write_text(memory + "/memory.limit_in_bytes", "9223372036854771712\n");
  pod::test::write_text(d.v1_dirs["pids"] + "/pod-u/pids.current", "3\n");
  pod::test::write_text(d.v1_dirs["cpuacct"] + "/pod-u/cpuacct.usage", "123456789\n");
  const auto u = read_usage(ContainerCgroup::find(d, "pod-u"));
  CHECK(u.memory_bytes == 800000u);
  CHECK_FALSE(u.memory_limit);
  CHECK(u.pids == 3u);
  CHECK(u.cpu_ns == 123456789u);
  CHECK_FALSE(u.io_read_bytes);  // no blkio hierarchy: no figure, not a zero
}
