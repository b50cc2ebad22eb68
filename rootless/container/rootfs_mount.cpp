#include "rootless/container/rootfs_mount.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"
#include "libcore/sys/files.hpp"
#include "libcore/sys/log.hpp"
#include "libcore/sys/process.hpp"
#include "rootless/container/vfs_copy.hpp"

namespace pod::rootless::container {
namespace {

std::string common_parent(const std::vector<std::string>& dirs) {
  std::string parent = dirs.front().substr(0, dirs.front().rfind('/'));
  parent = parent.substr(0, parent.rfind('/'));  // layers/<id>/diff → layers
  for (const auto& d : dirs) {
    if (d.rfind(parent + "/", 0) != 0) return {};
  }
  return parent;
}

// lowerdir may not exceed a page: with the layers of one store, name them relative to it and
// mount from there.
std::string lower_option(const std::vector<std::string>& layers, const std::string& parent) {
  std::string out;
  for (const auto& l : layers) {
    if (!out.empty()) out += ':';
    out += parent.empty() ? l : l.substr(parent.size() + 1);
  }
  return out;
}

void mount_native(const std::vector<std::string>& layers, const std::string& upper, const std::string& work,
                  const std::string& merged, bool rootless) {
  const std::string parent = common_parent(layers);
  std::string data = "lowerdir=" + lower_option(layers, parent);
  if (!upper.empty()) data += ",upperdir=" + upper + ",workdir=" + work;
  if (rootless) data += ",userxattr";
  const UniqueFd cwd(::open(".", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!parent.empty() && ::chdir(parent.c_str()) != 0) throw_errno("chdir", parent);
  const int rc = ::mount("overlay", merged.c_str(), "overlay", 0, data.c_str());
  const int err = errno;
  if (cwd) [[maybe_unused]] int ignored = ::fchdir(cwd.get());
  if (rc != 0) {
    errno = err;
    throw_errno("mount the overlay on", merged);
  }
}

void mount_fuse(const std::vector<std::string>& layers, const std::string& upper, const std::string& work,
                const std::string& merged) {
  const auto r = run_command({"fuse-overlayfs", "-o",
                              "lowerdir=" + lower_option(layers, "") + ",upperdir=" + upper + ",workdir=" + work,
                              merged});
  if (r.exit_code != 0) {
    throw Error("fuse-overlayfs failed (" + describe_exit(r) + "): " + quote_untrusted(r.output, 300));
  }
}

// Mounts a two-layer overlay in a scratch directory of the store; the error when it fails.
std::string try_driver(const std::string& driver, const std::string& store_root, bool rootless) {
  try {
    TempDir scratch(store_root, "driver-probe");
    const std::string d = scratch.path();
    for (const char* sub : {"/l1", "/l2", "/u", "/w", "/m"}) make_dirs(d + sub, 0700);
    mount_rootfs(driver, {d + "/l2", d + "/l1"}, d + "/u", d + "/w", d + "/m", rootless);
    if (driver != "vfs") ::umount2((d + "/m").c_str(), MNT_DETACH);
    return {};
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace

void mount_rootfs(const std::string& driver, const std::vector<std::string>& layers, const std::string& upper,
                  const std::string& work, const std::string& merged, bool rootless) {
  if (layers.empty()) throw Error("an image without layers cannot be a root filesystem", ErrorKind::invalid_input);
  if (driver == "overlay") return mount_native(layers, upper, work, merged, rootless);
  if (driver == "fuse-overlayfs") return mount_fuse(layers, upper, work, merged);
  if (driver == "vfs") return copy_layers(layers, merged);
  throw Error("unknown storage driver " + quote(driver) + " (overlay, fuse-overlayfs or vfs)", ErrorKind::invalid_input);
}

void mount_layers_read_only(const std::vector<std::string>& layers, const std::string& merged, bool rootless) {
  if (layers.empty()) throw Error("an image without layers cannot be a root filesystem", ErrorKind::invalid_input);
  if (layers.size() > 1) return mount_native(layers, "", "", merged, rootless);
  // overlay wants two lower directories without an upper one: one layer is bound instead.
  if (::mount(layers.front().c_str(), merged.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) throw_errno("bind", layers.front());
  if (::mount(nullptr, merged.c_str(), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr) != 0) throw_errno("remount read-only", merged);
}

DriverChoice choose_driver(const std::string& store_root, const std::string& runroot, bool rootless,
                           const std::string& forced) {
  if (!forced.empty()) {
    const std::string error = try_driver(forced, store_root, rootless);
    if (!error.empty()) throw Error("storage driver " + quote(forced) + " does not work here: " + error, ErrorKind::unsupported);
    return {forced, ""};
  }
  // Cached per boot: the runroot is on a tmpfs.
  const std::string cache = runroot + "/storage-driver";
  if (auto cached = try_read_file(cache, 4096)) {
    const auto nl = cached->find('\n');
    return {cached->substr(0, nl), nl == std::string::npos ? "" : cached->substr(nl + 1)};
  }
  DriverChoice choice;
  const std::string native_error = try_driver("overlay", store_root, rootless);
  if (native_error.empty()) {
    choice = {"overlay", ""};
  } else {
    const std::string fuse_error = try_driver("fuse-overlayfs", store_root, rootless);
    if (fuse_error.empty()) {
      choice = {"fuse-overlayfs", "native overlay failed: " + native_error};
    } else {
      choice = {"vfs", "native overlay failed: " + native_error + "; fuse-overlayfs failed: " + fuse_error};
    }
  }
  make_dirs(runroot, 0700);
  write_state_file(cache, choice.driver + "\n" + choice.reason);
  return choice;
}

}  // namespace pod::rootless::container
