#include "libcore/transport/file_sink.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <vector>

#include "libcore/archive/libarchive_api.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"

namespace pod::core::transport {
namespace {

constexpr std::size_t kCopyChunk = 1u << 20;

std::string partial_name(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  return path + ".partial-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

[[noreturn]] void wrong_size(const std::string& path, std::int64_t expected, std::uint64_t got) {
  throw Error(path + ": expected " + std::to_string(expected) + " bytes, got " + std::to_string(got),
              ErrorKind::digest_mismatch);
}

class DirectorySink final : public FileSink {
 public:
  explicit DirectorySink(std::string dir) : dir_(std::move(dir)) {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec) throw Error("creating " + quote(dir_) + ": " + ec.message());
  }

  bool has(const std::string& path) override {
    struct stat st {};
    return ::stat((dir_ + "/" + path).c_str(), &st) == 0 && S_ISREG(st.st_mode);
  }

  void write(const std::string& path, std::int64_t size, Reader& in) override {
    const std::string final_path = dir_ + "/" + path;
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(final_path).parent_path(), ec);
    const std::string temp = partial_name(final_path);
    UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (!fd) throw_errno("create", temp);
    try {
      std::vector<char> buffer(kCopyChunk);
      std::uint64_t total = 0;
      for (std::size_t n; (n = in.read(buffer.data(), buffer.size())) > 0;) {
        write_all(fd.get(), buffer.data(), n, temp);
        total += n;
      }
      if (size >= 0 && total != static_cast<std::uint64_t>(size)) wrong_size(final_path, size, total);
      if (::rename(temp.c_str(), final_path.c_str()) != 0) throw_errno("rename", final_path);
    } catch (...) {
      ::unlink(temp.c_str());
      throw;
    }
  }

  void commit() override {}

 private:
  std::string dir_;
};

struct WriteArchiveFree {
  void operator()(archive* a) const { libarchive().archive_write_free(a); }
};
struct EntryFree {
  void operator()(archive_entry* e) const { libarchive().archive_entry_free(e); }
};

class TarSink final : public FileSink {
 public:
  explicit TarSink(std::string archive_path) : final_(std::move(archive_path)), temp_(partial_name(final_)) {
    fd_ = UniqueFd(::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (!fd_) throw_errno("create", temp_);
    const auto& la = libarchive();
    archive_.reset(la.archive_write_new());
    la.archive_write_set_format_pax_restricted(archive_.get());
    if (la.archive_write_open_fd(archive_.get(), fd_.get()) != ARCHIVE_OK) fail("opening");
  }

  ~TarSink() override {
    if (!committed_) ::unlink(temp_.c_str());
  }

  bool has(const std::string& path) override {
    std::lock_guard lock(mutex_);
    return written_.count(path) > 0;
  }

  void write(const std::string& path, std::int64_t size, Reader& in) override {
    if (size < 0) throw Error("writing " + path + " into " + quote(final_) + ": the size must be known", ErrorKind::generic);
    std::lock_guard lock(mutex_);
    if (broken_) throw Error("archive " + quote(final_) + " is incomplete after an earlier failure");
    if (written_.count(path)) return;
    broken_ = true;  // until this member is whole
    const auto& la = libarchive();
    std::unique_ptr<archive_entry, EntryFree> entry(la.archive_entry_new());
    la.archive_entry_set_pathname(entry.get(), path.c_str());
    la.archive_entry_set_filetype(entry.get(), AE_IFREG);
    la.archive_entry_set_perm(entry.get(), 0644);
    la.archive_entry_set_size(entry.get(), size);
    la.archive_entry_set_mtime(entry.get(), 0, 0);  // reproducible archives
    if (la.archive_write_header(archive_.get(), entry.get()) != ARCHIVE_OK) fail("writing " + path);
    std::vector<char> buffer(kCopyChunk);
    std::uint64_t total = 0;
    for (std::size_t n; (n = in.read(buffer.data(), buffer.size())) > 0;) {
      total += n;
      if (total > static_cast<std::uint64_t>(size)) wrong_size(path, size, total);
      if (la.archive_write_data(archive_.get(), buffer.data(), n) < 0) fail("writing " + path);
    }
    if (total != static_cast<std::uint64_t>(size)) wrong_size(path, size, total);
    if (la.archive_write_finish_entry(archive_.get()) != ARCHIVE_OK) fail("writing " + path);
    written_.insert(path);
    broken_ = false;
  }

  void commit() override {
    std::lock_guard lock(mutex_);
    if (broken_) throw Error("archive " + quote(final_) + " is incomplete after an earlier failure");
    if (libarchive().archive_write_close(archive_.get()) != ARCHIVE_OK) fail("finishing");
    if (::fsync(fd_.get()) != 0) throw_errno("fsync", temp_);
    if (::rename(temp_.c_str(), final_.c_str()) != 0) throw_errno("rename", final_);
    committed_ = true;
  }

 private:
  [[noreturn]] void fail(const std::string& what) {
    const char* why = libarchive().archive_error_string(archive_.get());
    throw Error(what + " in archive " + quote(final_) + ": " + (why ? why : "failed"));
  }

  std::string final_;
  std::string temp_;
  UniqueFd fd_;
  std::unique_ptr<archive, WriteArchiveFree> archive_;
  std::mutex mutex_;
  std::set<std::string> written_;
  bool broken_ = false;
  bool committed_ = false;
};

}  // namespace

void FileSink::write(const std::string& path, std::string_view bytes) {
  StringReader in(bytes);
  write(path, static_cast<std::int64_t>(bytes.size()), in);
}

std::unique_ptr<FileSink> open_directory_sink(const std::string& dir) { return std::make_unique<DirectorySink>(dir); }
std::unique_ptr<FileSink> open_tar_sink(const std::string& archive) { return std::make_unique<TarSink>(archive); }

}  // namespace pod::core::transport
