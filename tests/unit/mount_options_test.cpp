#include "libcore/oci/mount_options.hpp"

#include <sys/mount.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using pod::core::oci::MountFlags;
using pod::core::oci::parse_mount_options;

namespace {

struct Case {
  std::string name;
  std::vector<std::string> options;
  MountFlags expected;
};

MountFlags flags(unsigned long f, std::string data = "") {
  MountFlags m;
  m.flags = f;
  m.data = std::move(data);
  return m;
}

MountFlags propagation(unsigned long p) {
  MountFlags m;
  m.propagation = p;
  return m;
}

MountFlags bind(unsigned long f, bool recursive) {
  MountFlags m = flags(f);
  m.bind = true;
  m.recursive = recursive;
  return m;
}

MountFlags tmpcopyup(std::string data) {
  MountFlags m = flags(0, std::move(data));
  m.tmpcopyup = true;
  return m;
}

}  // namespace

TEST_CASE("parse_mount_options splits flags, propagation and data", "[mount_options]") {
  const auto c = GENERATE(values<Case>({
      {"nothing", {}, flags(0)},
      {"defaults is a no-op", {"defaults"}, flags(0)},
      {"runc's /dev",
       {"nosuid", "strictatime", "mode=755", "size=65536k"},
       flags(MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k")},
      {"runc's /dev/pts",
       {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"},
       flags(MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5")},
      {"runc's /sys/fs/cgroup",
       {"nosuid", "noexec", "nodev", "relatime", "ro"},
       flags(MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RELATIME | MS_RDONLY)},
      {"rootless /sys",
       {"rbind", "nosuid", "noexec", "nodev", "ro"},
       bind(MS_BIND | MS_REC | MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY, true)},
      {"bind", {"bind"}, bind(MS_BIND, false)},
      {"ro", {"ro"}, flags(MS_RDONLY)},
      {"ro then rw", {"ro", "rw"}, flags(0)},
      {"rw then ro", {"rw", "ro"}, flags(MS_RDONLY)},
      {"nosuid then suid", {"nosuid", "suid"}, flags(0)},
      {"nodev then dev", {"nodev", "dev"}, flags(0)},
      {"dev then nodev", {"dev", "nodev"}, flags(MS_NODEV)},
      {"noexec then exec", {"noexec", "exec"}, flags(0)},
      {"sync", {"sync"}, flags(MS_SYNCHRONOUS)},
      {"sync then async", {"sync", "async"}, flags(0)},
      {"dirsync", {"dirsync"}, flags(MS_DIRSYNC)},
      {"remount", {"remount", "bind", "ro"}, bind(MS_REMOUNT | MS_BIND | MS_RDONLY, false)},
      {"mand", {"mand"}, flags(MS_MANDLOCK)},
      {"mand then nomand", {"mand", "nomand"}, flags(0)},
      {"noatime", {"noatime"}, flags(MS_NOATIME)},
      {"noatime then atime", {"noatime", "atime"}, flags(0)},
      {"nodiratime", {"nodiratime"}, flags(MS_NODIRATIME)},
      {"nodiratime then diratime", {"nodiratime", "diratime"}, flags(0)},
      {"relatime then norelatime", {"relatime", "norelatime"}, flags(0)},
      {"strictatime", {"strictatime"}, flags(MS_STRICTATIME)},
      {"strictatime then nostrictatime", {"strictatime", "nostrictatime"}, flags(0)},
      {"lazytime", {"lazytime"}, flags(MS_LAZYTIME)},
      {"nosymfollow", {"nosymfollow"}, flags(MS_NOSYMFOLLOW)},
      {"private", {"private"}, propagation(MS_PRIVATE)},
      {"rprivate", {"rprivate"}, propagation(MS_PRIVATE | MS_REC)},
      {"shared", {"shared"}, propagation(MS_SHARED)},
      {"rshared", {"rshared"}, propagation(MS_SHARED | MS_REC)},
      {"slave", {"slave"}, propagation(MS_SLAVE)},
      {"rslave", {"rslave"}, propagation(MS_SLAVE | MS_REC)},
      {"unbindable", {"unbindable"}, propagation(MS_UNBINDABLE)},
      {"runbindable", {"runbindable"}, propagation(MS_UNBINDABLE | MS_REC)},
      {"the last propagation wins", {"rprivate", "shared"}, propagation(MS_SHARED)},
      {"tmpcopyup is not data", {"tmpcopyup", "mode=1777"}, tmpcopyup("mode=1777")},
      {"unknown options keep their order",
       {"context=\"system_u:object_r:container_file_t:s0\"", "ro", "uid=0", "upperdir=/a,b"},
       flags(MS_RDONLY, "context=\"system_u:object_r:container_file_t:s0\",uid=0,upperdir=/a,b")},
      {"option names are exact", {"RO", "no-exec"}, flags(0, "RO,no-exec")},
  }));
  CAPTURE(c.name);
  const MountFlags got = parse_mount_options(c.options);
  CHECK(got.flags == c.expected.flags);
  CHECK(got.propagation == c.expected.propagation);
  CHECK(got.bind == c.expected.bind);
  CHECK(got.recursive == c.expected.recursive);
  CHECK(got.tmpcopyup == c.expected.tmpcopyup);
  CHECK(got.data == c.expected.data);
}

TEST_CASE("propagation does not leak into the mount flags, nor bind into propagation", "[mount_options]") {
  const MountFlags m = parse_mount_options({"rbind", "rslave", "ro"});
  CHECK(m.flags == (MS_BIND | MS_REC | MS_RDONLY));
  CHECK(m.propagation == (MS_SLAVE | MS_REC));
  CHECK(m.bind);
  CHECK(m.recursive);
  CHECK(m.data.empty());
}
