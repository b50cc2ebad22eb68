// "TRANSPORT:DETAILS" as Skopeo spells image names:
//   docker://REFERENCE             a registry
//   oci:PATH[:REF]                 an OCI image layout directory; REF is the ref.name annotation
//                                  (PATH ends at the first colon, as in Skopeo)
//   oci-archive:PATH[:REF]         the same layout in a tar file
//   docker-archive:PATH[:NAME|@N]  `docker save` format; NAME:TAG or the N-th image when reading
//   dir:PATH                       a manifest and its blobs as plain files
//   local:NAME|ID                  pod's own image store (also spelled containers-storage:)
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pod::core::transport {

enum class TransportKind { docker, oci, oci_archive, docker_archive, dir, local };

struct TransportReference {
  TransportKind kind = TransportKind::docker;
  std::string path;  // docker: the image reference; local: the name or id; else a file path
  std::string ref;   // oci/oci-archive: ref name; docker-archive: NAME:TAG; may be empty
  std::optional<int> index;  // docker-archive @N
  std::string text;          // as given
};

// Throws Error(invalid_input) for an unknown transport, listing the known ones.
TransportReference parse_transport_reference(std::string_view text);

std::string_view transport_name(TransportKind kind);

}  // namespace pod::core::transport
