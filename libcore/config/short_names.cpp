#include "libcore/config/short_names.hpp"

#include "libcore/sys/error.hpp"
#include "libcore/sys/log.hpp"

namespace pod::core::config {
namespace {

// "org/app:1@sha256:…" → name "org/app", suffix ":1@sha256:…". The text has already been
// parsed as a reference without a domain, so the first ':' or '@' starts the suffix.
std::pair<std::string_view, std::string_view> split_name(std::string_view text) {
  const auto end = std::min(text.find(':'), text.find('@'));
  if (end == std::string_view::npos) return {text, {}};
  return {text.substr(0, end), text.substr(end)};
}

std::string list(const std::vector<Reference>& refs) {
  std::string out;
  for (const auto& ref : refs) out.append(out.empty() ? "" : ", ").append(ref.str());
  return out;
}

std::vector<Reference> search_candidates(const RegistriesConf& conf, std::string_view name, std::string_view suffix) {
  std::vector<Reference> out;
  for (const auto& registry : conf.unqualified_search_registries) {
    const std::string text = registry + "/" + std::string(name) + std::string(suffix);
    out.push_back(with_context("unqualified-search registry " + quote(registry), [&] { return Reference::parse(text); }));
  }
  return out;
}

}  // namespace

ShortNameResolution resolve_short_name(const RegistriesConf& conf, std::string_view user_text, bool have_tty) {
  const Reference parsed = Reference::parse(user_text);
  if (!parsed.was_short_name()) return {{parsed}, false, false};

  const auto [name, suffix] = split_name(user_text);
  if (const auto alias = conf.aliases.find(std::string(name)); alias != conf.aliases.end()) {
    log::debug("short name " + quote(name) + " resolved to alias " + quote(alias->second));
    const std::string text = alias->second + std::string(suffix);
    return {{with_context("alias " + quote(name), [&] { return Reference::parse(text); })}, true, false};
  }

  ShortNameResolution out{search_candidates(conf, name, suffix), false, false};
  if (out.candidates.empty()) {
    throw Error("short-name " + quote(user_text) +
                    " did not resolve to an alias and no unqualified-search registries are defined in " +
                    config_origin(conf),
                ErrorKind::usage);
  }
  const bool ambiguous = out.candidates.size() > 1 && conf.short_name_mode != ShortNameMode::disabled;
  if (ambiguous && !have_tty && conf.short_name_mode == ShortNameMode::enforcing) {
    throw Error("short-name resolution enforced but cannot prompt without a TTY: " + quote(user_text) +
                    " could be any of: " + list(out.candidates),
                ErrorKind::usage);
  }
  out.should_prompt = ambiguous && have_tty;
  return out;
}

}  // namespace pod::core::config
