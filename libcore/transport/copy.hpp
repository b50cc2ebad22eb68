// The copy engine: one image (or a whole index) from an ImageSource to an ImageDestination.
//   manifest (index → the platform's, or every instance with `all`) → config → layers in
//   parallel: present at the destination → skipped; on the same registry → mounted; else
//   streamed once, every byte verified against the source's digest on the way; recompressed
//   or decompressed through a spool file when the destination or the options want another
//   compression (the diff ID is checked then) → manifest (rewritten only when something
//   changed) → the index.
// The caller commits the destination afterwards (several images may go into one archive).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "libcore/oci/platform.hpp"
#include "libcore/transport/transport.hpp"

namespace pod::core::transport {

// $TMPDIR, else /var/tmp (layers can be large for /tmp on tmpfs).
std::string default_spool_dir();

enum class ManifestFormat { keep, oci, v2s2 };
enum class BlobAction { copied, present, mounted };

// Called from several threads at once: implementations synchronize.
class CopyObserver {
 public:
  virtual ~CopyObserver() = default;
  virtual void blob_started(const oci::Descriptor& blob, bool config) { (void)blob, (void)config; }
  virtual void blob_done(const oci::Descriptor& blob, bool config, BlobAction action) { (void)blob, (void)config, (void)action; }
  virtual void writing_manifest() {}
};

struct CopyOptions {
  bool all = false;                          // every instance of an index, and the index
  oci::Platform platform;                    // else this platform's image
  ManifestFormat format = ManifestFormat::keep;
  std::optional<oci::Compression> compression;  // recompress layers to this
  std::optional<oci::Compression> plain_layers_to;  // compress only uncompressed layers (push)
  bool preserve_digests = false;             // refuse anything that changes a digest
  int parallel = 6;
  int retry_times = 0;                       // extra attempts per blob after a transient failure
  std::string spool_dir = default_spool_dir();  // recompression's temporary files
  CopyObserver* observer = nullptr;
};

struct CopyResult {
  ManifestBlob manifest;  // what the destination got at the top
  int blobs_copied = 0;
  int blobs_present = 0;
  int blobs_mounted = 0;
  std::uint64_t bytes_copied = 0;
};

// The flags' spellings: "oci", "v2s2" (or "docker"), "" for keep; "gzip", "zstd". Error(usage)
// naming the value otherwise.
ManifestFormat parse_manifest_format(const std::string& text);
std::optional<oci::Compression> parse_compression_format(const std::string& text);
CopyResult copy_image(ImageSource& source, ImageDestination& destination, const CopyOptions& options);

}  // namespace pod::core::transport
