// Platforms (os/architecture/variant) and choosing an image from an index for one.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pod::core::oci {

struct Platform {
  std::string os;
  std::string architecture;
  std::string variant;
  std::string os_version;
  std::vector<std::string> os_features;

  friend bool operator==(const Platform&, const Platform&) = default;
};

// Go's names, as image indexes use them: x86_64 → amd64, aarch64 → arm64 (variant v8 is the
// default and dropped), armhf → arm/v7, armel → arm/v6, i686 → 386.
Platform normalize(Platform p);

// "os/arch[/variant]"; throws Error(invalid_input) naming the text.
Platform parse_platform(std::string_view unsafe_text);
std::string to_string(const Platform& p);

// The platform this process runs on (linux, uname's machine, normalized).
Platform host_platform();

// How well `candidate` serves `wanted`: nullopt when it cannot run it; lower is better.
// os and architecture must be equal; an empty wanted variant accepts any variant; a wanted
// arm variant also accepts older arm variants (v8 runs v7, v6, v5), ranked after the exact one.
std::optional<int> match_rank(const Platform& wanted, const Platform& candidate);

// Index of the best match among `candidates`, nullopt when none runs on `wanted`.
std::optional<std::size_t> choose_platform(const std::vector<Platform>& candidates, const Platform& wanted);

}  // namespace pod::core::oci
