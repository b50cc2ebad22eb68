// local: — pod's own image store as a copy source and destination. A source serves the
// manifest and compressed blobs kept since the image arrived; a destination stores the
// blobs (verified), unpacks the layers and records the image under its names. One platform
// per image: an index cannot be stored. Must run where the store's ids are mapped (inside
// pod's user namespace when rootless).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "libcore/transport/transport.hpp"
#include "storage/store.hpp"

namespace pod::storage {

// `text`: a name or id as `pod images` shows; Error(not_found) naming it.
std::unique_ptr<core::transport::ImageSource> open_store_source(const Store& store, const std::string& text);

// `names`: full names ("localhost:5000/app:1") the image gets; more with name_next_image.
// `on_recorded` learns the id of each image recorded.
std::unique_ptr<core::transport::ImageDestination> open_store_destination(
    const Store& store, std::vector<std::string> names, bool rootless,
    std::function<void(const std::string& id)> on_recorded = {});

}  // namespace pod::storage
