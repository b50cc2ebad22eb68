// The JSON views of images that `pod images --format json` and `pod image inspect` print,
// shaped like podman's so scripts written for podman keep working.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "storage/image_store.hpp"

namespace pod::tools {

nlohmann::json image_summary_json(const storage::ImageRecord& image);
nlohmann::json image_inspect_json(const storage::ImageRecord& image, const storage::ImageStore& images);
// "repo@sha256:…" for each named repository and each manifest digest of the image.
std::vector<std::string> repo_digests(const storage::ImageRecord& image);

}  // namespace pod::tools
