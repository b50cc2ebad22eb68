#include "rootless/runtime/rootfs.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "libcore/sys/error.hpp"
#include "libcore/sys/log.hpp"
#include "libcore/sys/root_path.hpp"
#include "rootless/runtime/mount_exec.hpp"
#include "rootless/runtime/mount_plan.hpp"
#include "rootless/runtime/sysctl.hpp"

namespace pod::rootless::runtime {
namespace {

UniqueFd open_dir(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!fd) throw_errno("open", path);
  return fd;
}

}  // namespace

void setup_rootfs(const core::oci::RuntimeSpec& spec, const RootfsContext& context) {
  using namespace detail;
  // Everything that can be refused by reading config.json is refused before the first mount.
  const RootfsPlan plan = plan_rootfs(spec, context.rootless);
  if (context.rootfs.empty() || context.rootfs.front() != '/') {
    throw Error("rootfs " + quote_path(context.rootfs) + " is not an absolute path", ErrorKind::invalid_input);
  }
  log::debug("setting up rootfs " + quote_path(context.rootfs) + (context.rootless ? " (rootless)" : ""));

  // 1. Nothing mounted from here on may propagate back to the host.
  set_propagation("/", plan.root_propagation);
  // 2. The rootfs becomes a mount point, and the fd every later step resolves paths in.
  bind_rootfs_onto_itself(context.rootfs);
  const UniqueFd root = open_dir(context.rootfs);
  // 3. The spec's mounts in its order: /dev before /dev/pts, /sys before /sys/fs/cgroup.
  for (const auto& op : plan.mounts) execute_mount(root.get(), op, context.rootless);
  // 4. Devices and /dev links, on the /dev the mounts made.
  create_devices(root.get(), plan.devices, plan.bind_devices);
  create_links(root.get(), plan.links);
  // 5. Into the new root, after the hooks that still see the host's paths.
  if (context.before_pivot) context.before_pivot();
  pivot_into(root.get());
  if (plan.final_root_propagation != 0) set_propagation("/", plan.final_root_propagation);
  if (spec.linux_spec) write_sysctls(spec.linux_spec->sysctl);
  // 6. Restrictions last, so that no earlier step undoes them (runc: read-only, masked, root).
  const UniqueFd new_root = open_dir("/");
  make_paths_readonly(new_root.get(), plan.readonly_paths);
  mask_paths(new_root.get(), plan.masked_paths);
  if (plan.readonly_root) make_root_readonly(new_root.get());
}

}  // namespace pod::rootless::runtime
