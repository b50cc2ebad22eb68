#include "rootless/container/default_seccomp.hpp"

#include <cerrno>

namespace pod::rootless::container {

core::oci::Seccomp default_seccomp_profile() {
  core::oci::Seccomp s;
  s.default_action = "SCMP_ACT_ALLOW";
  s.architectures = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"};
  core::oci::SeccompSyscall denied;
  denied.names = {"acct",          "add_key",        "bpf",           "clock_adjtime",    "clock_settime",
                  "create_module", "delete_module",  "finit_module",  "get_kernel_syms",  "init_module",
                  "ioperm",        "iopl",           "kcmp",          "kexec_file_load",  "kexec_load",
                  "keyctl",        "lookup_dcookie", "nfsservctl",    "open_by_handle_at", "perf_event_open",
                  "query_module",  "quotactl",       "reboot",        "request_key",      "settimeofday",
                  "stime",         "swapoff",        "swapon",        "sysfs",            "_sysctl",
                  "uselib",        "userfaultfd",    "ustat",         "vm86",             "vm86old"};
  denied.action = "SCMP_ACT_ERRNO";
  denied.errno_ret = EPERM;
  s.syscalls.push_back(denied);
  return s;
}

}  // namespace pod::rootless::container
