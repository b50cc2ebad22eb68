// A directory in overlay format becomes a layer of the store: its tar (layer/diff.hpp),
// compressed or not, hashed on the way (diff ID, blob digest), stored as a blob, and the
// directory itself renamed into place as the unpacked layer — no second copy of the files.
// What `pod build` does after each step and `pod commit` does with a container's upper
// directory.
#pragma once

#include <optional>
#include <string>

#include "libcore/oci/media_types.hpp"
#include "storage/layer/diff.hpp"
#include "storage/layer_store.hpp"
#include "storage/store.hpp"

namespace pod::storage {

struct LayerCommitOptions {
  DiffOptions diff;
  core::oci::Compression compression = core::oci::Compression::none;
};

struct CommittedLayer {
  LayerRecord record;
  core::oci::Compression compression = core::oci::Compression::none;
  LayerLease lease;  // keeps the layer until the image that uses it is recorded
};

// A fresh layer directory to fill: <layers>/.tmp-layer-…/ with an empty diff/ (mode 0755)
// and work/ (for an overlay mount with diff/ as its upper directory). Removed unless
// committed.
TempDir new_layer_dir(const Store& store);

// Commits `dir` (from new_layer_dir) on top of `parent` (a chain ID, empty for the bottom).
CommittedLayer commit_layer_dir(const Store& store, TempDir dir, const std::string& parent,
                                const LayerCommitOptions& options);

// The same for a directory that stays where it is (a container's upper directory, for pod
// commit): its tar is stored as the blob and unpacked as a new layer.
CommittedLayer commit_layer_copy(const Store& store, const std::string& dir, const std::string& parent,
                                 const LayerCommitOptions& options, bool rootless);

}  // namespace pod::storage
