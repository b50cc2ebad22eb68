#include "builder/working_root.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "libcore/sys/error.hpp"
#include "libcore/sys/log.hpp"
#include "rootless/container/rootfs_mount.hpp"
#include "storage/layer_store.hpp"

namespace pod::builder {
namespace {

std::string checked_driver(const BuildEnvironment& env) {
  const auto choice = rootless::container::choose_driver(env.store->root(), env.runroot, env.rootless, env.storage_driver);
  if (choice.driver == "vfs") {
    throw Error("pod build needs an overlay driver (native overlay or fuse-overlayfs), and neither works here: " +
                    choice.reason,
                ErrorKind::unsupported);
  }
  return choice.driver;
}

UniqueFd open_root(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!fd) throw_errno("open", path);
  return fd;
}

}  // namespace

WorkingRoot::WorkingRoot(const BuildEnvironment& env, const std::vector<std::string>& lowers)
    : env_(env), layer_(storage::new_layer_dir(*env.store)) {
  merged_ = layer_.path() + "/merged";
  make_dirs(merged_, 0755);
  make_dirs(scratch_dir(), 0700);
  std::vector<std::string> dirs = lowers;
  if (dirs.empty()) {  // FROM scratch: overlay still wants a lower directory
    dirs.push_back(layer_.path() + "/empty");
    make_dirs(dirs.back(), 0755);
  }
  rootless::container::mount_rootfs(checked_driver(env), dirs, layer_.path() + "/diff", layer_.path() + "/work", merged_,
                                    env.rootless);
  mounted_ = true;
  root_fd_ = open_root(merged_);
}

WorkingRoot::~WorkingRoot() {
  try {
    unmount();
  } catch (const std::exception& e) {
    log::warn(std::string("build: ") + e.what());
  }
}

void WorkingRoot::unmount() {
  root_fd_.reset();
  if (!mounted_) return;
  mounted_ = false;
  if (::umount2(merged_.c_str(), 0) != 0 && ::umount2(merged_.c_str(), MNT_DETACH) != 0) throw_errno("unmount", merged_);
}

storage::CommittedLayer WorkingRoot::commit(const std::string& parent, const storage::LayerCommitOptions& options) {
  unmount();
  for (const char* sub : {"/merged", "/scratch", "/empty"}) remove_tree(layer_.path() + sub);
  return storage::commit_layer_dir(*env_.store, std::move(layer_), parent, options);
}

ReadOnlyRoot::ReadOnlyRoot(const BuildEnvironment& env, const std::vector<std::string>& layers)
    : dir_(TempDir::at(env.store->layers_dir() + "/" + storage::temp_name("from"), 0755)) {
  path_ = dir_.path();
  if (layers.empty()) {
    root_fd_ = open_root(path_);  // scratch: nothing to copy from
    return;
  }
  rootless::container::mount_layers_read_only(layers, path_, env.rootless);
  mounted_ = true;
  root_fd_ = open_root(path_);
}

ReadOnlyRoot::~ReadOnlyRoot() {
  root_fd_.reset();
  if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
}

void with_image_files(const BuildEnvironment& env, const std::vector<std::string>& layers,
                      const std::function<void(const std::string& root)>& use) {
  const storage::LayerStore store(*env.store);
  std::vector<std::string> dirs;
  for (auto it = layers.rbegin(); it != layers.rend(); ++it) dirs.push_back(store.diff_dir(*it));
  const ReadOnlyRoot root(env, dirs);
  use(root.path());
}

}  // namespace pod::builder
