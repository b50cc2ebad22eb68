#include "storage/layer/safe_path.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "libcore/sys/error.hpp"

namespace pod::storage::detail {
namespace {

struct DirCloser {
  void operator()(DIR* dir) const noexcept { ::closedir(dir); }
};
using DirPtr = std::unique_ptr<DIR, DirCloser>;

void remove_children(int dir_fd, const std::string& name) {
  UniqueFd fd(::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) throw_path_error(errno, "open directory", name);
  DirPtr dir(::fdopendir(fd.get()));
  if (!dir) throw_path_error(errno, "read directory", name);
  fd.release();  // owned by `dir` now
  std::vector<std::string> names;
  errno = 0;
  while (const dirent* ent = ::readdir(dir.get())) {
    const std::string_view n = ent->d_name;
    if (n != "." && n != "..") names.emplace_back(n);
  }
  if (errno != 0) throw_path_error(errno, "read directory", name);
  for (const auto& child : names) {
    with_context("removing " + quote_path(name), [&] { remove_all_at(::dirfd(dir.get()), child); });
  }
}

}  // namespace

void remove_all_at(int dir_fd, const std::string& name) {
  if (::unlinkat(dir_fd, name.c_str(), 0) == 0 || errno == ENOENT) return;
  if (errno != EISDIR) throw_path_error(errno, "remove", name);
  remove_children(dir_fd, name);
  if (::unlinkat(dir_fd, name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT) throw_path_error(errno, "remove directory", name);
}

}  // namespace pod::storage::detail
