#include "libcore/reference.hpp"

#include <algorithm>
#include <utility>

#include "libcore/sys/error.hpp"

namespace pod::core {
namespace {

constexpr std::size_t kQuoteLimit = 300;
constexpr std::size_t kMaxTagLength = 128;
constexpr std::string_view kLegacyDefaultDomain = "index.docker.io";
constexpr std::string_view kOfficialPrefix = "library/";
constexpr std::string_view kMustBeLowercase = "repository name must be lowercase";
constexpr std::string_view kTagRule =
    "a tag is 1 to 128 characters of [A-Za-z0-9_.-] and does not start with `.` or `-`";

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_alnum(char c) { return is_lower_alnum(c) || is_upper(c); }
bool is_word(char c) { return is_alnum(c) || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool has_upper(std::string_view s) { return std::any_of(s.begin(), s.end(), is_upper); }

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

[[noreturn]] void fail(std::string_view unsafe_text, std::string_view why) {
  throw Error("invalid reference " + quote_untrusted(unsafe_text, kQuoteLimit) + ": " + std::string(why),
              ErrorKind::invalid_input);
}

// Docker refuses a bare 64-hex string as a name: it is an image id.
bool is_image_id(std::string_view text) {
  return text.size() == 64 &&
         std::all_of(text.begin(), text.end(), [](char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); });
}

struct Parts {
  std::string_view name;
  std::optional<std::string_view> tag;
  std::optional<std::string_view> digest;
};

// Neither a name nor a tag may hold '@', and a tag holds no '/' or ':', so the split is unambiguous.
Parts split_parts(std::string_view text) {
  Parts parts{text, std::nullopt, std::nullopt};
  if (const auto at = text.find('@'); at != std::string_view::npos) {
    parts.digest = text.substr(at + 1);
    parts.name = text.substr(0, at);
  }
  const auto colon = parts.name.rfind(':');
  const auto slash = parts.name.rfind('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    parts.tag = parts.name.substr(colon + 1);
    parts.name = parts.name.substr(0, colon);
  }
  return parts;
}

bool is_domain_component(std::string_view c) {
  if (c.empty() || !is_alnum(c.front()) || !is_alnum(c.back())) return false;
  return std::all_of(c.begin(), c.end(), [](char ch) { return is_alnum(ch) || ch == '-'; });
}

bool is_domain_name(std::string_view host) {
  while (true) {
    const auto dot = host.find('.');
    if (!is_domain_component(host.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    host.remove_prefix(dot + 1);
  }
}

bool is_ipv6_literal(std::string_view host) {
  if (host.size() < 3 || host.front() != '[' || host.back() != ']') return false;
  const auto inner = host.substr(1, host.size() - 2);
  return std::all_of(inner.begin(), inner.end(), [](char c) { return is_hex(c) || c == ':'; });
}

bool is_port(std::string_view port) {
  return !port.empty() && std::all_of(port.begin(), port.end(), is_digit);
}

std::pair<std::string_view, std::optional<std::string_view>> split_port(std::string_view domain) {
  const auto host_end = domain.starts_with('[') ? domain.find(']') : 0;
  if (host_end == std::string_view::npos) return {domain, std::nullopt};
  const auto colon = domain.find(':', host_end);
  if (colon == std::string_view::npos) return {domain, std::nullopt};
  return {domain.substr(0, colon), domain.substr(colon + 1)};
}

// Returns why `domain` is invalid, or an empty string.
std::string domain_problem(std::string_view domain) {
  const auto [host, port] = split_port(domain);
  const bool host_ok = host.starts_with('[') ? is_ipv6_literal(host) : is_domain_name(host);
  if (!host_ok) return "invalid domain " + quote_untrusted(domain, kQuoteLimit);
  if (port && !is_port(*port)) return "invalid port in domain " + quote_untrusted(domain, kQuoteLimit);
  return {};
}

// Length of the separator ("." | "_" | "__" | "-"+) at the start of `s`, 0 if none.
std::size_t separator_length(std::string_view s) {
  if (s.starts_with("__")) return 2;
  if (s.starts_with('.') || s.starts_with('_')) return 1;
  return std::min(s.find_first_not_of('-'), s.size());
}

std::string component_problem(std::string_view c) {
  if (c.empty()) return "invalid repository name: empty path component";
  const std::string quoted = quote_untrusted(c, kQuoteLimit);
  if (!is_lower_alnum(c.front()) || !is_lower_alnum(c.back())) {
    return "invalid path component " + quoted + ": must start and end with a lowercase letter or digit";
  }
  for (std::size_t i = 0; i < c.size();) {
    if (is_lower_alnum(c[i])) {
      ++i;
      continue;
    }
    const std::size_t length = separator_length(c.substr(i));
    if (length == 0) {
      return "invalid character " + quote_untrusted(c.substr(i, 1)) + " in path component " + quoted;
    }
    if (!is_lower_alnum(c[i + length])) {
      return "invalid separator " + quote_untrusted(c.substr(i, length + 1)) + " in path component " + quoted;
    }
    i += length;
  }
  return {};
}

// Returns why `path` is invalid, or an empty string.
std::string path_problem(std::string_view path) {
  while (true) {
    const auto slash = path.find('/');
    if (std::string why = component_problem(path.substr(0, slash)); !why.empty()) return why;
    if (slash == std::string_view::npos) return {};
    path.remove_prefix(slash + 1);
  }
}

// A first component is a domain when Docker would take it for one: it has a '.' or ':', is
// "localhost", or has an uppercase letter (repository paths are lowercase, host names need not be).
bool looks_like_domain(std::string_view first) {
  return first.find_first_of(".:") != std::string_view::npos || first == "localhost" || has_upper(first);
}

// Docker's rule picks the candidate. A candidate that is no valid domain but a valid path
// component is read as a path, as the grammar allows; one with uppercase letters that would be
// valid in lowercase gets Docker's "must be lowercase".
std::optional<std::string_view> find_domain(std::string_view unsafe_text, std::string_view name) {
  const auto slash = name.find('/');
  if (slash == std::string_view::npos || !looks_like_domain(name.substr(0, slash))) return std::nullopt;
  const std::string_view first = name.substr(0, slash);
  const std::string why = domain_problem(first);
  if (why.empty()) return first;
  if (!has_upper(first) && component_problem(first).empty()) return std::nullopt;
  if (path_problem(to_lower(name)).empty()) fail(unsafe_text, kMustBeLowercase);
  fail(unsafe_text, why);
}

struct Name {
  std::string domain;
  std::string path;
  bool short_name = false;
};

Name parse_name(std::string_view unsafe_text, std::string_view name) {
  const std::optional<std::string_view> domain = find_domain(unsafe_text, name);
  const std::string_view path = domain ? name.substr(domain->size() + 1) : name;
  if (has_upper(path)) fail(unsafe_text, kMustBeLowercase);
  if (std::string why = path_problem(path); !why.empty()) fail(unsafe_text, why);

  Name out{std::string(domain.value_or(kDefaultDomain)), std::string(path), !domain};
  if (out.domain == kLegacyDefaultDomain) out.domain = kDefaultDomain;
  if (out.domain == kDefaultDomain && path.find('/') == std::string_view::npos) {
    out.path.insert(0, kOfficialPrefix);
  }
  if (out.domain.size() + 1 + out.path.size() > kMaxNameLength) {
    fail(unsafe_text, "name is longer than " + std::to_string(kMaxNameLength) + " characters");
  }
  return out;
}

std::string tag_problem(std::string_view tag) {
  return "invalid tag " + quote_untrusted(tag, kQuoteLimit) + ": " + std::string(kTagRule);
}

std::optional<std::string> parse_tag(std::string_view unsafe_text, std::optional<std::string_view> tag) {
  if (!tag) return std::nullopt;
  if (!is_valid_tag(*tag)) fail(unsafe_text, tag_problem(*tag));
  return std::string(*tag);
}

std::optional<Digest> parse_digest(std::string_view unsafe_text, std::optional<std::string_view> digest) {
  if (!digest) return std::nullopt;
  try {
    return Digest::parse(*digest);
  } catch (const Error& e) {
    fail(unsafe_text, e.message());
  }
}

}  // namespace

Reference Reference::parse(std::string_view unsafe_text) {
  if (unsafe_text.empty()) fail(unsafe_text, "empty reference");
  if (is_image_id(unsafe_text)) {
    fail(unsafe_text, "a 64-character hex string is an image id, not a repository name");
  }
  const Parts parts = split_parts(unsafe_text);
  Name name = parse_name(unsafe_text, parts.name);

  Reference ref;
  ref.domain_ = std::move(name.domain);
  ref.path_ = std::move(name.path);
  ref.short_name_ = name.short_name;
  ref.tag_ = parse_tag(unsafe_text, parts.tag);
  ref.digest_ = parse_digest(unsafe_text, parts.digest);
  if (!ref.tag_ && !ref.digest_) ref.tag_ = std::string(kDefaultTag);
  return ref;
}

std::string Reference::repository() const { return domain_ + "/" + path_; }

std::string Reference::str() const {
  std::string s = repository();
  if (tag_) s.append(":").append(*tag_);
  if (digest_) s.append("@").append(digest_->str());
  return s;
}

std::string Reference::manifest_reference() const {
  if (digest_) return digest_->str();
  return tag_.value_or(std::string(kDefaultTag));
}

Reference Reference::with_tag(std::string tag) const {
  if (!is_valid_tag(tag)) throw Error(tag_problem(tag), ErrorKind::invalid_input);
  Reference ref = *this;
  ref.tag_ = std::move(tag);
  return ref;
}

Reference Reference::with_digest(Digest digest) const {
  Reference ref = *this;
  ref.digest_ = std::move(digest);
  return ref;
}

bool is_valid_tag(std::string_view tag) noexcept {
  if (tag.empty() || tag.size() > kMaxTagLength || !is_word(tag.front())) return false;
  return std::all_of(tag.begin(), tag.end(), [](char c) { return is_word(c) || c == '.' || c == '-'; });
}

}  // namespace pod::core
