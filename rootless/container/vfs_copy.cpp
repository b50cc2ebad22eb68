#include "rootless/container/vfs_copy.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <map>
#include <memory>

#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"
#include "libcore/sys/log.hpp"

namespace pod::rootless::container {
namespace {

bool is_whiteout(const struct stat& st) { return S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0); }

bool is_opaque(const std::string& dir) {
  char value[2] = {};
  for (const char* name : {"user.overlay.opaque", "trusted.overlay.opaque"}) {
    if (::lgetxattr(dir.c_str(), name, value, sizeof value) > 0 && value[0] == 'y') return true;
  }
  return false;
}

void copy_file(const std::string& from, const std::string& to, const struct stat& st) {
  const UniqueFd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!in) throw_errno("read", from);
  ::unlink(to.c_str());
  const UniqueFd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, st.st_mode & 07777));
  if (!out) throw_errno("create", to);
  char buf[1 << 16];
  ssize_t n;
  while ((n = ::read(in.get(), buf, sizeof buf)) > 0) {
    if (::write(out.get(), buf, static_cast<std::size_t>(n)) != n) throw_errno("write", to);
  }
}

void set_attributes(const std::string& path, const struct stat& st) {
  if (::lchown(path.c_str(), st.st_uid, st.st_gid) != 0) log::debug("vfs: cannot chown " + path);
  if (!S_ISLNK(st.st_mode)) ::chmod(path.c_str(), st.st_mode & 07777);
  const timespec times[2] = {st.st_atim, st.st_mtim};
  ::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW);
}

class LayerCopier {
 public:
  void copy_tree(const std::string& from, const std::string& to) {
    const std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(from.c_str()), ::closedir);
    if (!dir) throw_errno("read", from);
    while (const dirent* e = ::readdir(dir.get())) {
      const std::string name = e->d_name;
      if (name == "." || name == "..") continue;
      copy_entry(from + "/" + name, to + "/" + name);
    }
  }

 private:
  void copy_entry(const std::string& from, const std::string& to) {
    struct stat st {};
    if (::lstat(from.c_str(), &st) != 0) throw_errno("stat", from);
    if (is_whiteout(st)) {
      remove_tree(to);
      return;
    }
    struct stat existing {};
    const bool exists = ::lstat(to.c_str(), &existing) == 0;
    if (S_ISDIR(st.st_mode)) {
      if (exists && (!S_ISDIR(existing.st_mode) || is_opaque(from))) remove_tree(to);
      if (::mkdir(to.c_str(), 0700) != 0 && errno != EEXIST) throw_errno("mkdir", to);
      copy_tree(from, to);
      set_attributes(to, st);
      return;
    }
    if (exists) remove_tree(to);
    // Hard links inside a layer stay hard links.
    if (st.st_nlink > 1) {
      const auto it = links_.find({st.st_dev, st.st_ino});
      if (it != links_.end()) {
        if (::link(it->second.c_str(), to.c_str()) != 0) throw_errno("link", to);
        return;
      }
      links_[{st.st_dev, st.st_ino}] = to;
    }
    if (S_ISREG(st.st_mode)) {
      copy_file(from, to, st);
    } else if (S_ISLNK(st.st_mode)) {
      char target[4096];
      const ssize_t n = ::readlink(from.c_str(), target, sizeof target - 1);
      if (n < 0) throw_errno("readlink", from);
      if (::symlink(std::string(target, static_cast<std::size_t>(n)).c_str(), to.c_str()) != 0) throw_errno("symlink", to);
    } else if (::mknod(to.c_str(), st.st_mode, st.st_rdev) != 0) {
      log::debug("vfs: skipping special file " + from + " (mknod refused)");
      return;
    }
    set_attributes(to, st);
  }

  std::map<std::pair<dev_t, ino_t>, std::string> links_;
};

}  // namespace

void copy_layers(const std::vector<std::string>& layers, const std::string& destination) {
  for (auto it = layers.rbegin(); it != layers.rend(); ++it) LayerCopier().copy_tree(*it, destination);
}

}  // namespace pod::rootless::container
