// What a request target means in the registry API (distribution spec): the base endpoint,
// a repository's manifests, blobs, blob uploads or tags, or the proxy's own /token.
#pragma once

#include <string>
#include <string_view>

namespace pod::testsupport::proxy {

struct Route {
  enum class Kind { base, manifest, blob, blob_upload, tags, other_v2, token, other } kind = Kind::other;
  std::string path;  // the target without its query
  std::string repo;  // for manifest, blob, blob_upload, tags

  bool is_v2() const { return kind != Kind::token && kind != Kind::other; }
};

Route classify(std::string_view target);

}  // namespace pod::testsupport::proxy
