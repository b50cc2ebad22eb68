// Internal to the builder: recording the final stage's image in the store.
#pragma once

#include "builder/stage.hpp"
#include "libcore/sys/clock.hpp"

namespace pod::builder {

BuildResult commit_image(const BuildEnvironment& env, const BuildOptions& options, ImageState image);

}  // namespace pod::builder
