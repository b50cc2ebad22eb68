#include "storage/layer_commit.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcore/compression/compress.hpp"
#include "libcore/digest.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"
#include "libcore/transport/blob_streams.hpp"
#include "storage/blob_store.hpp"

namespace pod::storage {

TempDir new_layer_dir(const Store& store) {
  TempDir dir = TempDir::at(store.layers_dir() + "/" + temp_name("layer"), 0755);
  for (const char* sub : {"/diff", "/work"}) {
    if (::mkdir((dir.path() + sub).c_str(), 0755) != 0) throw_errno("create", dir.path() + sub);
  }
  return dir;
}

CommittedLayer commit_layer_dir(const Store& store, TempDir dir, const std::string& parent,
                                const LayerCommitOptions& options) {
  remove_tree(dir.path() + "/work");
  const std::string blob_temp = store.blobs_dir() + "/" + temp_name("layer");
  UniqueFd out(::open(blob_temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (!out) throw_errno("create", blob_temp);
  struct Unlink {
    const std::string& path;
    bool keep = false;
    ~Unlink() {
      if (!keep) ::unlink(path.c_str());
    }
  } cleanup{blob_temp};

  const std::string diff = dir.path() + "/diff";
  auto tar = core::transport::reader_from_producer(
      [&](const core::transport::ByteSink& sink) { write_layer_tar(diff, options.diff, sink); });
  core::HashingReader tar_hash(*tar);
  core::CompressingReader compressed(tar_hash, options.compression);
  core::HashingReader blob_hash(compressed);
  std::vector<char> buffer(1u << 20);
  for (;;) {
    const std::size_t n = blob_hash.read(buffer.data(), buffer.size());
    if (n == 0) break;
    write_all(out.get(), buffer.data(), n, blob_temp);
  }
  LayerRecord record;
  record.diff_id = tar_hash.drain_and_finish();
  record.size = tar_hash.bytes_read();
  record.compressed_digest = blob_hash.drain_and_finish();
  record.compressed_size = static_cast<std::int64_t>(blob_hash.bytes_read());
  record.parent = parent;
  record.id = chain_id(parent.empty() ? std::nullopt : std::optional(core::Digest::parse("sha256:" + parent)), record.diff_id).hex();
  // The layer's syncfs flushes the blob's bytes too (same filesystem); the fdatasync after
  // it costs nothing then, and covers a layer that existed already.
  LayerLease lease = LayerStore(store).adopt(record, dir.release());
  if (::fdatasync(out.get()) != 0) throw_errno("sync", blob_temp);
  out.reset();
  BlobStore(store).adopt(record.compressed_digest, blob_temp);
  cleanup.keep = true;
  return CommittedLayer{record, options.compression, std::move(lease)};
}

}  // namespace pod::storage
