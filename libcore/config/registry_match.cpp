// Selecting the registries.conf entry for a reference and where to pull it from
// (containers/image refMatchingPrefix, FindRegistry, PullSourcesFromReference).
#include <algorithm>

#include "libcore/config/registries_conf.hpp"
#include "libcore/sys/error.hpp"

namespace pod::core::config {
namespace {

// "*.example.com" against "host[:port]/path…": the host must be a proper subdomain. Returns
// the end of the host, so a rewrite keeps the port and path.
std::optional<std::size_t> match_wildcard(std::string_view ref, std::string_view prefix) {
  const std::string_view suffix = prefix.substr(1);  // ".example.com"
  const std::string_view domain = ref.substr(0, ref.find('/'));
  const std::string_view host = domain.substr(0, domain.find(':'));
  if (host.size() <= suffix.size() || !host.ends_with(suffix)) return std::nullopt;
  return host.size();
}

// How much of `ref` ("host/path:tag@digest") `prefix` covers, nullopt when it does not match at
// a component boundary. A prefix that is only a host must be followed by '/': unlike
// containers/image we do not let "example.com" match "example.com:5000/…".
std::optional<std::size_t> match_length(std::string_view ref, std::string_view prefix) {
  if (prefix.starts_with("*.")) return match_wildcard(ref, prefix);
  if (!ref.starts_with(prefix)) return std::nullopt;
  if (ref.size() == prefix.size()) return prefix.size();
  const char next = ref[prefix.size()];
  const bool has_path = prefix.find('/') != std::string_view::npos;
  if (next == '/' || (has_path && (next == ':' || next == '@'))) return prefix.size();
  return std::nullopt;
}

Reference rewrite(const Reference& ref, std::string_view prefix, const std::string& location) {
  const std::string text = ref.str();
  const auto length = match_length(text, prefix);
  if (!length) throw Error("prefix " + quote(prefix) + " does not match " + quote(text));
  if (location.empty()) return ref;  // a wildcard entry without location: pull unchanged
  const std::string rewritten = location + text.substr(*length);
  return with_context("rewriting " + quote(text) + " to location " + quote(location), [&] {
    Reference out = Reference::parse(rewritten);
    if (out.was_short_name()) throw Error("location " + quote(location) + " does not start with a registry host", ErrorKind::invalid_input);
    return out;
  });
}

bool serves(const Registry& reg, const Mirror& mirror, bool digested) {
  if (reg.mirror_by_digest_only) return digested;
  switch (mirror.pull_from) {
    case MirrorUse::all: return true;
    case MirrorUse::digest_only: return digested;
    case MirrorUse::tag_only: return !digested;
  }
  return true;
}

}  // namespace

std::string config_origin(const RegistriesConf& conf) {
  if (conf.files.empty()) return "registries.conf (no file was found)";
  std::string out;
  for (const auto& file : conf.files) out.append(out.empty() ? "" : ", ").append(quote(file));
  return out;
}

const Registry* find_registry(const RegistriesConf& conf, const Reference& ref) {
  const std::string text = ref.str();
  const Registry* best = nullptr;
  for (const auto& reg : conf.registries) {
    if (!match_length(text, reg.prefix)) continue;
    if (!best || reg.prefix.size() > best->prefix.size()) best = &reg;
  }
  return best;
}

bool is_insecure(const RegistriesConf& conf, const Reference& ref) {
  const Registry* reg = find_registry(conf, ref);
  return reg && reg->insecure;
}

bool is_blocked(const RegistriesConf& conf, const Reference& ref) {
  const Registry* reg = find_registry(conf, ref);
  return reg && reg->blocked;
}

std::vector<Endpoint> pull_endpoints(const Registry& reg, const Reference& ref) {
  const bool digested = ref.digest().has_value();
  std::vector<Endpoint> out;
  for (const auto& mirror : reg.mirrors) {
    if (!serves(reg, mirror, digested)) continue;
    out.push_back(Endpoint{rewrite(ref, reg.prefix, mirror.location), mirror.location, mirror.insecure, true});
  }
  Reference primary = rewrite(ref, reg.prefix, reg.location);
  std::string location = reg.location.empty() ? primary.domain() : reg.location;
  out.push_back(Endpoint{std::move(primary), std::move(location), reg.insecure, false});
  return out;
}

std::vector<Endpoint> pull_endpoints(const RegistriesConf& conf, const Reference& ref) {
  const Registry* reg = find_registry(conf, ref);
  if (!reg) return {Endpoint{ref, ref.domain(), false, false}};
  if (reg->blocked) {
    throw Error("registry " + quote(reg->prefix) + " is blocked in " + config_origin(conf));
  }
  return pull_endpoints(*reg, ref);
}

}  // namespace pod::core::config
