#include "libcore/sys/root_path.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <deque>

#include "libcore/sys/error.hpp"
#include "libcore/sys/log.hpp"

namespace pod {
namespace {

constexpr int kMaxSymlinks = 40;      // the kernel's own limit (MAXSYMLINKS)
constexpr int kOpenat2Attempts = 16;  // EAGAIN: a rename or mount raced a ".." lookup

std::atomic<bool> g_openat2_missing{false};
std::atomic<bool> g_force_fallback{false};

std::deque<std::string> split(std::string_view path) {
  std::deque<std::string> parts;
  while (!path.empty()) {
    const auto slash = path.find('/');
    const auto part = path.substr(0, slash);
    if (!part.empty() && part != ".") parts.emplace_back(part);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

// fd >= 0, or -errno.
int openat2_in_root(int root_fd, std::string_view path, int flags) {
  const std::string p = path.empty() ? std::string(".") : std::string(path);
  open_how how{};
  how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC);
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  for (int attempt = 0; attempt < kOpenat2Attempts; ++attempt) {
    const long fd = ::syscall(SYS_openat2, root_fd, p.c_str(), &how, sizeof how);
    if (fd >= 0) return static_cast<int>(fd);
    if (errno != EAGAIN && errno != EINTR) return -errno;
  }
  return -EAGAIN;
}

// The symlink an O_PATH|O_NOFOLLOW fd refers to; false with errno set on failure.
bool read_link(int link_fd, std::string& target) {
  char buf[PATH_MAX];
  const ssize_t n = ::readlinkat(link_fd, "", buf, sizeof buf);
  if (n < 0) return false;
  if (static_cast<std::size_t>(n) == sizeof buf) {
    errno = ENAMETOOLONG;
    return false;
  }
  target.assign(buf, static_cast<std::size_t>(n));
  return true;
}

int reopen(int dir_fd, const char* name, int flags) {
  const int fd = ::openat(dir_fd, name, flags | O_CLOEXEC);
  return fd >= 0 ? fd : -errno;
}

// The fallback for kernels without openat2 (< 5.6): walks one component at a time with
// O_PATH|O_NOFOLLOW, expands symlinks itself (absolute targets restart at the root), and
// counts its depth so ".." at the root stays at the root (see the header for what it assumes).
// fd >= 0, or -errno.
int walk_in_root(int root_fd, std::string_view path, int flags) {
  const bool follow_last = (flags & O_NOFOLLOW) == 0;
  std::deque<std::string> todo = split(path);
  UniqueFd cur(::openat(root_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!cur) return -errno;
  std::size_t depth = 0;
  int links = 0;
  while (!todo.empty()) {
    const std::string name = std::move(todo.front());
    todo.pop_front();
    if (name == "..") {
      if (depth == 0) continue;  // clamped at the root, as RESOLVE_IN_ROOT does
      const int fd = reopen(cur.get(), "..", O_PATH | O_DIRECTORY);
      if (fd < 0) return fd;
      cur.reset(fd);
      --depth;
      continue;
    }
    const bool last = todo.empty();
    UniqueFd next(::openat(cur.get(), name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    if (!next) return -errno;
    struct stat st {};
    if (::fstat(next.get(), &st) != 0) return -errno;
    if (S_ISLNK(st.st_mode) && (!last || follow_last)) {
      if (++links > kMaxSymlinks) return -ELOOP;
      std::string target;
      if (!read_link(next.get(), target)) return -errno;
      if (!target.empty() && target.front() == '/') {
        const int fd = reopen(root_fd, ".", O_PATH | O_DIRECTORY);
        if (fd < 0) return fd;
        cur.reset(fd);
        depth = 0;
      }
      auto expanded = split(target);
      todo.insert(todo.begin(), expanded.begin(), expanded.end());
      continue;
    }
    if (!last) {
      if (!S_ISDIR(st.st_mode)) return -ENOTDIR;
      cur = std::move(next);
      ++depth;
      continue;
    }
    if ((flags & O_DIRECTORY) != 0 && !S_ISDIR(st.st_mode)) return -(S_ISLNK(st.st_mode) ? ELOOP : ENOTDIR);
    if ((flags & O_PATH) != 0) return next.release();
    // O_NOFOLLOW: should the name have turned into a symlink since the fstat, this fails
    // instead of following it.
    return reopen(cur.get(), name.c_str(), flags | O_NOFOLLOW);
  }
  // The path ended on a directory: empty, "..", or a symlink to one of those.
  if ((flags & O_PATH) != 0) return cur.release();
  return reopen(cur.get(), ".", flags & ~O_NOFOLLOW);
}

// fd >= 0, or -errno.
int resolve_in_root(int root_fd, std::string_view path, int flags) {
  if (!g_force_fallback.load() && !g_openat2_missing.load()) {
    const int fd = openat2_in_root(root_fd, path, flags);
    if (fd != -ENOSYS && fd != -EPERM) return fd;
    if (fd == -ENOSYS) {
      g_openat2_missing = true;
      log::warn_once("openat2-missing",
                     "openat2 is not available (Linux < 5.6): paths in layers and rootfs are resolved with a "
                     "slower walker");
    }
    // EPERM: an old seccomp profile that denies unknown syscalls; the walker gives the real
    // answer if the error was genuine.
  }
  return walk_in_root(root_fd, path, flags);
}

}  // namespace

std::string quote_path(std::string_view unsafe_path) {
  return quote_untrusted(unsafe_path.empty() ? "." : unsafe_path, 256);
}

void throw_path_error(int err, std::string_view verb, std::string_view unsafe_path) {
  throw SysError(err, std::string(verb) + " " + quote_path(unsafe_path));
}

std::optional<PathParts> try_clean_path(std::string_view unsafe_name) {
  PathParts parts;
  for (auto& part : split(unsafe_name)) {
    if (part != "..") {
      parts.push_back(std::move(part));
    } else if (parts.empty()) {
      return std::nullopt;
    } else {
      parts.pop_back();
    }
  }
  return parts;
}

std::string join_parts(const PathParts& parts, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count && i < parts.size(); ++i) {
    if (i > 0) out.push_back('/');
    out.append(parts[i]);
  }
  return out;
}

std::optional<UniqueFd> try_open_in_root(int root_fd, std::string_view unsafe_path, int flags) {
  if ((flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE) throw Error("open_in_root cannot create files", ErrorKind::usage);
  const int fd = resolve_in_root(root_fd, unsafe_path, flags);
  if (fd >= 0) return UniqueFd(fd);
  if (fd == -ENOENT) return std::nullopt;
  throw_path_error(-fd, "open", unsafe_path);
}

UniqueFd open_in_root(int root_fd, std::string_view unsafe_path, int flags) {
  auto fd = try_open_in_root(root_fd, unsafe_path, flags);
  if (!fd) throw_path_error(ENOENT, "open", unsafe_path);
  return std::move(*fd);
}

UniqueFd mkdir_all_in_root(int root_fd, const PathParts& parts, std::size_t count) {
  constexpr int kDirFlags = O_PATH | O_DIRECTORY;
  if (auto fd = try_open_in_root(root_fd, join_parts(parts, count), kDirFlags)) return std::move(*fd);
  UniqueFd cur = open_in_root(root_fd, "", kDirFlags);
  for (std::size_t i = 0; i < count; ++i) {
    const std::string prefix = join_parts(parts, i + 1);
    auto next = try_open_in_root(root_fd, prefix, kDirFlags);
    if (!next) {
      const char* name = parts[i].c_str();
      if (::mkdirat(cur.get(), name, 0755) == 0) {
        // Reopened without following: what we open is the directory just made.
        UniqueFd made(::openat(cur.get(), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!made) throw_path_error(errno, "open new directory", prefix);
        if (::fchmod(made.get(), 0755) != 0) throw_path_error(errno, "chmod", prefix);  // whatever the umask
        next = std::move(made);
      } else if (errno == EEXIST) {
        next = try_open_in_root(root_fd, prefix, kDirFlags);  // made meanwhile, or a symlink
        if (!next) throw Error("create directory " + quote_path(prefix) + ": it is a symlink to nowhere", ErrorKind::not_found);
      } else {
        throw_path_error(errno, "create directory", prefix);
      }
    }
    cur = std::move(*next);
  }
  return cur;
}

void set_force_openat2_fallback(bool force) { g_force_fallback = force; }

}  // namespace pod
