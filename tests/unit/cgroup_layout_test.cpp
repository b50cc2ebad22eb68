#include "rootless/cgroup/layout.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>

#include "libcore/sys/files.hpp"
#include "tests/unit/test_support.hpp"

using namespace pod::rootless::cgroup;

namespace {

// What these test machines have: v1 controllers and a cgroup2 hierarchy on the side.
const char* kHybrid =
    "24 1 0:22 / /sys rw - sysfs sysfs rw\n"
    "30 24 0:26 / /sys/fs/cgroup ro,nosuid shared:8 - tmpfs tmpfs ro,mode=755\n"
    "31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid shared:9 - cgroup2 cgroup2 rw,nsdelegate\n"
    "32 30 0:28 / /sys/fs/cgroup/systemd rw shared:10 - cgroup cgroup rw,xattr,name=systemd\n"
    "35 30 0:31 / /sys/fs/cgroup/memory rw shared:13 - cgroup cgroup rw,memory\n"
    "36 30 0:32 / /sys/fs/cgroup/cpu,cpuacct rw shared:14 - cgroup cgroup rw,cpu,cpuacct\n"
    "37 30 0:33 / /sys/fs/cgroup/pids rw shared:15 - cgroup cgroup rw,pids\n";

// A systemd distribution: one unified hierarchy.
const char* kUnified =
    "24 1 0:22 / /sys rw - sysfs sysfs rw\n"
    "30 24 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n";

}  // namespace

TEST_CASE("cgroup layout: hybrid, unified and none are told apart from mountinfo", "[cgroup]") {
  const Layout hybrid = parse_layout(kHybrid);
  CHECK(hybrid.version == Version::hybrid);
  CHECK(hybrid.unified_mount == "/sys/fs/cgroup/unified");
  CHECK(hybrid.v1_mounts.at("memory") == "/sys/fs/cgroup/memory");
  CHECK(hybrid.v1_mounts.at("cpu") == "/sys/fs/cgroup/cpu,cpuacct");
  CHECK(hybrid.v1_mounts.at("name=systemd") == "/sys/fs/cgroup/systemd");
  CHECK(hybrid.v1_mounts.count("xattr") == 0);
  const Layout unified = parse_layout(kUnified);
  CHECK(unified.version == Version::v2);
  CHECK(unified.unified_mount == "/sys/fs/cgroup");
  CHECK(parse_layout("24 1 0:22 / /sys rw - sysfs sysfs rw\n").version == Version::none);
}

TEST_CASE("cgroup membership: v1 controllers and the v2 path from /proc/self/cgroup", "[cgroup]") {
  const auto m = parse_membership("12:pids:/user.slice\n4:cpu,cpuacct:/a/b\n1:name=systemd:/x\n0::/user.slice/user@1000.service/app.slice\n");
  CHECK(m.at("pids") == "/user.slice");
  CHECK(m.at("cpu") == "/a/b");
  CHECK(m.at("cpuacct") == "/a/b");
  CHECK(m.at("") == "/user.slice/user@1000.service/app.slice");
}

TEST_CASE("cgroup delegation: the highest v2 directory the user owns above its cgroup, with its controllers", "[cgroup]") {
  pod::TempDir fake("/tmp", "cgroup-tree");
  const std::string top = fake.path() + "/sys/fs/cgroup";
  const std::string service = top + "/user.slice/user@1000.service";
  pod::make_dirs(service + "/app.slice/term.scope");
  // As systemd leaves it: user.slice and the top are root's, user@1000.service down the user's.
  // Only root can hand them to another owner; as anyone else the fake's top directories are
  // the user's own, and the highest of them below the hierarchy's root is the answer.
  const uid_t user = ::getuid() == 0 ? 1000 : ::getuid();
  const bool realistic = ::getuid() == 0;
  if (realistic) {
    for (const std::string& dir : {service, service + "/app.slice", service + "/app.slice/term.scope"}) {
      REQUIRE(::chown(dir.c_str(), user, user) == 0);
    }
  }
  const std::string expected = realistic ? service : top + "/user.slice";
  pod::test::write_text(expected + "/cgroup.controllers", "cpu io memory pids\n");
  const auto layout = parse_layout(kUnified);
  const std::map<std::string, std::string> membership = {{"", "/user.slice/user@1000.service/app.slice/term.scope"}};
  const auto mine = find_delegation(layout, membership, user, fake.path());
  CHECK(mine.v2_dir == expected);
  CHECK(mine.v2_controllers == std::vector<std::string>{"cpu", "io", "memory", "pids"});
  CHECK(mine.missing.count("memory") == 0);
  CHECK(mine.missing.count("freezer") == 0);  // cgroup.freeze: any cgroup2 directory has it
  CHECK(mine.missing.count("cpuset") == 1);   // not in that cgroup.controllers
  const auto theirs = find_delegation(layout, membership, user + 1, fake.path());
  CHECK(theirs.v2_dir.empty());
  CHECK(theirs.missing.count("memory") == 1);
}

TEST_CASE("cgroup delegation: v1 controllers where the user owns a directory on its path", "[cgroup]") {
  pod::TempDir fake("/tmp", "cgroup-tree");
  pod::make_dirs(fake.path() + "/sys/fs/cgroup/memory/pod/podtest");
  pod::make_dirs(fake.path() + "/sys/fs/cgroup/pids");
  const auto layout = parse_layout(kHybrid);
  const std::map<std::string, std::string> membership = {{"memory", "/pod/podtest"}, {"pids", "/"}, {"", "/"}};
  const auto d = find_delegation(layout, membership, ::getuid(), fake.path());
  CHECK(d.v1_dirs.at("memory") == fake.path() + "/sys/fs/cgroup/memory/pod/podtest");
  CHECK(d.v1_dirs.at("pids") == fake.path() + "/sys/fs/cgroup/pids");
  CHECK(d.missing.count("freezer") == 1);  // not mounted in this layout
  const auto other = find_delegation(layout, membership, ::getuid() + 1, fake.path());
  CHECK(other.v1_dirs.empty());
  CHECK(other.missing.at("memory").find("owned by uid") != std::string::npos);
}

TEST_CASE("cgroup delegation: v1 subtrees an administrator made at <hierarchy>/pod/<uid>", "[cgroup]") {
  pod::TempDir fake("/tmp", "cgroup-tree");
  const std::string uid = std::to_string(::getuid());
  pod::make_dirs(fake.path() + "/sys/fs/cgroup/pids/pod/" + uid);
  const auto layout = parse_layout(kHybrid);
  // The process itself sits in a cgroup owned by someone else (its uid is not the owner).
  const auto d = find_delegation(layout, {{"pids", "/elsewhere"}}, ::getuid(), fake.path());
  CHECK(d.v1_dirs.at("pids") == fake.path() + "/sys/fs/cgroup/pids/pod/" + uid);
}
