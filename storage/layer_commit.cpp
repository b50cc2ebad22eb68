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
#include "storage/layer_unpack.hpp"

namespace pod::storage {

TempDir new_layer_dir(const Store& store) {
  TempDir dir = TempDir::at(store.layers_dir() + "/" + temp_name("layer"), 0755);
  for (const char* sub : {"/diff", "/work"}) {
    if (::mkdir((dir.path() + sub).c_str(), 0755) != 0) throw_errno("create", dir.path() + sub);
  }
  return dir;
}

namespace {

// The tar of `dir` as a blob file of the store (not yet under its digest), and what the
// layer record needs of it.
struct WrittenBlob {
  LayerRecord record;
  std::string path;
  UniqueFd fd;
};

WrittenBlob write_layer_blob(const Store& store, const std::string& dir, const std::string& parent,
                             const LayerCommitOptions& options) {
  WrittenBlob out;
  out.path = store.blobs_dir() + "/" + temp_name("layer");
  out.fd = UniqueFd(::open(out.path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (!out.fd) throw_errno("create", out.path);
  try {
    auto tar = core::transport::reader_from_producer(
        [&](const core::transport::ByteSink& sink) { write_layer_tar(dir, options.diff, sink); });
    core::HashingReader tar_hash(*tar);
    core::CompressingReader compressed(tar_hash, options.compression);
    core::HashingReader blob_hash(compressed);
    std::vector<char> buffer(1u << 20);
    for (;;) {
      const std::size_t n = blob_hash.read(buffer.data(), buffer.size());
      if (n == 0) break;
      write_all(out.fd.get(), buffer.data(), n, out.path);
    }
    LayerRecord& record = out.record;
    record.diff_id = tar_hash.drain_and_finish();
    record.size = tar_hash.bytes_read();
    record.compressed_digest = blob_hash.drain_and_finish();
    record.compressed_size = static_cast<std::int64_t>(blob_hash.bytes_read());
    record.parent = parent;
    const auto parent_chain = parent.empty() ? std::nullopt : std::optional(core::Digest::parse("sha256:" + parent));
    record.id = chain_id(parent_chain, record.diff_id).hex();
  } catch (...) {
    ::unlink(out.path.c_str());
    throw;
  }
  return out;
}

void adopt_blob(const Store& store, WrittenBlob& blob) {
  if (::fdatasync(blob.fd.get()) != 0) throw_errno("sync", blob.path);
  blob.fd.reset();
  BlobStore(store).adopt(blob.record.compressed_digest, blob.path);
}

}  // namespace

CommittedLayer commit_layer_dir(const Store& store, TempDir dir, const std::string& parent,
                                const LayerCommitOptions& options) {
  remove_tree(dir.path() + "/work");
  WrittenBlob blob = write_layer_blob(store, dir.path() + "/diff", parent, options);
  try {
    // The layer's syncfs flushes the blob's bytes too (same filesystem); the fdatasync after
    // it costs nothing then, and covers a layer that existed already.
    LayerLease lease = LayerStore(store).adopt(blob.record, dir.release());
    adopt_blob(store, blob);
    return CommittedLayer{blob.record, options.compression, std::move(lease)};
  } catch (...) {
    ::unlink(blob.path.c_str());
    throw;
  }
}

CommittedLayer commit_layer_copy(const Store& store, const std::string& dir, const std::string& parent,
                                 const LayerCommitOptions& options, bool rootless) {
  WrittenBlob blob = write_layer_blob(store, dir, parent, options);
  try {
    LayerLease lease = LayerStore(store).create(blob.record, [&](int dir_fd) {
      return unpack_blob(blob.path, dir_fd, apply_options_for(blob.record.compressed_digest, rootless));
    });
    adopt_blob(store, blob);
    return CommittedLayer{blob.record, options.compression, std::move(lease)};
  } catch (...) {
    ::unlink(blob.path.c_str());
    throw;
  }
}

}  // namespace pod::storage
