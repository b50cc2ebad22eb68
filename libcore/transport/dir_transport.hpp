// dir:PATH as Skopeo writes it: manifest.json (an index with --all, its instances as
// <hex>.manifest.json), every blob as <hex>, and a `version` file.
#pragma once

#include <memory>
#include <string>

#include "libcore/transport/transport.hpp"

namespace pod::core::transport {

std::unique_ptr<ImageSource> open_dir_source(const std::string& dir, std::string name);
std::unique_ptr<ImageDestination> open_dir_destination(const std::string& dir, std::string name);

}  // namespace pod::core::transport
