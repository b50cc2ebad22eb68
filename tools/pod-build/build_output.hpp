// --output: the built image also written out as files (a directory or a tar of its root
// filesystem) or as an OCI archive.
#pragma once

#include "builder/build.hpp"
#include "tools/pod-build/build_flags.hpp"

namespace pod::tools {

void export_output(const builder::BuildEnvironment& env, const builder::BuildResult& result, const OutputSpec& output);

}  // namespace pod::tools
