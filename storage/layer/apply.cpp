// apply_layer: libarchive parses the tar, LayerWriter writes what it finds.
#include "storage/layer/apply.hpp"


#include <cerrno>
#include <exception>
#include <memory>
#include <new>
#include <vector>

#include "libcore/sys/error.hpp"
#include "libcore/sys/log.hpp"
#include "libcore/archive/libarchive_api.hpp"
#include "storage/layer/layer_writer.hpp"

namespace pod::storage {
using core::libarchive;
namespace {

using detail::EntryType;
using detail::TarEntry;

constexpr std::size_t kReadChunk = 128 * 1024;

struct ArchiveReadFree {
  void operator()(archive* a) const noexcept { libarchive().archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveReadFree>;

// Feeds a core::Reader to libarchive. Exceptions must not cross libarchive's C frames
// (STYLE.md §3): the callback stashes them and fail() rethrows them after the call returns.
class ArchiveInput {
 public:
  explicit ArchiveInput(core::Reader& in) : in_(in), buffer_(kReadChunk) {}

  // implements archive_read_callback
  static la_ssize_t read_callback(archive* a, void* self, const void** out) noexcept {
    auto* input = static_cast<ArchiveInput*>(self);
    try {
      const std::size_t n = input->in_.read(input->buffer_.data(), input->buffer_.size());
      *out = input->buffer_.data();
      return static_cast<la_ssize_t>(n);
    } catch (...) {
      input->error_ = std::current_exception();
      libarchive().archive_set_error(a, EIO, "the tar stream failed");
      return ARCHIVE_FATAL;
    }
  }

  // After a libarchive call failed: the reader's own exception if it threw, else libarchive's
  // complaint about the tar.
  [[noreturn]] void fail(archive* a, std::string_view what) const {
    if (error_) std::rethrow_exception(error_);
    const char* message = libarchive().archive_error_string(a);
    throw Error(std::string(what) + ": " + (message != nullptr ? message : "unknown libarchive error"),
                ErrorKind::invalid_input);
  }

  // Reads what follows the end of the tar, so a verifying reader underneath reaches its end.
  void drain() {
    while (in_.read(buffer_.data(), buffer_.size()) > 0) {
    }
  }

 private:
  core::Reader& in_;
  std::vector<char> buffer_;
  std::exception_ptr error_;
};

// The content of the current entry.
class EntryData final : public core::Reader {
 public:
  EntryData(archive* a, const ArchiveInput& input) : a_(a), input_(input) {}
  std::size_t read(void* buffer, std::size_t size) override {
    const la_ssize_t n = libarchive().archive_read_data(a_, buffer, size);
    if (n < 0) input_.fail(a_, "reading the content");
    return static_cast<std::size_t>(n);
  }

 private:
  archive* a_;
  const ArchiveInput& input_;
};

EntryType entry_type(archive_entry* e) {
  if (libarchive().archive_entry_hardlink(e) != nullptr) return EntryType::hardlink;
  switch (libarchive().archive_entry_filetype(e)) {
    case AE_IFREG:
      return EntryType::regular;
    case AE_IFDIR:
      return EntryType::directory;
    case AE_IFLNK:
      return EntryType::symlink;
    case AE_IFCHR:
      return EntryType::char_device;
    case AE_IFBLK:
      return EntryType::block_device;
    case AE_IFIFO:
      return EntryType::fifo;
    default:
      throw Error("unsupported entry type " + std::to_string(libarchive().archive_entry_filetype(e)), ErrorKind::unsupported);
  }
}

TarEntry to_tar_entry(archive_entry* e, const char* name) {
  TarEntry t;
  t.unsafe_name = name;
  t.type = entry_type(e);
  const char* link = t.type == EntryType::hardlink ? libarchive().archive_entry_hardlink(e) : libarchive().archive_entry_symlink(e);
  if (link != nullptr) t.unsafe_link = link;
  t.perm = libarchive().archive_entry_perm(e) & 07777;
  t.uid = libarchive().archive_entry_uid(e);
  t.gid = libarchive().archive_entry_gid(e);
  t.rdev_major = libarchive().archive_entry_rdevmajor(e);
  t.rdev_minor = libarchive().archive_entry_rdevminor(e);
  t.mtime = {libarchive().archive_entry_mtime(e), libarchive().archive_entry_mtime_nsec(e)};
  t.atime = libarchive().archive_entry_atime_is_set(e) != 0 ? timespec{libarchive().archive_entry_atime(e), libarchive().archive_entry_atime_nsec(e)} : t.mtime;
  libarchive().archive_entry_xattr_reset(e);
  const char* key = nullptr;
  const void* value = nullptr;
  std::size_t size = 0;
  while (libarchive().archive_entry_xattr_next(e, &key, &value, &size) == ARCHIVE_OK) {
    t.xattrs.emplace_back(key, std::string(static_cast<const char*>(value), size));
  }
  return t;
}

}  // namespace

ApplyResult apply_layer(core::Reader& tar, int target_dir_fd, const ApplyOptions& opts) {
  return with_context("applying layer " + quote(opts.layer_name), [&] {
    const ArchivePtr a(libarchive().archive_read_new());
    if (!a) throw std::bad_alloc();
    // Tar in all its dialects (ustar, pax, GNU), no decompression: the caller decompresses.
    // "empty" makes a zero-byte stream an empty layer instead of an unknown format.
    libarchive().archive_read_support_format_tar(a.get());
    libarchive().archive_read_support_format_empty(a.get());
    ArchiveInput input(tar);
    if (libarchive().archive_read_open(a.get(), &input, nullptr, &ArchiveInput::read_callback, nullptr) != ARCHIVE_OK) {
      input.fail(a.get(), "reading the tar stream");
    }
    detail::LayerWriter writer(target_dir_fd, opts);
    EntryData data(a.get(), input);
    ApplyResult result;
    for (;;) {
      archive_entry* e = nullptr;
      const int rc = libarchive().archive_read_next_header(a.get(), &e);
      if (rc == ARCHIVE_EOF) break;
      if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) input.fail(a.get(), "reading the tar stream");
      const char* name = libarchive().archive_entry_pathname(e);
      if (name == nullptr) name = "";
      // A warning is about a name that does not convert to the current locale; the bytes are
      // kept as they are, which is what the layer meant.
      if (rc == ARCHIVE_WARN) {
        const char* warning = libarchive().archive_error_string(a.get());
        log::debug("layer " + quote(opts.layer_name) + ": " + (warning != nullptr ? warning : "tar warning"));
      }
      ++result.entries;
      with_context("entry " + detail::quote_path(name), [&] { result.bytes += writer.write(to_tar_entry(e, name), data); });
    }
    writer.finish();
    input.drain();
    return result;
  });
}

}  // namespace pod::storage
