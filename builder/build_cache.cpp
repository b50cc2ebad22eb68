#include "builder/build_cache.hpp"

#include <nlohmann/json.hpp>

#include "libcore/digest.hpp"
#include "libcore/sys/files.hpp"
#include "storage/blob_store.hpp"

namespace pod::builder {

BuildCache::BuildCache(const storage::Store& store) : store_(store), dir_(store.root() + "/build-cache") {}

std::optional<CacheEntry> BuildCache::get(const std::string& key) const {
  const auto text = try_read_file(dir_ + "/" + key + ".json", 1u << 16);
  if (!text) return std::nullopt;
  try {
    const auto doc = nlohmann::json::parse(*text);
    CacheEntry entry;
    entry.created = doc.at("created").get<std::string>();
    entry.compression = static_cast<core::oci::Compression>(doc.value("compression", 0));
    if (doc.contains("layer") && doc["layer"].is_string()) {
      entry.layer = storage::LayerStore(store_).get(doc["layer"].get<std::string>());
      if (!entry.layer || !storage::BlobStore(store_).path_of(entry.layer->compressed_digest)) return std::nullopt;
    }
    return entry;
  } catch (const std::exception&) {
    return std::nullopt;  // a damaged entry is a miss; the step rewrites it
  }
}

void BuildCache::put(const std::string& key, const CacheEntry& entry) const {
  nlohmann::json doc = {{"created", entry.created}, {"compression", static_cast<int>(entry.compression)}};
  if (entry.layer) doc["layer"] = entry.layer->id;
  make_dirs(dir_, 0700);
  write_state_file(dir_ + "/" + key + ".json", doc.dump());
}

std::string next_key(const std::string& parent, std::initializer_list<std::string_view> parts) {
  core::Hasher h;
  h.update(parent);
  for (const auto& p : parts) {
    h.update("\n", 1);
    h.update(std::to_string(p.size()));
    h.update(":", 1);
    h.update(p);
  }
  return h.finish().hex();
}

}  // namespace pod::builder
