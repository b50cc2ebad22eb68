// Docker's word processing for instruction arguments: quotes ('…' literal, "…" with
// substitution), the escape character, and $VAR, ${VAR}, ${VAR:-default}, ${VAR-default},
// ${VAR:+alt}, ${VAR+alt}, ${VAR:?message}. Used where Docker substitutes: FROM, ARG, ENV,
// LABEL, EXPOSE, VOLUME, USER, WORKDIR, COPY, ADD, STOPSIGNAL, ONBUILD-free others — never
// in RUN, CMD or ENTRYPOINT (the container's shell does that).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pod::core::containerfile {

// The value of a variable, nullopt when it is not set (unlike set to "").
using Lookup = std::function<std::optional<std::string>(std::string_view name)>;

// Substitutes and removes quotes; whitespace stays. Error(invalid_input) for an unterminated
// quote or ${…}, or a ${VAR:?message} whose VAR is unset or empty.
std::string process_word(std::string_view text, const Lookup& lookup, char escape = '\\');

// The same, then split at whitespace outside quotes: "a 'b c'" → {"a", "b c"}.
std::vector<std::string> process_words(std::string_view text, const Lookup& lookup, char escape = '\\');

// ENV, LABEL and ARG arguments: KEY=VALUE pairs (each word processed, quotes removed), or the
// legacy "KEY VALUE WITH SPACES" (ENV and LABEL only; one pair). ARG allows a KEY without =,
// returned with nullopt. Error(invalid_input) for an empty key or a legacy form without value.
std::vector<std::pair<std::string, std::optional<std::string>>> key_values(std::string_view text, const Lookup& lookup,
                                                                            bool allow_bare_key, char escape = '\\');

}  // namespace pod::core::containerfile
