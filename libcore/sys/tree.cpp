// TempDir and remove_tree (declared in files.hpp): the parts of the file helpers that use
// std::filesystem, in their own object so that binaries which never remove trees (pod-monitor)
// do not link libstdc++'s filesystem and, through it, every locale facet.
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include <filesystem>

#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"

namespace pod {

TempDir::TempDir(const std::string& parent, std::string_view prefix) {
  std::string templ = parent + "/" + std::string(prefix) + "XXXXXX";
  if (::mkdtemp(templ.data()) == nullptr) throw_errno("create temporary directory in", parent);
  path_ = templ;
}

TempDir TempDir::at(const std::string& path, unsigned mode) {
  if (::mkdir(path.c_str(), mode) != 0) throw_errno("create directory", path);
  TempDir dir;
  dir.path_ = path;
  return dir;
}

TempDir TempDir::at_existing(const std::string& path) {
  TempDir dir;
  dir.path_ = path;
  return dir;
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);  // noexcept overload: destructors never throw
}

std::string TempDir::release() { return std::exchange(path_, std::string()); }

std::vector<std::string> sorted_entries(int dir_fd, const std::string& shown) {
  const int copy = ::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (copy < 0) throw_errno("open directory", shown);
  DIR* d = ::fdopendir(copy);
  if (!d) {
    ::close(copy);
    throw_errno("read directory", shown);
  }
  std::vector<std::string> names;
  while (const dirent* e = ::readdir(d)) {
    const std::string_view n = e->d_name;
    if (n != "." && n != "..") names.emplace_back(n);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

void remove_tree(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);  // remove_all does not follow symlinks
  if (ec) throw Error("remove " + quote(path) + ": " + ec.message());
}

}  // namespace pod
