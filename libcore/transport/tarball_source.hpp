// A tarball as a one-layer image, for `pod import`: the file is the layer as it is (plain tar,
// gzip or zstd; its digest and diff ID are computed here), and the config is the JSON object
// given (architecture, os, config, history…) with rootfs.diff_ids added.
#pragma once

#include <memory>
#include <string>

#include "libcore/transport/transport.hpp"

namespace pod::core::transport {

// Error(not_found) when `path` is missing, Error(invalid_input) when `config_json` is not an
// object.
std::unique_ptr<ImageSource> open_tarball_source(const std::string& path, const std::string& config_json, std::string name);

}  // namespace pod::core::transport
