// Compressed blobs by digest. A blob is fetched into blobs/partial/<hex> and renamed into
// blobs/sha256/<hex> only after its size and digest were verified, so a file under sha256/
// is always complete and correct. A download that was cut off (network, kill -9) is resumed
// from the partial file by the next fetch. Concurrent fetches of one blob, from threads or
// processes, download it once: the others wait on its lock and find it done.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "libcore/digest.hpp"
#include "storage/store.hpp"

namespace pod::storage {

// Writes bytes of the blob from `offset` on into `sink`.
using BlobDownload = std::function<void(std::uint64_t offset, const std::function<void(const char*, std::size_t)>& sink)>;
// Bytes of the blob present so far (resumed bytes included).
using ProgressCallback = std::function<void(std::uint64_t done)>;

class BlobStore {
 public:
  explicit BlobStore(const Store& store) : store_(store) {}

  std::optional<std::string> path_of(const core::Digest& digest) const;

  // Returns the path of the verified blob, downloading what is missing. Throws
  // Error(digest_mismatch) — and drops the partial file — when the bytes do not match.
  std::string fetch(const core::Digest& digest, std::int64_t size, const BlobDownload& download,
                    const ProgressCallback& progress = {});

  // Stores bytes already in memory (configs, manifests), verified.
  std::string put(const core::Digest& digest, std::string_view bytes);

  // Moves `file` (written on the store's filesystem, its digest already computed by the
  // writer) into place as blob `digest`; when the blob is there already, `file` is removed.
  std::string adopt(const core::Digest& digest, const std::string& file);

  // Removes a blob; absent is fine.
  void remove(const core::Digest& digest);

 private:
  std::string final_path(const core::Digest& digest) const;
  const Store& store_;
};

}  // namespace pod::storage
