// Untrusted paths below a directory fd (STYLE.md §5): a layer being applied, a container's
// rootfs being mounted. Nothing a path names can reach outside the directory, whatever
// symlinks were planted in it first.
//
// Every function takes the root as an fd (open it once, O_PATH|O_DIRECTORY) and returns fds
// born close-on-exec. Throws SysError whose message names the untrusted path, quoted and cut.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libcore/sys/fd.hpp"

namespace pod {

// A cleaned relative path: no empty, "." or ".." components. Empty means the root itself.
using PathParts = std::vector<std::string>;

// Cleans an untrusted path lexically, as containers/storage does: a leading "/" is relative to
// the root, empty and "." components vanish, ".." drops the previous component. nullopt when
// a ".." would climb above the root.
std::optional<PathParts> try_clean_path(std::string_view unsafe_path);

// "a/b/c" from the first `count` parts ("" for none).
std::string join_parts(const PathParts& parts, std::size_t count);
inline std::string join_parts(const PathParts& parts) { return join_parts(parts, parts.size()); }

// Opens `unsafe_path` below `root_fd` as if root_fd were "/": absolute symlink targets restart
// at root_fd and ".." stops there (openat2 RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS, or the
// fallback walker on kernels without openat2). `flags` are open(2) flags; O_CLOEXEC is added.
// O_NOFOLLOW applies to the last component. Mount points are crossed. Throws SysError naming
// the path.
//
// The fallback walker counts its depth to clamp ".." at the root, so it assumes nobody renames
// a walked directory out of the root meanwhile — true for a layer being applied and for a
// rootfs being set up by its own container's init.
UniqueFd open_in_root(int root_fd, std::string_view unsafe_path, int flags);
// The same, but nullopt when a component does not exist (ENOENT).
std::optional<UniqueFd> try_open_in_root(int root_fd, std::string_view unsafe_path, int flags);

// Opens the directory made of the first `count` parts as O_PATH|O_DIRECTORY, creating missing
// components with mode 0755 (mkdirat, reopened in the root, checked to be a directory).
// Symlinked components are followed inside the root. Throws when a component is not a
// directory or is a symlink that leads nowhere.
UniqueFd mkdir_all_in_root(int root_fd, const PathParts& parts, std::size_t count);
inline UniqueFd mkdir_all_in_root(int root_fd, const PathParts& parts) {
  return mkdir_all_in_root(root_fd, parts, parts.size());
}

// An untrusted path quoted for a message: cut, control characters replaced, "." for the root.
std::string quote_path(std::string_view unsafe_path);
// Throws SysError(err, "VERB `PATH`"). Pass errno directly: the arguments are views, so nothing
// runs between the failed call and the read of errno.
[[noreturn]] void throw_path_error(int err, std::string_view verb, std::string_view unsafe_path);

// Test hook: makes open_in_root use the fallback walker as if openat2 were missing.
void set_force_openat2_fallback(bool force);

}  // namespace pod
