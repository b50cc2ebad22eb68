#include "rootless/runtime/sysctl.hpp"

#include <catch2/catch.hpp>

#include "libcore/sys/error.hpp"

using Catch::Matchers::Contains;
using pod::core::oci::LinuxSpec;
using pod::core::oci::Namespace;
using pod::core::oci::NamespaceType;
using pod::core::oci::RuntimeSpec;
using pod::rootless::runtime::check_sysctls;

namespace {

RuntimeSpec spec_with(std::vector<NamespaceType> namespaces, std::map<std::string, std::string> sysctl) {
  RuntimeSpec spec;
  spec.linux_spec = LinuxSpec{};
  for (auto type : namespaces) spec.linux_spec->namespaces.push_back(Namespace{type, ""});
  spec.linux_spec->sysctl = std::move(sysctl);
  return spec;
}

}  // namespace

TEST_CASE("sysctl: namespaced keys are accepted with their namespace", "[sysctl]") {
  CHECK_NOTHROW(check_sysctls(spec_with({NamespaceType::network}, {{"net.ipv4.ip_forward", "1"}})));
  CHECK_NOTHROW(check_sysctls(spec_with({NamespaceType::ipc}, {{"kernel.shmmax", "1"}, {"fs.mqueue.msg_max", "5"}})));
  CHECK_NOTHROW(check_sysctls(spec_with({NamespaceType::ipc}, {{"kernel.sem", "1 2 3 4"}, {"kernel.msgmax", "9"}})));
  CHECK_NOTHROW(check_sysctls(spec_with({NamespaceType::uts}, {{"kernel.domainname", "example"}})));
  CHECK_NOTHROW(check_sysctls(RuntimeSpec{}));
}

TEST_CASE("sysctl: a key without its namespace names the namespace it needs", "[sysctl]") {
  CHECK_THROWS_WITH(check_sysctls(spec_with({NamespaceType::ipc}, {{"net.core.somaxconn", "1"}})),
                    Contains("needs the container to have its own network namespace"));
  CHECK_THROWS_WITH(check_sysctls(spec_with({NamespaceType::network}, {{"kernel.shmmni", "1"}})),
                    Contains("own ipc namespace"));
}

TEST_CASE("sysctl: host-wide or malformed keys are refused", "[sysctl]") {
  const auto all = std::vector<NamespaceType>{NamespaceType::network, NamespaceType::ipc, NamespaceType::uts};
  CHECK_THROWS_WITH(check_sysctls(spec_with(all, {{"vm.swappiness", "1"}})), Contains("is not namespaced"));
  CHECK_THROWS_WITH(check_sysctls(spec_with(all, {{"kernel.pid_max", "1"}})), Contains("is not namespaced"));
  CHECK_THROWS_WITH(check_sysctls(spec_with(all, {{"net..x", "1"}})), Contains("is not a sysctl name"));
  CHECK_THROWS_WITH(check_sysctls(spec_with(all, {{"net.ipv4/../../x", "1"}})), Contains("is not a sysctl name"));
}
