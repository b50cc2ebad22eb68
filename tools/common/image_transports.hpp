// Opening a "TRANSPORT:DETAILS" name (libcore/transport/transport_reference.hpp) as a copy
// source or destination, for pod-copy and pod's push/save/load.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "libcore/sys/files.hpp"
#include "libcore/transport/transport.hpp"
#include "libcore/transport/transport_reference.hpp"
#include "storage/pull_by_name.hpp"
#include "storage/store.hpp"

namespace pod::tools {

struct TransportContext {
  storage::RegistryAccess registry;
  const storage::Store* store = nullptr;  // needed for local:
  bool rootless = true;
};

std::unique_ptr<core::transport::ImageSource> open_image_source(const core::transport::TransportReference& ref,
                                                                const TransportContext& context);
std::unique_ptr<core::transport::ImageDestination> open_image_destination(const core::transport::TransportReference& ref,
                                                                          const TransportContext& context);

// Archives are read by seeking: stdin is copied into a file of a temporary directory that
// `holder` keeps (and removes) first. Returns the file's path.
std::string spool_stdin(std::optional<TempDir>& holder, const std::string& prefix);

// The name a store or archive records for `text` ("busybox" → "docker.io/library/busybox:latest");
// the text itself when it is not a valid reference.
std::string full_image_name(const std::string& text);

}  // namespace pod::tools
