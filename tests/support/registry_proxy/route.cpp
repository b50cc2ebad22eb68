#include "tests/support/registry_proxy/route.hpp"

#include <array>
#include <utility>

namespace pod::testsupport::proxy {

Route classify(std::string_view target) {
  const std::string_view path = target.substr(0, target.find('?'));
  Route route{Route::Kind::other, std::string(path), {}};
  if (path == "/token") {
    route.kind = Route::Kind::token;
    return route;
  }
  if (path == "/v2" || path == "/v2/") {
    route.kind = Route::Kind::base;
    return route;
  }
  constexpr std::string_view kV2 = "/v2/";
  if (!path.starts_with(kV2)) return route;
  route.kind = Route::Kind::other_v2;
  // A repository name may hold slashes; the section follows its last component.
  static constexpr std::array<std::pair<std::string_view, Route::Kind>, 3> kSections{
      {{"/manifests/", Route::Kind::manifest}, {"/blobs/", Route::Kind::blob}, {"/tags/", Route::Kind::tags}}};
  std::size_t best = std::string_view::npos;
  for (const auto& [marker, kind] : kSections) {
    const auto at = path.rfind(marker);
    if (at == std::string_view::npos || at <= kV2.size() || (best != std::string_view::npos && at < best)) continue;
    best = at;
    route.kind = kind;
    route.repo = std::string(path.substr(kV2.size(), at - kV2.size()));
    if (kind == Route::Kind::blob && path.substr(at + marker.size()).starts_with("uploads"))
      route.kind = Route::Kind::blob_upload;
  }
  return route;
}

}  // namespace pod::testsupport::proxy
