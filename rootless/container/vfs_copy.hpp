// The vfs storage driver's root filesystem: a full copy of the image's layers, bottom first,
// applying each layer's overlay-format whiteouts (a 0/0 character device deletes the path
// below it; an opaque directory hides everything below it). The last resort where neither the
// kernel's overlay nor fuse-overlayfs works: slow to create, and the copy costs disk space.
#pragma once

#include <string>
#include <vector>

namespace pod::rootless::container {

// `layers` top first, as for overlay's lowerdir. `destination` must exist and be empty.
void copy_layers(const std::vector<std::string>& layers, const std::string& destination);

}  // namespace pod::rootless::container
