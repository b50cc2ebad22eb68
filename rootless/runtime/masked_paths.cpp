// After pivot_root: read-only paths, masked paths and the read-only root (runc's order).
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <cerrno>

#include "libcore/sys/error.hpp"
#include "libcore/sys/log.hpp"
#include "libcore/sys/root_path.hpp"
#include "rootless/runtime/mount_exec.hpp"

namespace pod::rootless::runtime::detail {

// Binds each path onto itself and remounts the bind read-only. Absent paths are skipped: the
// defaults name /proc and /sys files that not every kernel has.
void make_paths_readonly(int root_fd, const std::vector<std::string>& paths) {
  for (const auto& path : paths) {
    with_context("making " + quote_path(path) + " read-only", [&] {
      {
        auto fd = try_open_in_root(root_fd, path, O_PATH);
        if (!fd) return;
        const std::string self = fd_path(fd->get());
        if (::mount(self.c_str(), self.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
          throw_path_error(errno, "binding onto itself", path);
        }
      }
      const UniqueFd bound = open_in_root(root_fd, path, O_PATH);
      remount_bind_tree(bound.get(), MS_RDONLY, true, path);
    });
  }
}

// Hides each path: /dev/null over a file, an empty read-only tmpfs over a directory.
void mask_paths(int root_fd, const std::vector<std::string>& paths) {
  for (const auto& path : paths) {
    with_context("masking " + quote_path(path), [&] {
      auto fd = try_open_in_root(root_fd, path, O_PATH);
      if (!fd) return;
      struct stat st {};
      if (::fstat(fd->get(), &st) != 0) throw_path_error(errno, "stat", path);
      if (S_ISDIR(st.st_mode)) {
        mount_on("tmpfs", fd->get(), "tmpfs", MS_RDONLY, nullptr, path);
      } else {
        mount_on("/dev/null", fd->get(), nullptr, MS_BIND, nullptr, path);
      }
    });
  }
}

void make_root_readonly(int root_fd) {
  with_context("making the root read-only", [&] { remount_bind(root_fd, MS_RDONLY, "/"); });
}

}  // namespace pod::rootless::runtime::detail
