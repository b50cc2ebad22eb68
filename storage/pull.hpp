// Pulling an image from a registry into the store:
//   manifest (or index → the platform's manifest) → config (verified, bounded) → for each
//   layer, largest first and in parallel: blob into the blob store (verified while written,
//   resumed when cut off, skipped when present) → unpacked once into its layer dir (diff ID
//   checked against the config) → image record with the name.
// A failure at any point leaves no image record and no half layer; verified blobs and whole
// layers already stored stay for the next attempt. Must run where the store's ids are mapped
// (inside pod's user namespace when rootless).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "libcore/digest.hpp"
#include "libcore/oci/platform.hpp"
#include "libcore/reference.hpp"
#include "storage/image_store.hpp"
#include "storage/store.hpp"

namespace pod::core::registry {
class RegistryClient;
}

namespace pod::storage {

// Told what happens, from several threads at once: implementations synchronize.
class PullObserver {
 public:
  virtual ~PullObserver() = default;
  virtual void manifest_read(const core::Digest& manifest) { (void)manifest; }
  // `present`: already in the store, nothing to fetch.
  virtual void blob_started(const core::Digest& blob, std::int64_t size, bool present) { (void)blob, (void)size, (void)present; }
  virtual void blob_progress(const core::Digest& blob, std::uint64_t done, std::int64_t size) { (void)blob, (void)done, (void)size; }
  virtual void blob_done(const core::Digest& blob) { (void)blob; }
  virtual void config_read(const core::Digest& config) { (void)config; }
};

struct PullOptions {
  core::oci::Platform platform;  // which image of an index
  int parallel_layers = 4;
  bool rootless = true;          // skip device nodes, user.* opaque xattrs
  PullObserver* observer = nullptr;
  // The name to record, when it differs from where the image comes from (a mirror, a
  // short name's candidate); else the reference pulled.
  std::optional<core::Reference> record_as;
};

ImageRecord pull_image(const Store& store, core::registry::RegistryClient& client, const core::Reference& reference,
                       const PullOptions& options);

}  // namespace pod::storage
