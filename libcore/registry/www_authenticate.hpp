// Parsing WWW-Authenticate challenges (RFC 7235) as registries send them:
//   Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"
//   Basic realm="Registry Realm"
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pod::core::registry {

struct Challenge {
  std::string scheme;  // lower-case: "bearer", "basic"
  std::map<std::string, std::string> params;  // keys lower-case
};

// All challenges in one header value. Malformed parts end the parse (what was read is kept):
// an odd header from a stranger must not throw.
std::vector<Challenge> parse_www_authenticate(std::string_view header);

// The first challenge with `scheme` (lower-case), if any.
std::optional<Challenge> find_challenge(const std::vector<Challenge>& challenges, std::string_view scheme);

}  // namespace pod::core::registry
