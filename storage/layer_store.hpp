// Unpacked layers, one directory each, named by chain ID (the layer and everything under
// it). A layer is unpacked once into a temp dir, checked against its diff ID, flushed to
// disk and renamed into place; concurrent creators of the same layer serialize on its lock
// and all but the first find it done. A LayerLease (a shared lock) keeps a layer from being
// removed until the image that uses it is recorded.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "libcore/digest.hpp"
#include "libcore/sys/files.hpp"
#include "storage/store.hpp"

namespace pod::storage {

struct LayerRecord {
  std::string id;      // chain ID hex
  std::string parent;  // chain ID hex of the layer below, empty for the bottom layer
  core::Digest diff_id;
  core::Digest compressed_digest;
  std::int64_t compressed_size = 0;
  std::uint64_t size = 0;  // uncompressed tar bytes
};

// chain(L1) = diff_id(L1); chain(Ln) = sha256(chain(Ln-1) + " " + diff_id(Ln)) (OCI image spec).
core::Digest chain_id(const std::optional<core::Digest>& parent_chain, const core::Digest& diff_id);

struct UnpackResult {
  core::Digest diff_id;
  std::uint64_t size = 0;
};

using LayerLease = FileLock;

class LayerStore {
 public:
  explicit LayerStore(const Store& store) : store_(store) {}

  std::optional<LayerRecord> get(const std::string& id) const;
  std::string diff_dir(const std::string& id) const;
  std::vector<LayerRecord> list() const;

  // Makes sure layer `record.id` exists. When it does not, `unpack(dir_fd)` fills a fresh
  // directory; its diff ID must equal record.diff_id, else Error(digest_mismatch) and nothing
  // is kept. Returns a lease held until the caller has recorded what uses the layer.
  LayerLease create(const LayerRecord& record, const std::function<UnpackResult(int dir_fd)>& unpack);

  // Makes `temp_dir` (a temp_name directory in layers_dir() holding diff/, filled by the
  // caller: a build step's upper directory) layer `record`. When that layer exists already,
  // `temp_dir` is removed. Returns a lease like create().
  LayerLease adopt(const LayerRecord& record, const std::string& temp_dir);

  // Removes the layer unless a lease on it is held (then false: it is in use right now).
  bool try_remove(const std::string& id);

 private:
  // Writes layer.json into `temp_dir`, flushes, renames it to the layer's name.
  void publish(const LayerRecord& record, const std::string& temp_dir, int diff_fd) const;
  std::string lock_path(const std::string& id) const { return store_.layers_dir() + "/" + id + ".lock"; }
  const Store& store_;
};

}  // namespace pod::storage
