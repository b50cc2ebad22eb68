// The image configuration (OCI image-spec "config", Docker's container image JSON): what a
// container made from the image runs, and the diff IDs of its layers.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libcore/digest.hpp"

namespace pod::core::oci {

struct ContainerConfig {
  std::string user;
  std::vector<std::string> exposed_ports;  // "80/tcp"
  std::vector<std::string> env;            // "KEY=value"
  // Entrypoint and Cmd distinguish "absent" (inherit) from "empty" (cleared), as Docker does.
  std::optional<std::vector<std::string>> entrypoint;
  std::optional<std::vector<std::string>> cmd;
  std::vector<std::string> volumes;
  std::string working_dir;
  std::map<std::string, std::string> labels;
  std::string stop_signal;
};

struct HistoryEntry {
  std::string created;
  std::string created_by;
  std::string author;
  std::string comment;
  bool empty_layer = false;
};

struct ImageConfig {
  std::string created;  // RFC 3339, may be empty
  std::string author;
  std::string architecture;
  std::string os;
  std::string variant;
  ContainerConfig config;
  std::vector<Digest> diff_ids;  // rootfs.diff_ids, one per layer, uncompressed tar digests
  std::vector<HistoryEntry> history;
};

// Throws Error(invalid_input) naming the field. Requires architecture, os and
// rootfs {type: "layers", diff_ids}.
ImageConfig parse_image_config(std::string_view bytes);
std::string serialize(const ImageConfig& config);

}  // namespace pod::core::oci
