#include "libcore/sys/files.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <random>

#include "libcore/stream.hpp"
#include "libcore/sys/error.hpp"

namespace pod {
namespace {

std::string random_suffix() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string s(10, 'x');
  for (char& c : s) c = kChars[rng() % (sizeof kChars - 1)];
  return s;
}

std::string dir_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

void write_all(int fd, std::string_view data, const std::string& name) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("write", name);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

AtomicFile::AtomicFile(std::string path, unsigned mode) : path_(std::move(path)) {
  for (int attempt = 0; attempt < 10 && !fd_; ++attempt) {
    temp_path_ = dir_of(path_) + "/." + path_.substr(path_.rfind('/') + 1) + ".tmp-" + random_suffix();
    fd_.reset(::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode));
    if (!fd_ && errno != EEXIST) throw_errno("create", temp_path_);
  }
  if (!fd_) throw_errno("create", temp_path_);
  // The umask must not weaken or strengthen what the caller asked for (auth.json is 0600).
  if (::fchmod(fd_.get(), mode) != 0) throw_errno("chmod", temp_path_);
}

AtomicFile::~AtomicFile() {
  if (!committed_ && !temp_path_.empty()) ::unlink(temp_path_.c_str());
}

void AtomicFile::write(std::string_view data) { write_all(fd_.get(), data, temp_path_); }

void AtomicFile::commit(bool durable) {
  if (durable && ::fsync(fd_.get()) != 0) throw_errno("fsync", temp_path_);
  fd_.reset();
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) throw_errno("rename", temp_path_);
  committed_ = true;
  if (durable) sync_dir(dir_of(path_));
}

void write_file_atomic(const std::string& path, std::string_view content, unsigned mode) {
  AtomicFile f(path, mode);
  f.write(content);
  f.commit();
}

void write_state_file(const std::string& path, std::string_view content, unsigned mode) {
  AtomicFile f(path, mode);
  f.write(content);
  f.commit(false);
}

std::string read_file(const std::string& path, std::size_t limit) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw_errno("open", path);
  core::FdReader reader(fd.get(), path);
  return core::read_bounded(reader, limit, quote(path));
}

std::optional<std::string> try_read_file(const std::string& path, std::size_t limit) {
  try {
    return read_file(path, limit);
  } catch (const SysError& e) {
    if (e.error_number() == ENOENT || e.error_number() == ENOTDIR) return std::nullopt;
    throw;
  }
}

FileLock::FileLock(const std::string& path, Mode mode) {
  fd_.reset(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644));
  if (!fd_) throw_errno("open lock file", path);
  const int op = mode == Mode::shared ? LOCK_SH : LOCK_EX;
  while (::flock(fd_.get(), op) != 0) {
    if (errno != EINTR) throw_errno("lock", path);
  }
}

void FileLock::set_mode(Mode mode) {
  while (::flock(fd_.get(), mode == Mode::shared ? LOCK_SH : LOCK_EX) != 0) {
    if (errno != EINTR) throw_errno("change lock");
  }
}

std::optional<FileLock> FileLock::try_lock(const std::string& path, Mode mode) {
  FileLock lock;
  lock.fd_.reset(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644));
  if (!lock.fd_) throw_errno("open lock file", path);
  const int op = (mode == Mode::shared ? LOCK_SH : LOCK_EX) | LOCK_NB;
  if (::flock(lock.fd_.get(), op) == 0) return lock;
  if (errno == EWOULDBLOCK) return std::nullopt;
  throw_errno("lock", path);
}


void make_dirs(const std::string& path, unsigned mode) {
  std::string partial;
  std::size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    partial = path.substr(0, pos);
    if (partial.empty()) continue;
    if (::mkdir(partial.c_str(), mode) != 0 && errno != EEXIST) throw_errno("create directory", partial);
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw_errno("stat", path);
  if (!S_ISDIR(st.st_mode)) throw Error("create directory " + quote(path) + ": exists and is not a directory");
}


void sync_dir(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) throw_errno("open directory", path);
  if (::fsync(fd.get()) != 0) throw_errno("fsync", path);
}

}  // namespace pod
