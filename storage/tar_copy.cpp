#include "storage/tar_copy.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>

#include "libcore/sys/error.hpp"
#include "libcore/archive/libarchive_api.hpp"

namespace pod::storage {
using core::libarchive;
namespace {

using ArchivePtr = std::unique_ptr<archive, int (*)(archive*)>;

[[noreturn]] void fail(archive* a, const std::string& what) {
  throw Error(what + ": " + (libarchive().archive_error_string(a) ? libarchive().archive_error_string(a) : "unknown error"));
}

std::string base_name(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string parent_of(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

bool is_directory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

void prepare_tar_copy() { libarchive(); }

namespace {

// `top`: the name `source` gets in the stream; empty: its contents only, on its filesystem.
void write_tree(const std::string& source, const std::string& top, int fd) {
  struct stat st {};
  if (::lstat(source.c_str(), &st) != 0) throw_errno("copy", source);
  ArchivePtr disk(libarchive().archive_read_disk_new(), libarchive().archive_read_free);
  ArchivePtr out(libarchive().archive_write_new(), libarchive().archive_write_free);
  libarchive().archive_read_disk_set_standard_lookup(disk.get());
  libarchive().archive_read_disk_set_symlink_physical(disk.get());
  libarchive().archive_write_set_format_pax_restricted(out.get());
  if (libarchive().archive_write_open_fd(out.get(), fd) != ARCHIVE_OK) fail(out.get(), "writing the copy stream");
  if (top.empty()) libarchive().archive_read_disk_set_behavior(disk.get(), ARCHIVE_READDISK_NO_TRAVERSE_MOUNTS);
  if (libarchive().archive_read_disk_open(disk.get(), source.c_str()) != ARCHIVE_OK) fail(disk.get(), "reading " + quote(source));
  std::string prefix = source;
  while (prefix.size() > 1 && prefix.back() == '/') prefix.pop_back();
  for (;;) {
    archive_entry* entry = libarchive().archive_entry_new();
    const int r = libarchive().archive_read_next_header2(disk.get(), entry);
    if (r == ARCHIVE_EOF) {
      libarchive().archive_entry_free(entry);
      break;
    }
    if (r < ARCHIVE_WARN) {
      libarchive().archive_entry_free(entry);
      fail(disk.get(), "reading " + quote(source));
    }
    libarchive().archive_read_disk_descend(disk.get());
    // "<source>/x/y" → "<top>/x/y", or "x/y" for contents only
    const std::string name = libarchive().archive_entry_pathname(entry);
    std::string rest = name.substr(std::min(prefix.size(), name.size()));
    if (top.empty()) {
      while (!rest.empty() && rest.front() == '/') rest.erase(0, 1);
      if (rest.empty()) {  // the top directory itself
        libarchive().archive_entry_free(entry);
        continue;
      }
    }
    libarchive().archive_entry_set_pathname(entry, (top + rest).c_str());
    if (libarchive().archive_write_header(out.get(), entry) != ARCHIVE_OK) fail(out.get(), "writing " + quote(name));
    if (libarchive().archive_entry_filetype(entry) == AE_IFREG && libarchive().archive_entry_size(entry) > 0) {
      const int in = ::open(libarchive().archive_entry_sourcepath(entry), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
      if (in < 0) throw_errno("read", name);
      char buf[65536];
      ssize_t n;
      while ((n = ::read(in, buf, sizeof buf)) > 0) libarchive().archive_write_data(out.get(), buf, static_cast<std::size_t>(n));
      ::close(in);
    }
    libarchive().archive_entry_free(entry);
  }
  libarchive().archive_write_close(out.get());
}

}  // namespace

void write_tar(const std::string& source, int fd) { write_tree(source, base_name(source), fd); }

void write_tar_contents(const std::string& dir, int fd) { write_tree(dir, "", fd); }

void extract_tar(int fd, const std::string& destination) {
  const bool into = is_directory(destination);
  const std::string base = into ? destination : parent_of(destination);
  if (!is_directory(base)) throw Error("copy: " + quote(base) + " is not a directory", ErrorKind::not_found);
  const std::string rename_to = into ? "" : base_name(destination);
  ArchivePtr in(libarchive().archive_read_new(), libarchive().archive_read_free);
  libarchive().archive_read_support_format_tar(in.get());
  libarchive().archive_read_support_filter_all(in.get());  // pod build's ADD of a compressed tar
  if (libarchive().archive_read_open_fd(in.get(), fd, 65536) != ARCHIVE_OK) fail(in.get(), "reading the copy stream");
  ArchivePtr disk(libarchive().archive_write_disk_new(), libarchive().archive_write_free);
  libarchive().archive_write_disk_set_options(disk.get(), ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_SECURE_NODOTDOT |
                                                 ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS);
  // Names stay relative to the destination, so the secure-extraction checks apply to them.
  const int cwd = ::open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (::chdir(base.c_str()) != 0) throw_errno("copy into", base);
  struct RestoreCwd {
    int fd;
    ~RestoreCwd() {
      if (fd >= 0) {
        [[maybe_unused]] int r = ::fchdir(fd);
        ::close(fd);
      }
    }
  } restore{cwd};
  std::string top;
  archive_entry* entry = nullptr;
  for (;;) {
    const int r = libarchive().archive_read_next_header(in.get(), &entry);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) fail(in.get(), "reading the copy stream");
    std::string name = libarchive().archive_entry_pathname(entry);
    if (top.empty()) top = name.substr(0, name.find('/'));
    if (!rename_to.empty() && name.rfind(top, 0) == 0) name = rename_to + name.substr(top.size());
    libarchive().archive_entry_set_pathname(entry, name.c_str());
    if (const char* link = libarchive().archive_entry_hardlink(entry)) {
      std::string target = link;
      if (!rename_to.empty() && target.rfind(top, 0) == 0) target = rename_to + target.substr(top.size());
      libarchive().archive_entry_set_hardlink(entry, target.c_str());
    }
    if (libarchive().archive_write_header(disk.get(), entry) != ARCHIVE_OK) fail(disk.get(), "copying " + quote(name));
    const void* block = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    int d;
    while ((d = libarchive().archive_read_data_block(in.get(), &block, &size, &offset)) == ARCHIVE_OK) {
      if (libarchive().archive_write_data_block(disk.get(), block, size, offset) != ARCHIVE_OK) fail(disk.get(), "writing " + quote(name));
    }
    if (d < ARCHIVE_WARN) fail(in.get(), "reading the copy stream");
    libarchive().archive_write_finish_entry(disk.get());
  }
  libarchive().archive_write_close(disk.get());
}

}  // namespace pod::storage
