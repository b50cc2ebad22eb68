// docker://: a repository of a registry, through the registry client (HEAD before upload,
// cross-repository mounts on the same registry, streamed uploads).
#pragma once

#include <memory>

#include "libcore/reference.hpp"
#include "libcore/registry/registry_client.hpp"
#include "libcore/transport/transport.hpp"

namespace pod::core::transport {

std::unique_ptr<ImageSource> open_registry_source(std::shared_ptr<registry::RegistryClient> client, Reference ref);
std::unique_ptr<ImageDestination> open_registry_destination(std::shared_ptr<registry::RegistryClient> client, Reference ref);

}  // namespace pod::core::transport
