// Image references as Docker and Podman read them:
//   [domain[:port]/]path[:tag][@algorithm:hex]
// Normalization (docker/distribution "normalize" rules): no domain → docker.io; a single path
// component on docker.io → library/<name>; index.docker.io → docker.io; neither tag nor digest
// → tag "latest". A reference may carry a tag and a digest; the digest then decides what is
// pulled and the tag is kept for naming.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "libcore/digest.hpp"

namespace pod::core {

inline constexpr std::string_view kDefaultDomain = "docker.io";
inline constexpr std::string_view kDefaultTag = "latest";
inline constexpr std::size_t kMaxNameLength = 255;  // domain + "/" + path, as distribution's NameTotalLengthMax

class Reference {
 public:
  // Parses and normalizes; throws pod::Error(invalid_input) whose message starts with
  // "invalid reference `text`: " and says why (uppercase, too long, bad tag, bad digest, …).
  static Reference parse(std::string_view unsafe_text);

  const std::string& domain() const noexcept { return domain_; }  // "docker.io", "localhost:5000"
  const std::string& path() const noexcept { return path_; }      // "library/busybox"
  const std::optional<std::string>& tag() const noexcept { return tag_; }
  const std::optional<Digest>& digest() const noexcept { return digest_; }

  // True when the text named no domain ("busybox", "foo/bar"): such names are candidates for
  // short-name resolution through registries.conf.
  bool was_short_name() const noexcept { return short_name_; }

  std::string repository() const;  // "docker.io/library/busybox"
  std::string str() const;         // "docker.io/library/busybox:latest", with "@digest" if any
  // Tag or digest part as used in a registry URL: the digest when present, else the tag.
  std::string manifest_reference() const;

  Reference with_tag(std::string tag) const;       // validates the tag
  Reference with_digest(Digest digest) const;

  friend bool operator==(const Reference&, const Reference&) = default;

 private:
  Reference() = default;

  std::string domain_;
  std::string path_;
  std::optional<std::string> tag_;
  std::optional<Digest> digest_;
  bool short_name_ = false;
};

// True for a valid tag: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}.
bool is_valid_tag(std::string_view tag) noexcept;

}  // namespace pod::core
