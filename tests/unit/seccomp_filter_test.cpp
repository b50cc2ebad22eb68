#include "rootless/runtime/seccomp_filter.hpp"

#include <catch2/catch.hpp>

#include "libcore/sys/error.hpp"

using Catch::Matchers::Contains;
using pod::core::oci::Seccomp;
using pod::core::oci::SeccompArg;
using pod::core::oci::SeccompSyscall;
using pod::rootless::runtime::SeccompFilter;

namespace {

Seccomp profile(std::string default_action, std::vector<SeccompSyscall> syscalls) {
  Seccomp s;
  s.default_action = std::move(default_action);
  s.architectures = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"};
  s.syscalls = std::move(syscalls);
  return s;
}

}  // namespace

// Building (not loading: that would filter the test runner itself).
TEST_CASE("seccomp: a Docker-like profile builds; unknown syscalls and redundant rules are skipped", "[seccomp]") {
  SeccompSyscall allowed{{"read", "write", "openat", "a_syscall_from_the_future"}, "SCMP_ACT_ALLOW", {}, {}};
  SeccompSyscall personality{{"personality"}, "SCMP_ACT_ALLOW", {}, {SeccompArg{0, 0, 0, "SCMP_CMP_EQ"}}};
  SeccompSyscall clone{{"clone"}, "SCMP_ACT_ALLOW", {}, {SeccompArg{0, 0x7E020000, 0, "SCMP_CMP_MASKED_EQ"}}};
  SeccompSyscall either{{"socket"}, "SCMP_ACT_ERRNO", 1, {SeccompArg{0, 16, 0, "SCMP_CMP_EQ"}, SeccompArg{0, 17, 0, "SCMP_CMP_EQ"}}};
  CHECK_NOTHROW(SeccompFilter(profile("SCMP_ACT_ERRNO", {allowed, personality, clone, either})));
  // A rule with the default action adds nothing (libseccomp would refuse it).
  CHECK_NOTHROW(SeccompFilter(profile("SCMP_ACT_ALLOW", {allowed})));
}

TEST_CASE("seccomp: what cannot be honoured is an error naming it", "[seccomp]") {
  CHECK_THROWS_WITH(SeccompFilter(profile("SCMP_ACT_NOTIFY", {})), Contains("SCMP_ACT_NOTIFY"));
  SeccompSyscall notify{{"mkdir"}, "SCMP_ACT_NOTIFY", {}, {}};
  CHECK_THROWS_WITH(SeccompFilter(profile("SCMP_ACT_ALLOW", {notify})), Contains("not supported"));
  SeccompSyscall bad_op{{"mkdir"}, "SCMP_ACT_ERRNO", {}, {SeccompArg{0, 1, 0, "SCMP_CMP_SOMETIMES"}}};
  CHECK_THROWS_WITH(SeccompFilter(profile("SCMP_ACT_ALLOW", {bad_op})), Contains("SCMP_CMP_SOMETIMES"));
  auto bad_arch = profile("SCMP_ACT_ALLOW", {});
  bad_arch.architectures = {"SCMP_ARCH_VAX"};
  CHECK_THROWS_WITH(SeccompFilter(bad_arch), Contains("SCMP_ARCH_VAX"));
  auto bad_flag = profile("SCMP_ACT_ALLOW", {});
  bad_flag.flags = {"SECCOMP_FILTER_FLAG_MAGIC"};
  CHECK_THROWS_WITH(SeccompFilter(bad_flag), Contains("SECCOMP_FILTER_FLAG_MAGIC"));
}
