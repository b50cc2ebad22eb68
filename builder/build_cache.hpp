// The layer cache: a step's key — its parent's key, the instruction as written, the build
// arguments in scope and, for COPY/ADD, the sources' content digest — names the layer it made
// and when. <store>/build-cache/<key>.json; an entry whose layer or blob has gone is a miss.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "libcore/oci/media_types.hpp"
#include "storage/layer_store.hpp"
#include "storage/store.hpp"

namespace pod::builder {

struct CacheEntry {
  std::string created;                    // the history entry's time
  std::optional<storage::LayerRecord> layer;  // none for a step that makes no layer
  core::oci::Compression compression = core::oci::Compression::none;
};

class BuildCache {
 public:
  explicit BuildCache(const storage::Store& store);
  std::optional<CacheEntry> get(const std::string& key) const;
  void put(const std::string& key, const CacheEntry& entry) const;

 private:
  const storage::Store& store_;
  std::string dir_;
};

// sha256 hex of parent + the parts, each delimited.
std::string next_key(const std::string& parent, std::initializer_list<std::string_view> parts);

}  // namespace pod::builder
