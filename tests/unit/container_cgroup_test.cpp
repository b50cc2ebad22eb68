#include "rootless/cgroup/container_cgroup.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>

#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"
#include "rootless/cgroup/layout.hpp"
#include "tests/unit/test_support.hpp"

using namespace pod::rootless::cgroup;
using pod::core::oci::CpuResources;
using pod::core::oci::MemoryResources;
using pod::core::oci::Resources;

namespace {

// Memory, pids and half a CPU.
Resources limits(std::int64_t memory, std::int64_t pids) {
  Resources r;
  r.memory = MemoryResources{memory, {}, {}};
  r.pids_limit = pids;
  CpuResources cpu;
  cpu.quota = 50000;
  cpu.period = 100000;
  r.cpu = cpu;
  return r;
}

}  // namespace

TEST_CASE("container cgroup: the controllers a set of limits needs", "[cgroup]") {
  CHECK(controllers_for(Resources{}).empty());
  Resources r = limits(std::int64_t{1} << 20, 10);
  CHECK(controllers_for(r) == std::vector<std::string>{"memory", "pids", "cpu"});
  r.cpu->cpus = "0";
  CHECK(controllers_for(r).back() == "cpuset");
}

TEST_CASE("container cgroup: v1 shares become v2 weights as runc converts them", "[cgroup]") {
  CHECK(cpu_weight_from_shares(2) == 1);
  CHECK(cpu_weight_from_shares(1024) == 39);
  CHECK(cpu_weight_from_shares(262144) == 10000);
  CHECK(cpu_weight_from_shares(0) == 100);
}

TEST_CASE("container cgroup: v2 limits land in a child of the delegated directory (fake tree)", "[cgroup]") {
  pod::TempDir fake("/tmp", "cgroup-tree");
  const std::string delegated = fake.path() + "/user@1000.service";
  pod::make_dirs(delegated);
  pod::test::write_text(delegated + "/cgroup.subtree_control", "");
  Delegation d;
  d.v2_dir = delegated;
  d.v2_controllers = {"memory", "pids", "cpu"};
  const Resources r = limits(std::int64_t{64} << 20, 100);
  // A real cgroupfs creates the files with the directory; the fake tree gets them beforehand.
  pod::make_dirs(delegated + "/pod-x");
  for (const char* f : {"memory.max", "pids.max", "cpu.max", "cgroup.procs"}) pod::test::write_text(delegated + "/pod-x/" + f, "");
  const auto cg = ContainerCgroup::create(d, "pod-x", r);
  CHECK(cg.dirs() == std::vector<std::string>{delegated + "/pod-x"});
  CHECK(pod::read_file(delegated + "/cgroup.subtree_control") == "+memory +pids +cpu");
  CHECK(pod::read_file(delegated + "/pod-x/memory.max") == "67108864");
  CHECK(pod::read_file(delegated + "/pod-x/pids.max") == "100");
  CHECK(pod::read_file(delegated + "/pod-x/cpu.max") == "50000 100000");
}

TEST_CASE("container cgroup: a limit whose controller is not delegated is refused", "[cgroup]") {
  Delegation d;
  d.missing["memory"] = "no directory of /sys/fs/cgroup/memory is owned by uid 1000";
  Resources r;
  r.memory = MemoryResources{std::int64_t{1} << 20, {}, {}};
  CHECK_THROWS_WITH(ContainerCgroup::create(d, "pod-y", r), Catch::Contains("memory cgroup controller") &&
                                                                 Catch::Contains("owned by uid 1000"));
}

namespace {

// A hybrid fake: a cgroup2 directory with no controllers, and v1 memory and pids hierarchies.
struct HybridTree {
  pod::TempDir root{"/tmp", "cgroup-tree"};
  Delegation d;
  HybridTree() {
    d.v2_dir = root.path() + "/unified/pod/1000";
    d.v1_dirs["memory"] = root.path() + "/memory/pod/1000";
    d.v1_dirs["pids"] = root.path() + "/pids/pod/1000";
    for (const auto& [c, dir] : d.v1_dirs) pod::make_dirs(dir + "/pod-z");
    pod::make_dirs(d.v2_dir + "/pod-z");
    for (const char* f : {"memory.limit_in_bytes", "memory.soft_limit_in_bytes"}) {
      pod::test::write_text(d.v1_dirs["memory"] + "/pod-z/" + f, "");
    }
    pod::test::write_text(d.v1_dirs["pids"] + "/pod-z/pids.max", "");
  }
};

}  // namespace

TEST_CASE("container cgroup: hybrid — a cgroup2 directory for membership, v1 ones for limits (fake tree)", "[cgroup]") {
  HybridTree t;
  Resources r;
  r.pids_limit = 64;
  const auto cg = ContainerCgroup::create(t.d, "pod-z", r);
  CHECK(cg.v2_dir() == t.d.v2_dir + "/pod-z");
  CHECK(cg.v1_dirs().size() == 2);  // every delegated hierarchy, limited or not: stats count them all
  CHECK(pod::read_file(t.d.v1_dirs["pids"] + "/pod-z/pids.max") == "64");
  CHECK(cg.dirs().size() == 3);

  const auto found = ContainerCgroup::find(t.d, "pod-z");
  CHECK(found.dirs() == cg.dirs());
  Resources more;
  more.memory = MemoryResources{std::int64_t{32} << 20, {}, {}};
  found.update(more);
  CHECK(pod::read_file(t.d.v1_dirs["memory"] + "/pod-z/memory.limit_in_bytes") == "33554432");
  Resources cpu_too;
  cpu_too.cpu = CpuResources{};
  cpu_too.cpu->quota = 1000;
  CHECK_THROWS_WITH(found.update(cpu_too), Catch::Contains("no cpu controller"));
  CHECK(ContainerCgroup::find(t.d, "pod-other").empty());
}

TEST_CASE("container cgroup: frozen is read from cgroup.events (v2) or freezer.state (v1)", "[cgroup]") {
  HybridTree t;
  const auto cg = ContainerCgroup::find(t.d, "pod-z");
  pod::test::write_text(cg.v2_dir() + "/cgroup.events", "populated 1\nfrozen 0\n");
  CHECK_FALSE(cg.frozen());
  pod::test::write_text(cg.v2_dir() + "/cgroup.events", "populated 1\nfrozen 1\n");
  CHECK(cg.frozen());
  Delegation v1_only = t.d;
  v1_only.v2_dir.clear();
  v1_only.v1_dirs["freezer"] = t.root.path() + "/freezer";
  pod::make_dirs(v1_only.v1_dirs["freezer"] + "/pod-z");
  pod::test::write_text(v1_only.v1_dirs["freezer"] + "/pod-z/freezer.state", "FROZEN\n");
  CHECK(ContainerCgroup::find(v1_only, "pod-z").frozen());
  v1_only.v1_dirs.erase("freezer");
  CHECK_THROWS_WITH(ContainerCgroup::find(v1_only, "pod-z").set_frozen(true), Catch::Contains("cannot be frozen"));
}
