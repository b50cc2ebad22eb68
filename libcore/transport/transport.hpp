// The copy engine's two sides. Every transport (registry, OCI layout, archives, dir, the local
// store) is an ImageSource and an ImageDestination with the same small interface, so one
// engine (copy.hpp) serves pull, push, save, load and pod-copy.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "libcore/digest.hpp"
#include "libcore/oci/manifest.hpp"
#include "libcore/stream.hpp"

namespace pod::core::transport {

struct ManifestBlob {
  std::string bytes;
  std::string media_type;
  Digest digest;
};

// Builds one from bytes whose media type is known (or found from the document).
ManifestBlob manifest_blob(std::string bytes, std::string_view media_type = {});

// A registry repository that holds blobs: a destination on the same registry can mount them.
struct RegistryLocation {
  std::string host;
  std::string repository;
};

class ImageSource {
 public:
  virtual ~ImageSource() = default;
  // The reference as the user wrote it, for messages.
  virtual std::string name() const = 0;
  // The manifest the reference names: an image manifest or an index.
  virtual ManifestBlob manifest() = 0;
  // An index's instance by digest.
  virtual ManifestBlob instance(const Digest& digest) = 0;
  // The bytes of a blob, unverified (the engine verifies every byte it passes on). Throws
  // Error(not_found) naming the blob when the source lacks it.
  virtual std::unique_ptr<Reader> open_blob(const oci::Descriptor& blob) = 0;
  virtual std::optional<RegistryLocation> registry_location() const { return std::nullopt; }
};

class ImageDestination {
 public:
  virtual ~ImageDestination() = default;
  virtual std::string name() const = 0;
  // docker-archive keeps layers as plain tars; the engine decompresses for it.
  virtual bool wants_uncompressed_layers() const { return false; }
  // Where an index (several platforms) cannot be stored, the engine says so before copying.
  virtual bool accepts_index() const { return true; }
  virtual bool has_blob(const oci::Descriptor& blob) = 0;
  // Same-registry cross-repository mount; true when the blob is now there.
  virtual bool mount_blob(const oci::Descriptor& blob, const RegistryLocation& from) {
    (void)blob, (void)from;
    return false;
  }
  // Stores a blob read from `in`, which throws at its end when the bytes are not the
  // descriptor's; nothing of a failed blob may then remain looking complete.
  virtual void put_blob(const oci::Descriptor& blob, Reader& in) = 0;
  // An image manifest or index. `top`: the one the reference names (tagged); else an instance
  // of an index, stored by digest.
  virtual void put_manifest(const ManifestBlob& manifest, bool top) = 0;
  // Names the next image written (archives and layouts that hold several: tags, ref names).
  virtual void name_next_image(const std::string& name) { (void)name; }
  // Makes what was written visible (index.json, the archive renamed into place, the store's
  // record). Without it, a destination looks as it did before.
  virtual void commit() = 0;
};

}  // namespace pod::core::transport
