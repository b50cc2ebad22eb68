// The seccomp profile containers get unless `--security-opt seccomp=unconfined`: everything
// allowed except what no ordinary container needs and what has been a source of kernel
// exploits — module and kexec loading, reboot, swap, clock setting, kernel keyrings, bpf,
// perf events, userfaultfd, open_by_handle_at, process accounting, quotactl — which fail
// with EPERM. (A deny list, unlike Docker's
// allow list: new harmless syscalls work on newer kernels without a profile update.)
#pragma once

#include "libcore/oci/runtime_spec.hpp"

namespace pod::rootless::container {

core::oci::Seccomp default_seccomp_profile();

}  // namespace pod::rootless::container
