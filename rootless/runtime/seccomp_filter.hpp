// linux.seccomp as a kernel filter, built with libseccomp. Built before the container reports
// "created" (so a bad profile fails `create`), loaded as late as possible: right before exec
// when no_new_privs is set, else while the process still has CAP_SYS_ADMIN in its namespace
// (before it changes user), as runc does.
//
// Rules as runc and crun read them: syscall names the kernel or libseccomp do not know are
// skipped (profiles list syscalls of newer kernels); a rule whose action is the default action
// is redundant and skipped; args with distinct indexes are ANDed in one rule, repeated indexes
// make one rule per arg (ORed). SCMP_ACT_NOTIFY needs a listener pod-runtime does not have:
// refused.
#pragma once

#include <memory>

#include "libcore/oci/runtime_spec.hpp"

namespace pod::rootless::runtime {

class SeccompFilter {
 public:
  // Throws Error(invalid_input) naming the syscall, action, operator or architecture.
  explicit SeccompFilter(const core::oci::Seccomp& profile);
  ~SeccompFilter();
  SeccompFilter(SeccompFilter&&) noexcept;
  SeccompFilter& operator=(SeccompFilter&&) noexcept;

  void load() const;

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

// The names `pod-runtime features` reports.
const std::vector<std::string>& supported_seccomp_actions();
const std::vector<std::string>& supported_seccomp_operators();

}  // namespace pod::rootless::runtime
