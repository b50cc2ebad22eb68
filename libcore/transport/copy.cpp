#include "libcore/transport/copy.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "libcore/compression/compress.hpp"
#include "libcore/compression/decompress.hpp"
#include "libcore/oci/image_config.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"
#include "libcore/sys/log.hpp"
#include "libcore/transport/layout_common.hpp"

namespace pod::core::transport {
namespace {

namespace mt = oci::media_type;
using oci::Compression;
using oci::ManifestKind;

bool is_docker(ManifestKind k) { return k == ManifestKind::docker_manifest || k == ManifestKind::docker_list; }

ManifestKind target_manifest_kind(ManifestKind source, ManifestFormat f) {
  if (f == ManifestFormat::oci) return ManifestKind::oci_manifest;
  if (f == ManifestFormat::v2s2) return ManifestKind::docker_manifest;
  return source;
}

ManifestKind index_kind_for(ManifestKind manifest_kind) {
  return is_docker(manifest_kind) ? ManifestKind::docker_list : ManifestKind::oci_index;
}

// Failures worth another attempt: not a bad blob, a missing one, or refused access.
bool retryable(const Error& e) {
  switch (e.kind()) {
    case ErrorKind::digest_mismatch:
    case ErrorKind::not_found:
    case ErrorKind::unauthorized:
    case ErrorKind::invalid_input:
    case ErrorKind::unsupported:
    case ErrorKind::usage:
      return false;
    default:
      return true;
  }
}

// Runs fn(i) for i in [0, n) on up to `parallel` threads; the first failure stops the rest.
template <typename Fn>
void run_parallel(std::size_t n, int parallel, Fn fn) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr failure;
  std::mutex mutex;
  const auto worker = [&] {
    for (std::size_t k; !failed && (k = next++) < n;) {
      try {
        fn(k);
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        failed = true;
      }
    }
  };
  const std::size_t threads = std::min<std::size_t>(static_cast<std::size_t>(std::max(1, parallel)), n);
  {
    std::vector<std::jthread> pool;
    for (std::size_t i = 1; i < threads; ++i) pool.emplace_back(worker);
    worker();
  }
  if (failure) std::rethrow_exception(failure);
}

// A temporary file of the spool directory (read and written through one fd), removed when done.
class SpoolFile {
 public:
  explicit SpoolFile(const std::string& dir) : path_(dir + "/pod-copy-XXXXXX") {
    fd_ = UniqueFd(::mkostemp(path_.data(), O_CLOEXEC));
    if (!fd_) throw_errno("create a temporary file in", dir);
  }
  ~SpoolFile() { ::unlink(path_.c_str()); }
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;
  const std::string& path() const { return path_; }
  int fd() const { return fd_.get(); }

 private:
  std::string path_;
  UniqueFd fd_;
};

class ImageCopier {
 public:
  ImageCopier(ImageSource& s, ImageDestination& d, const CopyOptions& o) : source_(s), dest_(d), options_(o) {}

  CopyResult run() {
    const ManifestBlob top = source_.manifest();
    const ManifestKind kind = oci::classify_manifest(top.bytes, top.media_type);
    if (!oci::is_index(kind)) {
      result_.manifest = copy_one(top, true);
    } else if (options_.all) {
      result_.manifest = copy_index(top);
    } else {
      const auto index = oci::parse_index(top.bytes, top.media_type);
      const auto& chosen = oci::choose_manifest(index, options_.platform);
      log::debug(source_.name() + ": an index; " + oci::to_string(options_.platform) + " → " + chosen.digest.str());
      result_.manifest = copy_one(source_.instance(chosen.digest), true);
    }
    return result_;
  }

 private:
  ManifestBlob copy_index(const ManifestBlob& top) {
    if (!dest_.accepts_index()) {
      throw Error(dest_.name() + " holds single images, not an index of several platforms: copy one without --all",
                  ErrorKind::unsupported);
    }
    auto index = oci::parse_index(top.bytes, top.media_type);
    bool changed = false;
    for (auto& entry : index.manifests) {
      const ManifestBlob copied = copy_one(source_.instance(entry.digest), false);
      if (copied.digest != entry.digest) {
        changed = true;
        entry.digest = copied.digest;
        entry.size = static_cast<std::int64_t>(copied.bytes.size());
        entry.media_type = copied.media_type;
      }
    }
    if (options_.format != ManifestFormat::keep) {
      const ManifestKind wanted = index_kind_for(target_manifest_kind(index.kind, options_.format));
      changed = changed || wanted != index.kind;
      index.kind = wanted;
    }
    const ManifestBlob out = changed ? manifest_blob(oci::serialize(index)) : top;
    if (options_.observer) options_.observer->writing_manifest();
    dest_.put_manifest(out, true);
    return out;
  }

  ManifestBlob copy_one(const ManifestBlob& in, bool top) {
    oci::Manifest manifest = oci::parse_manifest(in.bytes, in.media_type);
    const ManifestKind out_kind = target_manifest_kind(manifest.kind, options_.format);
    bool changed = out_kind != manifest.kind;
    bool transforms = false;
    std::vector<oci::Descriptor> layers = manifest.layers;
    for (auto& layer : layers) {
      const auto from = oci::layer_compression(layer.media_type);
      if (!from) continue;  // not a plain layer (foreign, artifact): copied as it is
      const Compression to = target_compression(*from);
      if (out_kind == ManifestKind::docker_manifest && to == Compression::zstd) {
        throw Error("zstd layers cannot be stored in a Docker v2s2 manifest: use --format oci or --dest-compress-format gzip",
                    ErrorKind::unsupported);
      }
      const auto type = std::string(oci::layer_media_type(out_kind, to));
      transforms = transforms || to != *from;
      changed = changed || to != *from || type != layer.media_type;
      layer.media_type = type;
    }
    if (changed && options_.preserve_digests) {
      throw Error("--preserve-digests: copying " + source_.name() + " to " + dest_.name() +
                      " would change the manifest (format or compression)",
                  ErrorKind::unsupported);
    }
    // The config is read only when needed: for the diff IDs a transformed layer is checked
    // against, or to store it. A repeated copy reads no blob at all.
    const bool config_present = dest_.has_blob(manifest.config);
    std::optional<std::string> config_bytes;
    std::vector<Digest> diff_ids(layers.size());
    if (transforms) {
      config_bytes = read_config(manifest.config);
      diff_ids = oci::parse_image_config(*config_bytes).diff_ids;
      if (diff_ids.size() != layers.size()) {
        throw Error(source_.name() + ": the manifest has " + std::to_string(layers.size()) +
                        " layers but the config lists " + std::to_string(diff_ids.size()) + " diff IDs",
                    ErrorKind::invalid_input);
      }
    }
    run_parallel(layers.size(), options_.parallel, [&](std::size_t i) {
      layers[i] = copy_layer(manifest.layers[i], layers[i], diff_ids[i]);
    });
    copy_config(manifest.config, config_present, config_bytes);
    ManifestBlob out = in;
    if (changed) {
      manifest.kind = out_kind;
      manifest.config.media_type = std::string(oci::config_media_type(out_kind));
      manifest.layers = layers;
      out = manifest_blob(oci::serialize(manifest));
    }
    if (options_.observer) options_.observer->writing_manifest();
    dest_.put_manifest(out, top);
    return out;
  }

  Compression target_compression(Compression from) const {
    if (dest_.wants_uncompressed_layers()) return Compression::none;
    if (options_.compression) return *options_.compression;
    if (from == Compression::none && options_.plain_layers_to) return *options_.plain_layers_to;
    return from;
  }

  std::string read_config(const oci::Descriptor& d) {
    if (d.size > static_cast<std::int64_t>(kConfigLimit)) {
      throw Error("config " + d.digest.str() + " is " + std::to_string(d.size) + " bytes, over the 4 MiB limit",
                  ErrorKind::invalid_input);
    }
    auto raw = source_.open_blob(d);
    VerifyingReader verified(*raw, d.digest, d.size);
    return with_context("config " + d.digest.str(), [&] { return read_bounded(verified, kConfigLimit, "config"); });
  }

  void copy_config(const oci::Descriptor& d, bool present, std::optional<std::string>& bytes) {
    if (options_.observer) options_.observer->blob_started(d, true);
    BlobAction action = BlobAction::present;
    if (!present) {
      const auto location = source_.registry_location();
      if (location && dest_.mount_blob(d, *location)) {
        action = BlobAction::mounted;
      } else {
        if (!bytes) bytes = read_config(d);
        StringReader in(*bytes);
        dest_.put_blob(d, in);
        action = BlobAction::copied;
      }
    }
    count(action, 0);
    if (options_.observer) options_.observer->blob_done(d, true, action);
  }

  // `from`: the source's descriptor; `to`: its media type at the destination.
  oci::Descriptor copy_layer(const oci::Descriptor& from, oci::Descriptor to, const Digest& diff_id) {
    if (options_.observer) options_.observer->blob_started(from, false);
    const bool transform = oci::layer_compression(from.media_type) != oci::layer_compression(to.media_type);
    BlobAction action;
    std::uint64_t bytes = 0;
    with_retries("blob " + from.digest.str(), [&] {
      if (transform) {
        to = transform_layer(from, to, diff_id, action, bytes);
      } else {
        action = copy_blob(from, bytes);
      }
    });
    count(action, bytes);
    if (options_.observer) options_.observer->blob_done(to, false, action);
    return to;
  }

  BlobAction copy_blob(const oci::Descriptor& blob, std::uint64_t& bytes) {
    if (dest_.has_blob(blob)) return BlobAction::present;
    if (const auto location = source_.registry_location(); location && dest_.mount_blob(blob, *location)) {
      return BlobAction::mounted;
    }
    auto raw = source_.open_blob(blob);
    VerifyingReader verified(*raw, blob.digest, blob.size);
    dest_.put_blob(blob, verified);
    bytes = verified.bytes_read();
    return BlobAction::copied;
  }

  // Decompresses (checking the diff ID) and compresses again into a spool file, whose digest
  // and size the destination needs before the bytes.
  oci::Descriptor transform_layer(const oci::Descriptor& from, oci::Descriptor to, const Digest& diff_id,
                                  BlobAction& action, std::uint64_t& bytes) {
    const Compression target = *oci::layer_compression(to.media_type);
    if (target == Compression::none) {
      to.digest = diff_id;  // known before the work: a destination that has it is skipped
      if (dest_.has_blob(to)) {
        action = BlobAction::present;
        return to;
      }
    }
    SpoolFile spool(options_.spool_dir);
    {
      auto raw = source_.open_blob(from);
      VerifyingReader verified(*raw, from.digest, from.size);
      DecompressingReader plain(verified);
      VerifyingReader checked(plain, diff_id);
      CompressingReader packed(checked, target);
      HashingReader hashed(packed);
      with_context("layer " + from.digest.str(), [&] {
        std::vector<char> buffer(1u << 20);
        for (std::size_t n; (n = hashed.read(buffer.data(), buffer.size())) > 0;) {
          write_all(spool.fd(), buffer.data(), n, spool.path());
        }
      });
      to.digest = hashed.drain_and_finish();
      to.size = static_cast<std::int64_t>(hashed.bytes_read());
    }
    if (dest_.has_blob(to)) {
      action = BlobAction::present;
      return to;
    }
    if (::lseek(spool.fd(), 0, SEEK_SET) != 0) throw_errno("seek", spool.path());
    FdReader file(spool.fd(), spool.path());
    VerifyingReader verified(file, to.digest, to.size);
    dest_.put_blob(to, verified);
    bytes = static_cast<std::uint64_t>(to.size);
    action = BlobAction::copied;
    return to;
  }

  template <typename Fn>
  void with_retries(const std::string& what, Fn fn) {
    for (int attempt = 0;; ++attempt) {
      try {
        return fn();
      } catch (const Error& e) {
        if (attempt >= options_.retry_times || !retryable(e)) throw;
        log::warn(what + ": " + e.message() + "; retrying (" + std::to_string(attempt + 1) + "/" +
                  std::to_string(options_.retry_times) + ")");
      }
    }
  }

  void count(BlobAction action, std::uint64_t bytes) {
    std::lock_guard lock(mutex_);
    if (action == BlobAction::copied) ++result_.blobs_copied;
    if (action == BlobAction::present) ++result_.blobs_present;
    if (action == BlobAction::mounted) ++result_.blobs_mounted;
    result_.bytes_copied += bytes;
  }

  ImageSource& source_;
  ImageDestination& dest_;
  const CopyOptions& options_;
  std::mutex mutex_;
  CopyResult result_;
};

}  // namespace

ManifestFormat parse_manifest_format(const std::string& text) {
  if (text.empty()) return ManifestFormat::keep;
  if (text == "oci") return ManifestFormat::oci;
  if (text == "v2s2" || text == "docker") return ManifestFormat::v2s2;
  throw Error("unknown manifest format " + quote(text) + " (oci or v2s2)", ErrorKind::usage);
}

std::optional<oci::Compression> parse_compression_format(const std::string& text) {
  if (text.empty()) return std::nullopt;
  if (text == "gzip") return Compression::gzip;
  if (text == "zstd") return Compression::zstd;
  throw Error("unknown compression " + quote(text) + " (gzip or zstd)", ErrorKind::usage);
}

std::string default_spool_dir() {
  const char* tmp = std::getenv("TMPDIR");
  return tmp && *tmp ? tmp : "/var/tmp";
}

CopyResult copy_image(ImageSource& source, ImageDestination& destination, const CopyOptions& options) {
  return ImageCopier(source, destination, options).run();
}

}  // namespace pod::core::transport
