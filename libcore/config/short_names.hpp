// Short-name resolution as Podman does it (containers/image pkg/shortnames): what a name the
// user typed without a registry ("busybox", "fedora:39", "org/app@sha256:…") may mean.
//
//  1. A name with a registry ("quay.io/x") is taken as it is.
//  2. An alias from registries.conf ([aliases], keys "name" or "org/name") wins next; the
//     user's tag and/or digest are applied to the alias.
//  3. Else every unqualified-search registry gives a candidate "<registry>/<name>[:tag][@digest]"
//     in the configured order (docker.io normalizes single names to library/<name>).
//     One candidate is unambiguous. With several, short-name-mode decides: "enforcing"
//     needs the user to choose, so without a TTY it is an error; "permissive" and "disabled"
//     return them all for the caller to try in order.
//
// pod does not yet record the user's choice in the short-name alias cache
// (~/.cache/containers/short-name-aliases.conf) as Podman does.
#pragma once

#include <string_view>
#include <vector>

#include "libcore/config/registries_conf.hpp"
#include "libcore/reference.hpp"

namespace pod::core::config {

struct ShortNameResolution {
  std::vector<Reference> candidates;  // at least one; try in order
  bool from_alias = false;
  // Several candidates, a TTY and a mode other than "disabled": Podman asks the user to pick
  // one; a caller that cannot ask tries them in order.
  bool should_prompt = false;
};

// Throws Error(invalid_input) for text that is no reference, and Error(usage) when there is
// nothing to try (no alias, no search registries) or when enforcing mode would need a prompt
// and there is no TTY; the messages list what was considered.
ShortNameResolution resolve_short_name(const RegistriesConf& conf, std::string_view user_text, bool have_tty);

}  // namespace pod::core::config
