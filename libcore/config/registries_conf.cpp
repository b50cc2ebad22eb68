// Parsing, validating and merging registries.conf files (containers/image
// pkg/sysregistriesv2: postProcessRegistries, updateWithConfigurationFrom).
#include "libcore/config/registries_conf.hpp"

#include <algorithm>
#include <initializer_list>

#include "libcore/config/toml_subset.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/log.hpp"

namespace pod::core::config {
namespace {

// Typed access to one table of a parsed file; messages are "SOURCE:LINE: `path.key`: …".
class Table {
 public:
  Table(const TomlTable& table, int line, std::string_view source, std::string path)
      : table_(table), line_(line), source_(source), path_(std::move(path)) {}

  const TomlValue* find(std::string_view key) const { return toml_find(table_, key); }

  std::optional<std::string> string(std::string_view key) const { return typed<std::string>(key, "a string"); }
  std::optional<bool> boolean(std::string_view key) const { return typed<bool>(key, "a boolean"); }

  std::optional<std::vector<std::string>> strings(std::string_view key) const {
    const TomlValue* v = find(key);
    if (!v) return std::nullopt;
    if (!v->is_array()) fail_type(*v, key, "an array of strings");
    std::vector<std::string> out;
    for (const auto& item : std::get<TomlArray>(v->data)) {
      if (!item.is_string()) fail_type(item, key, "an array of strings");
      out.push_back(std::get<std::string>(item.data));
    }
    return out;
  }

  std::optional<Table> table(std::string_view key) const {
    const TomlValue* v = find(key);
    if (!v) return std::nullopt;
    if (!v->is_table()) fail_type(*v, key, "a table");
    return Table(std::get<TomlTable>(v->data), v->line, source_, path_of(key));
  }

  // An array of tables ([[key]]).
  std::vector<Table> tables(std::string_view key) const {
    const TomlValue* v = find(key);
    if (!v) return {};
    if (!v->is_array()) fail_type(*v, key, "an array of tables");
    std::vector<Table> out;
    const auto& items = std::get<TomlArray>(v->data);
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (!items[i].is_table()) fail_type(items[i], key, "an array of tables");
      out.emplace_back(std::get<TomlTable>(items[i].data), items[i].line, source_,
                       path_of(key) + "[" + std::to_string(i) + "]");
    }
    return out;
  }

  // containers/image ignores keys it does not know (BurntSushi/toml "undecoded") and logs them.
  void ignore_unknown(std::initializer_list<std::string_view> known) const {
    for (const auto& [key, value] : table_) {
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      log::debug(std::string(source_) + ":" + std::to_string(value.line) + ": ignoring unknown key " +
                 quote_untrusted(path_of(key), 200));
    }
  }

  [[noreturn]] void fail_at(int line, std::string_view why) const {
    throw Error(std::string(source_) + ":" + std::to_string(line) + ": " + std::string(why), ErrorKind::invalid_input);
  }
  [[noreturn]] void fail(std::string_view why) const { fail_at(line_, quote(path_) + ": " + std::string(why)); }
  [[noreturn]] void fail_key(std::string_view key, std::string_view why) const {
    const TomlValue* v = find(key);
    fail_at(v ? v->line : line_, quote(path_of(key)) + ": " + std::string(why));
  }

  std::string path_of(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  std::map<std::string, std::string> string_map() const {
    std::map<std::string, std::string> out;
    for (const auto& [key, value] : table_) {
      if (!value.is_string()) fail_type(value, key, "a string");
      out.emplace(key, std::get<std::string>(value.data));
    }
    return out;
  }

 private:
  template <class T>
  std::optional<T> typed(std::string_view key, std::string_view what) const {
    const TomlValue* v = find(key);
    if (!v) return std::nullopt;
    if (!std::holds_alternative<T>(v->data)) fail_type(*v, key, what);
    return std::get<T>(v->data);
  }

  [[noreturn]] void fail_type(const TomlValue& v, std::string_view key, std::string_view what) const {
    fail_at(v.line, quote(path_of(key)) + ": expected " + std::string(what) + ", got " +
                        std::string(toml_type_name(v)));
  }

  const TomlTable& table_;
  int line_;
  std::string_view source_;
  std::string path_;
};

bool has_tag_or_digest(std::string_view name) {
  const auto slash = name.rfind('/');
  return name.find('@') != std::string_view::npos ||
         name.find(':', slash == std::string_view::npos ? 0 : slash) != std::string_view::npos;
}

// containers/image parseLocation: trailing slashes go, URL schemes are refused.
std::string read_location(const Table& t, std::string_view key) {
  std::string text = t.string(key).value_or("");
  while (!text.empty() && text.back() == '/') text.pop_back();
  if (text.starts_with("http://") || text.starts_with("https://")) {
    t.fail_key(key, "invalid location " + quote_untrusted(text, 200) + ": URI schemes are not supported");
  }
  return text;
}

MirrorUse read_mirror_use(const Table& t) {
  const std::string text = t.string("pull-from-mirror").value_or("all");
  if (text == "all") return MirrorUse::all;
  if (text == "digest-only") return MirrorUse::digest_only;
  if (text == "tag-only") return MirrorUse::tag_only;
  t.fail_key("pull-from-mirror", "unsupported value " + quote_untrusted(text) +
                                     ": expected all, digest-only or tag-only");
}

Mirror read_mirror(const Table& t, const Registry& reg) {
  Mirror m{read_location(t, "location"), t.boolean("insecure").value_or(false), read_mirror_use(t)};
  if (m.location.empty()) t.fail("mirror location is unset");
  if (reg.mirror_by_digest_only && t.find("pull-from-mirror")) {
    t.fail_key("pull-from-mirror", "cannot be set when the registry sets mirror-by-digest-only");
  }
  t.ignore_unknown({"location", "insecure", "pull-from-mirror"});
  return m;
}

void check_prefix(const Table& t, Registry& reg) {
  if (reg.prefix.empty()) {
    if (reg.location.empty()) t.fail("both location and prefix are unset");
    reg.prefix = reg.location;
    return;
  }
  if (reg.prefix.starts_with("*.")) {
    const std::string_view host = std::string_view(reg.prefix).substr(2);
    if (host.empty() || host.find_first_of("/:*") != std::string_view::npos) {
      t.fail_key("prefix", "invalid wildcard prefix " + quote_untrusted(reg.prefix, 200) +
                               ": only `*.example.com`, without port or path, is allowed");
    }
    return;
  }
  if (reg.prefix.find('*') != std::string::npos) {
    t.fail_key("prefix", "invalid prefix " + quote_untrusted(reg.prefix, 200) + ": a wildcard may only lead, as in `*.example.com`");
  }
  if (reg.location.empty()) {
    t.fail("location is unset and prefix " + quote_untrusted(reg.prefix, 200) + " is not of the form `*.example.com`");
  }
}

Registry read_registry(const Table& t) {
  Registry reg;
  reg.location = read_location(t, "location");
  reg.prefix = read_location(t, "prefix");
  reg.insecure = t.boolean("insecure").value_or(false);
  reg.blocked = t.boolean("blocked").value_or(false);
  reg.mirror_by_digest_only = t.boolean("mirror-by-digest-only").value_or(false);
  if (t.find("pull-from-mirror")) t.fail_key("pull-from-mirror", "must not be set for a non-mirror registry");
  check_prefix(t, reg);
  for (const Table& m : t.tables("mirror")) reg.mirrors.push_back(read_mirror(m, reg));
  t.ignore_unknown({"prefix", "location", "insecure", "blocked", "mirror-by-digest-only", "mirror"});
  return reg;
}

// A registry may appear under several prefixes, but never with conflicting security settings.
void check_conflicts(const Table& root, const std::vector<Registry>& regs) {
  const auto key = [](const Registry& r) { return r.location.empty() ? r.prefix : r.location; };
  for (std::size_t i = 0; i < regs.size(); ++i) {
    for (std::size_t j = i + 1; j < regs.size(); ++j) {
      if (key(regs[i]) != key(regs[j])) continue;
      const char* what = regs[i].insecure != regs[j].insecure ? "insecure"
                         : regs[i].blocked != regs[j].blocked ? "blocked"
                                                              : nullptr;
      if (what) {
        root.fail_key("registry", "registry " + quote(key(regs[i])) + " is defined multiple times with conflicting `" +
                                      what + "` settings");
      }
    }
  }
}

std::vector<Registry> read_registries(const Table& root) {
  std::vector<Registry> regs;
  for (const Table& t : root.tables("registry")) regs.push_back(read_registry(t));
  check_conflicts(root, regs);
  std::vector<Registry> unique;  // the first entry for a prefix wins, as in containers/image
  for (auto& reg : regs) {
    const bool seen = std::any_of(unique.begin(), unique.end(), [&](const Registry& r) { return r.prefix == reg.prefix; });
    if (!seen) unique.push_back(std::move(reg));
  }
  return unique;
}

// Entries must be bare hosts ("quay.io", "localhost:5000"): "host/name" must parse with that host.
std::optional<std::vector<std::string>> read_search_registries(const Table& root) {
  constexpr std::string_view kKey = "unqualified-search-registries";
  auto entries = root.strings(kKey);
  if (!entries) return std::nullopt;
  for (std::string& entry : *entries) {
    while (!entry.empty() && entry.back() == '/') entry.pop_back();
    bool host = !entry.empty() && entry.find('/') == std::string::npos;
    try {
      host = host && !Reference::parse(entry + "/x").was_short_name();
    } catch (const Error&) {
      host = false;
    }
    if (!host) root.fail_key(kKey, "invalid entry " + quote_untrusted(entry, 200) + ": expected a registry host such as quay.io");
  }
  return entries;
}

std::optional<ShortNameMode> read_short_name_mode(const Table& root) {
  const auto text = root.string("short-name-mode");
  if (!text) return std::nullopt;
  if (*text == "enforcing") return ShortNameMode::enforcing;
  if (*text == "permissive") return ShortNameMode::permissive;
  if (*text == "disabled") return ShortNameMode::disabled;
  root.fail_key("short-name-mode", "invalid value " + quote_untrusted(*text) + ": expected enforcing, permissive or disabled");
}

// Why an alias entry is wrong, or "". Keys are short names without tag or digest ("fedora",
// "ubi8/ubi"); values name a registry and a repository, without tag or digest.
std::string alias_problem(const std::string& name, const std::string& value) {
  try {
    if (!Reference::parse(name).was_short_name()) return "the short name must not name a registry";
    if (has_tag_or_digest(name)) return "the short name must not include a tag or digest";
  } catch (const Error& e) {
    return e.message();
  }
  try {
    if (Reference::parse(value).was_short_name()) return "the alias " + quote_untrusted(value, 200) + " must name a registry";
    if (has_tag_or_digest(value)) return "the alias " + quote_untrusted(value, 200) + " must not include a tag or digest";
  } catch (const Error& e) {
    return e.message();
  }
  return {};
}

std::map<std::string, std::string> read_aliases(const Table& root) {
  const auto table = root.table("aliases");
  if (!table) return {};
  auto aliases = table->string_map();
  for (const auto& [name, value] : aliases) {
    if (std::string why = alias_problem(name, value); !why.empty()) table->fail_key(name, why);
  }
  return aliases;
}

}  // namespace

std::string_view to_string(ShortNameMode mode) {
  switch (mode) {
    case ShortNameMode::enforcing: return "enforcing";
    case ShortNameMode::permissive: return "permissive";
    case ShortNameMode::disabled: return "disabled";
  }
  return "enforcing";
}

RegistriesConfFile parse_registries_conf(std::string_view text, std::string_view source) {
  const TomlTable doc = parse_toml(text, source);
  const Table root(doc, 1, source, "");
  if (const TomlValue* v1 = root.find("registries")) {
    root.fail_at(v1->line, "registries.conf version 1 ([registries.search] …) is not supported; "
                           "use unqualified-search-registries and [[registry]] tables");
  }
  RegistriesConfFile file;
  file.unqualified_search_registries = read_search_registries(root);
  file.short_name_mode = read_short_name_mode(root);
  file.registries = read_registries(root);
  file.aliases = read_aliases(root);
  root.ignore_unknown({"unqualified-search-registries", "short-name-mode", "registry", "aliases"});
  return file;
}

void merge_registries_conf(RegistriesConf& conf, RegistriesConfFile file, std::string source) {
  if (file.unqualified_search_registries) conf.unqualified_search_registries = std::move(*file.unqualified_search_registries);
  if (file.short_name_mode) conf.short_name_mode = *file.short_name_mode;
  std::map<std::string, Registry> by_prefix;
  for (auto& reg : conf.registries) by_prefix.insert_or_assign(reg.prefix, std::move(reg));
  for (auto& reg : file.registries) by_prefix.insert_or_assign(reg.prefix, std::move(reg));
  conf.registries.clear();
  for (auto& [prefix, reg] : by_prefix) conf.registries.push_back(std::move(reg));
  for (auto& [name, value] : file.aliases) conf.aliases.insert_or_assign(name, std::move(value));
  conf.files.push_back(std::move(source));
}

}  // namespace pod::core::config
