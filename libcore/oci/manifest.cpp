#include "libcore/oci/manifest.hpp"

#include "libcore/json_read.hpp"
#include "libcore/sys/error.hpp"

namespace pod::core::oci {
namespace {

using nlohmann::json;

std::optional<ManifestKind> kind_of_media_type(std::string_view media_type) {
  for (auto kind : {ManifestKind::oci_manifest, ManifestKind::oci_index, ManifestKind::docker_manifest,
                    ManifestKind::docker_list}) {
    if (media_type == media_type_of(kind)) return kind;
  }
  return std::nullopt;
}

[[noreturn]] void refuse_schema1() {
  throw Error(
      "Docker schema 1 manifests are not supported: the image must be pushed again as Docker v2 schema 2 "
      "or OCI",
      ErrorKind::unsupported);
}

std::string_view describe(ManifestKind kind) {
  switch (kind) {
    case ManifestKind::oci_manifest: return "an OCI image manifest";
    case ManifestKind::oci_index: return "an OCI image index";
    case ManifestKind::docker_manifest: return "a Docker v2 schema 2 manifest";
    case ManifestKind::docker_list: return "a Docker manifest list";
  }
  return {};
}

ManifestKind classify_document(const JsonObject& doc, std::string_view content_type) {
  const auto schema = doc.optional_integer("schemaVersion");
  if (schema == 1 || content_type == media_type::kDockerSchema1 || content_type == media_type::kDockerSchema1Signed) {
    refuse_schema1();
  }
  if (const auto declared = doc.optional_string("mediaType")) {
    if (*declared == media_type::kDockerSchema1 || *declared == media_type::kDockerSchema1Signed) refuse_schema1();
    if (const auto kind = kind_of_media_type(*declared)) return *kind;
    throw Error("unsupported manifest media type " + quote_untrusted(*declared, 100), ErrorKind::unsupported);
  }
  if (const auto kind = kind_of_media_type(content_type)) return *kind;
  if (doc.has("manifests")) return ManifestKind::oci_index;
  if (doc.has("config") && doc.has("layers")) return ManifestKind::oci_manifest;
  throw Error("not a manifest: no mediaType, no `manifests`, no `config` and `layers`", ErrorKind::invalid_input);
}

void require_schema_version_2(const JsonObject& doc) {
  if (doc.integer("schemaVersion") != 2) doc.fail("schemaVersion", "expected 2");
}

Platform read_platform(const JsonObject& o) {
  Platform p;
  p.os = o.string("os");
  p.architecture = o.string("architecture");
  p.variant = o.optional_string("variant").value_or("");
  p.os_version = o.optional_string("os.version").value_or("");
  p.os_features = o.optional_strings("os.features").value_or(std::vector<std::string>{});
  return p;
}

Digest read_digest(const JsonObject& o, std::string_view key) {
  const std::string text = o.string(key);
  try {
    return Digest::parse(text);
  } catch (const Error& e) {
    o.fail(key, e.message());
  }
}

Descriptor read_descriptor(const JsonObject& o) {
  Digest digest = read_digest(o, "digest");
  const std::int64_t size = o.integer("size");
  if (size < 0) o.fail("size", "must not be negative");
  Descriptor d{o.string("mediaType"), std::move(digest), size, {}, {}, {}, {}};
  d.urls = o.optional_strings("urls").value_or(std::vector<std::string>{});
  d.annotations = o.string_map("annotations");
  if (const auto p = o.optional_object("platform")) d.platform = read_platform(*p);
  d.artifact_type = o.optional_string("artifactType");
  return d;
}

json write_platform(const Platform& p) {
  json j{{"os", p.os}, {"architecture", p.architecture}};
  if (!p.variant.empty()) j["variant"] = p.variant;
  if (!p.os_version.empty()) j["os.version"] = p.os_version;
  if (!p.os_features.empty()) j["os.features"] = p.os_features;
  return j;
}

json write_descriptor(const Descriptor& d) {
  json j{{"mediaType", d.media_type}, {"digest", d.digest.str()}, {"size", d.size}};
  if (!d.urls.empty()) j["urls"] = d.urls;
  if (!d.annotations.empty()) j["annotations"] = d.annotations;
  if (d.platform) j["platform"] = write_platform(*d.platform);
  if (d.artifact_type) j["artifactType"] = *d.artifact_type;
  return j;
}

template <class Parse>
auto parse_document(std::string_view what, std::string_view bytes, Parse&& parse) {
  return with_context("parsing " + std::string(what), [&] {
    const json doc = parse_json_document(bytes);
    return parse(JsonObject(doc, ""));
  });
}

Manifest read_manifest(const JsonObject& doc, ManifestKind kind) {
  require_schema_version_2(doc);
  Manifest m;
  m.kind = kind;
  m.config = read_descriptor(doc.object("config"));
  if (kind == ManifestKind::docker_manifest && m.config.media_type != media_type::kDockerConfig) {
    doc.fail("config.mediaType", "expected " + std::string(media_type::kDockerConfig) + ", got " +
                                     quote_untrusted(m.config.media_type, 100));
  }
  for (const auto& layer : doc.objects("layers")) m.layers.push_back(read_descriptor(layer));
  m.annotations = doc.string_map("annotations");
  m.artifact_type = doc.optional_string("artifactType");
  if (const auto subject = doc.optional_object("subject")) m.subject = read_descriptor(*subject);
  return m;
}

Index read_index(const JsonObject& doc, ManifestKind kind) {
  require_schema_version_2(doc);
  Index index;
  index.kind = kind;
  for (const auto& entry : doc.objects("manifests")) index.manifests.push_back(read_descriptor(entry));
  index.annotations = doc.string_map("annotations");
  return index;
}

}  // namespace

ManifestKind classify_manifest(std::string_view bytes, std::string_view content_type) {
  return parse_document("manifest", bytes,
                        [&](const JsonObject& doc) { return classify_document(doc, content_type); });
}

Manifest parse_manifest(std::string_view bytes, std::string_view content_type) {
  return parse_document("image manifest", bytes, [&](const JsonObject& doc) {
    const auto kind = classify_document(doc, content_type);
    if (is_index(kind)) throw Error("expected an image manifest, got " + std::string(describe(kind)), ErrorKind::invalid_input);
    return read_manifest(doc, kind);
  });
}

Index parse_index(std::string_view bytes, std::string_view content_type) {
  return parse_document("image index", bytes, [&](const JsonObject& doc) {
    const auto kind = classify_document(doc, content_type);
    if (!is_index(kind)) throw Error("expected an image index, got " + std::string(describe(kind)), ErrorKind::invalid_input);
    return read_index(doc, kind);
  });
}

std::string serialize(const Manifest& m) {
  json j{{"schemaVersion", 2}, {"mediaType", media_type_of(m.kind)}, {"config", write_descriptor(m.config)}};
  j["layers"] = json::array();
  for (const auto& layer : m.layers) j["layers"].push_back(write_descriptor(layer));
  if (!m.annotations.empty()) j["annotations"] = m.annotations;
  if (m.artifact_type) j["artifactType"] = *m.artifact_type;
  if (m.subject) j["subject"] = write_descriptor(*m.subject);
  return j.dump();
}

std::string serialize(const Index& index) {
  json j{{"schemaVersion", 2}, {"mediaType", media_type_of(index.kind)}};
  j["manifests"] = json::array();
  for (const auto& d : index.manifests) j["manifests"].push_back(write_descriptor(d));
  if (!index.annotations.empty()) j["annotations"] = index.annotations;
  return j.dump();
}

const Descriptor& choose_manifest(const Index& index, const Platform& wanted) {
  std::vector<Platform> platforms;
  std::string available;
  for (const auto& d : index.manifests) {
    platforms.push_back(d.platform.value_or(Platform{}));
    if (d.platform) available += (available.empty() ? "" : ", ") + to_string(normalize(*d.platform));
  }
  if (const auto i = choose_platform(platforms, wanted)) return index.manifests[*i];
  throw Error("no image for platform " + to_string(wanted) + " in the index (it has: " +
                  (available.empty() ? std::string("no platforms") : available) + ")",
              ErrorKind::not_found);
}

}  // namespace pod::core::oci
