#include "libcore/oci/platform.hpp"

#include <sys/utsname.h>

#include <algorithm>

#include "libcore/sys/error.hpp"

namespace pod::core::oci {
namespace {

struct ArchAlias {
  std::string_view name;
  std::string_view architecture;
  std::string_view variant;
};
constexpr ArchAlias kArchAliases[] = {
    {"x86_64", "amd64", ""}, {"x86-64", "amd64", ""}, {"aarch64", "arm64", ""}, {"armhf", "arm", "v7"},
    {"armel", "arm", "v6"},  {"i386", "386", ""},     {"i686", "386", ""},      {"armv7l", "arm", "v7"},
    {"armv6l", "arm", "v6"},
};

bool is_platform_word(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
  });
}

int arm_variant_number(std::string_view variant) {
  if (variant.size() == 2 && variant[0] == 'v' && variant[1] >= '5' && variant[1] <= '8') return variant[1] - '0';
  return -1;
}

}  // namespace

Platform normalize(Platform p) {
  for (const auto& alias : kArchAliases) {
    if (p.architecture == alias.name) {
      p.architecture = alias.architecture;
      if (p.variant.empty()) p.variant = alias.variant;
    }
  }
  if (p.architecture == "arm64" && p.variant == "v8") p.variant.clear();
  return p;
}

Platform parse_platform(std::string_view unsafe_text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const auto slash = unsafe_text.find('/', start);
    parts.emplace_back(unsafe_text.substr(start, slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  const bool shape_ok = (parts.size() == 2 || parts.size() == 3) &&
                        std::all_of(parts.begin(), parts.end(), [](const std::string& s) { return is_platform_word(s); });
  if (!shape_ok) {
    throw Error("invalid platform " + quote_untrusted(unsafe_text, 100) + ": expected os/arch[/variant]",
                ErrorKind::invalid_input);
  }
  return normalize(Platform{parts[0], parts[1], parts.size() == 3 ? parts[2] : "", {}, {}});
}

std::string to_string(const Platform& p) {
  std::string s = p.os + "/" + p.architecture;
  if (!p.variant.empty()) s += "/" + p.variant;
  return s;
}

Platform host_platform() {
  struct utsname u {};
  ::uname(&u);
  return normalize(Platform{"linux", u.machine, "", {}, {}});
}

std::optional<int> match_rank(const Platform& wanted_raw, const Platform& candidate_raw) {
  const Platform wanted = normalize(wanted_raw);
  const Platform candidate = normalize(candidate_raw);
  if (wanted.os != candidate.os || wanted.architecture != candidate.architecture) return std::nullopt;
  if (wanted.variant.empty() || wanted.variant == candidate.variant) return 0;
  if (wanted.architecture == "arm") {
    const int want = arm_variant_number(wanted.variant);
    const int have = arm_variant_number(candidate.variant);
    if (want > 0 && have > 0 && have < want) return want - have;
  }
  return std::nullopt;
}

std::optional<std::size_t> choose_platform(const std::vector<Platform>& candidates, const Platform& wanted) {
  std::optional<std::size_t> best;
  int best_rank = 0;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const auto rank = match_rank(wanted, candidates[i]);
    if (rank && (!best || *rank < best_rank)) {
      best = i;
      best_rank = *rank;
    }
  }
  return best;
}

}  // namespace pod::core::oci
