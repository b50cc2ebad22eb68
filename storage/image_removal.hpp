// Removing images as podman does: by name, the name goes (the image too when it was its last
// name); by id, the image goes — refused when it has several names unless forced. Layers no
// other image uses go with it, and so do their blobs, unless a pull holds them right now.
#pragma once

#include <string>
#include <vector>

#include "storage/store.hpp"

namespace pod::storage {

struct RemovalReport {
  std::vector<std::string> untagged;  // names removed
  std::vector<std::string> deleted;   // image ids removed
};

// Throws Error(not_found) for an unknown image, Error(conflict) for an id with several names
// and no force.
RemovalReport remove_image(const Store& store, const std::string& name_or_id, bool force);

// Images without names ("dangling"), or with all = true every image. Returns their ids.
RemovalReport prune_images(const Store& store, bool all);

}  // namespace pod::storage
