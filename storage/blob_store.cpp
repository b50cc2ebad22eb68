#include "storage/blob_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"
#include "libcore/sys/files.hpp"
#include "libcore/sys/log.hpp"

namespace pod::storage {
namespace {

// Hashes what a partial file already holds, so a resumed download verifies the whole blob.
std::uint64_t hash_existing(int fd, core::Hasher& hasher, const std::string& path) {
  std::uint64_t total = 0;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::pread(fd, buf, sizeof buf, static_cast<off_t>(total));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("read", path);
    }
    if (n == 0) return total;
    hasher.update(buf, static_cast<std::size_t>(n));
    total += static_cast<std::uint64_t>(n);
  }
}

}  // namespace

std::string BlobStore::final_path(const core::Digest& digest) const {
  return store_.blobs_dir() + "/" + digest.hex();
}

std::optional<std::string> BlobStore::path_of(const core::Digest& digest) const {
  std::string path = final_path(digest);
  if (::access(path.c_str(), F_OK) == 0) return path;
  return std::nullopt;
}

std::string BlobStore::fetch(const core::Digest& digest, std::int64_t size, const BlobDownload& download,
                             const ProgressCallback& progress) {
  if (auto done = path_of(digest)) return *done;
  const std::string partial = store_.partial_dir() + "/" + digest.hex();
  const std::string lock_path = partial + ".lock";
  FileLock lock(lock_path, FileLock::Mode::exclusive);
  if (auto done = path_of(digest)) return *done;  // another process finished it meanwhile

  UniqueFd fd(::open(partial.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd) throw_errno("open", partial);
  core::Hasher hasher(digest.algorithm());
  std::uint64_t have = hash_existing(fd.get(), hasher, partial);
  if (size >= 0 && have > static_cast<std::uint64_t>(size)) {  // junk: start over
    if (::ftruncate(fd.get(), 0) != 0) throw_errno("truncate", partial);
    hasher = core::Hasher(digest.algorithm());
    have = 0;
  }
  if (have > 0) log::debug("blob " + digest.str() + ": resuming at byte " + std::to_string(have));
  if (progress) progress(have);
  const auto sink = [&](const char* data, std::size_t n) {
    if (size >= 0 && have + n > static_cast<std::uint64_t>(size)) {
      throw Error("blob " + digest.str() + " is larger than the " + std::to_string(size) + " bytes its manifest says",
                  ErrorKind::digest_mismatch);
    }
    write_all(fd.get(), data, n, partial);
    hasher.update(data, n);
    have += n;
    if (progress) progress(have);
  };
  if (size < 0 || have < static_cast<std::uint64_t>(size)) download(have, sink);

  const core::Digest actual = hasher.finish();
  if ((size >= 0 && have != static_cast<std::uint64_t>(size)) || actual != digest) {
    ::unlink(partial.c_str());  // corrupt: the next attempt starts from scratch
    throw Error("blob " + digest.str() + ": digest mismatch: expected " + digest.str() + " (" + std::to_string(size) +
                    " bytes), got " + actual.str() + " (" + std::to_string(have) + " bytes)",
                ErrorKind::digest_mismatch);
  }
  if (::fsync(fd.get()) != 0) throw_errno("fsync", partial);
  const std::string final = final_path(digest);
  if (::rename(partial.c_str(), final.c_str()) != 0) throw_errno("rename", partial);
  sync_dir(store_.blobs_dir());
  ::unlink(lock_path.c_str());  // waiters hold their own open file and re-check for the blob
  return final;
}

std::string BlobStore::put(const core::Digest& digest, std::string_view bytes) {
  if (auto done = path_of(digest)) return *done;
  const core::Digest actual = core::digest_of(bytes, digest.algorithm());
  if (actual != digest) {
    throw Error("digest mismatch: expected " + digest.str() + ", got " + actual.str(), ErrorKind::digest_mismatch);
  }
  const std::string final = final_path(digest);
  write_file_atomic(final, bytes, 0644);
  return final;
}

std::string BlobStore::adopt(const core::Digest& digest, const std::string& file) {
  const std::string final = final_path(digest);
  if (path_of(digest)) {
    ::unlink(file.c_str());
    return final;
  }
  if (::rename(file.c_str(), final.c_str()) != 0) throw_errno("rename", file);
  sync_dir(store_.blobs_dir());
  return final;
}

void BlobStore::remove(const core::Digest& digest) {
  if (::unlink(final_path(digest).c_str()) != 0 && errno != ENOENT) throw_errno("remove", final_path(digest));
}

}  // namespace pod::storage
