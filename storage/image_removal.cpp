#include "storage/image_removal.hpp"

#include "libcore/sys/error.hpp"
#include "libcore/sys/log.hpp"
#include "storage/blob_store.hpp"
#include "storage/image_store.hpp"
#include "storage/layer_store.hpp"

namespace pod::storage {
namespace {

void delete_image(const Store& store, const ImageRecord& image, RemovalReport& report) {
  ImageStore images(store);
  LayerStore layers(store);
  BlobStore blobs(store);
  for (const auto& chain : images.remove(image.id)) {
    const auto record = layers.get(chain);
    if (!layers.try_remove(chain)) {
      log::debug("layer " + chain + " is in use by a pull; kept");
      continue;
    }
    if (record) blobs.remove(record->compressed_digest);
  }
  blobs.remove(core::Digest::parse("sha256:" + image.id));
  report.untagged.insert(report.untagged.end(), image.names.begin(), image.names.end());
  report.deleted.push_back(image.id);
}

}  // namespace

RemovalReport remove_image(const Store& store, const std::string& name_or_id, bool force) {
  ImageStore images(store);
  const auto match = images.resolve(name_or_id);
  const ImageRecord& image = match.image;
  RemovalReport report;
  if (match.name && image.names.size() > 1) {  // one of several names: only the name goes
    images.remove_name(*match.name);
    report.untagged.push_back(*match.name);
    return report;
  }
  if (!match.name && image.names.size() > 1 && !force) {
    throw Error("unable to delete image " + quote(image.id.substr(0, 12)) + " (must force): it has several names: " +
                    image.names[0] + ", " + image.names[1],
                ErrorKind::conflict);
  }
  delete_image(store, image, report);
  return report;
}

RemovalReport prune_images(const Store& store, bool all) {
  RemovalReport report;
  for (const auto& image : ImageStore(store).list()) {
    if (all || image.names.empty()) delete_image(store, image, report);
  }
  return report;
}

}  // namespace pod::storage
