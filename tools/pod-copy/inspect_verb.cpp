// pod-copy inspect [--raw] [--config] [--no-tags] IMAGE
// Skopeo's JSON: Name, Digest, RepoTags, Created, DockerVersion, Labels, Architecture, Os,
// Layers, LayersData, Env. An index with no image for this platform is shown as the index
// and its platforms instead of failing.
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "libcore/oci/manifest.hpp"
#include "libcore/reference.hpp"
#include "libcore/registry/registry_client.hpp"
#include "libcore/stream.hpp"
#include "libcore/sys/error.hpp"
#include "tools/pod-copy/verbs.hpp"

namespace pod::tools {
namespace {

namespace transport = core::transport;
namespace oci = core::oci;
using json = nlohmann::ordered_json;

struct InspectFlags {
  std::string image;
  bool raw = false;
  bool config = false;
  bool no_tags = false;
  RegistryFlags registry;
};

std::string read_config(transport::ImageSource& source, const oci::Descriptor& d) {
  auto raw = source.open_blob(d);
  core::VerifyingReader verified(*raw, d.digest, d.size);
  return core::read_bounded(verified, core::kConfigLimit, "config " + d.digest.str());
}

json layers_data(const oci::Manifest& m) {
  json out = json::array();
  for (const auto& l : m.layers) {
    json a = l.annotations.empty() ? json(nullptr) : json(l.annotations);
    out.push_back({{"MIMEType", l.media_type}, {"Digest", l.digest.str()}, {"Size", l.size}, {"Annotations", a}});
  }
  return out;
}

json value_or_null(const json& doc, const char* key) { return doc.contains(key) ? doc[key] : json(nullptr); }

json index_document(const std::string& name, const transport::ManifestBlob& top, const json& tags) {
  const auto index = oci::parse_index(top.bytes, top.media_type);
  json platforms = json::array();
  for (const auto& d : index.manifests) {
    platforms.push_back({{"Digest", d.digest.str()},
                         {"MediaType", d.media_type},
                         {"Platform", d.platform ? oci::to_string(*d.platform) : std::string("unknown")}});
  }
  return {{"Name", name}, {"Digest", top.digest.str()}, {"RepoTags", tags}, {"MediaType", top.media_type}, {"Manifests", platforms}};
}

void run_inspect(const InspectFlags& f, const CopyGlobals& globals) {
  const auto ref = transport::parse_transport_reference(f.image);
  LazyStore store;
  const TransportContext context{access_for(f.registry, globals), store.open_if_needed({ref}, globals), store.rootless()};
  auto source = open_image_source(ref, context);
  const auto top = source->manifest();
  if (f.raw && !f.config) {
    fmt::print("{}", top.bytes);
    return;
  }
  json tags = json::array();
  std::string name = ref.text;
  if (ref.kind == transport::TransportKind::docker) {
    const auto parsed = core::Reference::parse(ref.path);
    name = parsed.repository();
    if (!f.no_tags && !f.config) {
      for (const auto& t : storage::registry_client_for(parsed, context.registry)->list_tags(parsed.path())) tags.push_back(t);
    }
  }
  transport::ManifestBlob chosen = top;
  if (oci::is_index(oci::classify_manifest(top.bytes, top.media_type))) {
    const auto index = oci::parse_index(top.bytes, top.media_type);
    try {
      chosen = source->instance(oci::choose_manifest(index, globals.platform()).digest);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::not_found || f.config) throw;
      fmt::print("{}\n", index_document(name, top, tags).dump(4));
      return;
    }
  }
  const auto manifest = oci::parse_manifest(chosen.bytes, chosen.media_type);
  const std::string config_bytes = read_config(*source, manifest.config);
  if (f.config) {
    fmt::print("{}", f.raw ? config_bytes : json::parse(config_bytes).dump(4) + "\n");
    return;
  }
  const json config = json::parse(config_bytes, nullptr, false);
  if (!config.is_object()) throw Error("config " + manifest.config.digest.str() + " is not a JSON object", ErrorKind::invalid_input);
  const json inner = config.contains("config") && config["config"].is_object() ? config["config"] : json::object();
  json layers = json::array();
  for (const auto& l : manifest.layers) layers.push_back(l.digest.str());
  json doc = {{"Name", name},
              {"Digest", top.digest.str()},
              {"RepoTags", tags},
              {"Created", value_or_null(config, "created")},
              {"DockerVersion", config.value("docker_version", "")},
              {"Labels", value_or_null(inner, "Labels")},
              {"Architecture", config.value("architecture", "")},
              {"Os", config.value("os", "")},
              {"Layers", layers},
              {"LayersData", layers_data(manifest)},
              {"Env", value_or_null(inner, "Env")}};
  fmt::print("{}\n", doc.dump(4));
}

}  // namespace

void add_inspect_verb(CLI::App& app, CopyGlobals& globals) {
  auto flags = std::make_shared<InspectFlags>();
  auto* verb = app.add_subcommand("inspect", "show an image's digest, tags, platform, layers and config");
  verb->add_option("image", flags->image, "image, TRANSPORT:DETAILS")->required();
  verb->add_flag("--raw", flags->raw, "print the manifest (or with --config the config) exactly as stored");
  verb->add_flag("--config", flags->config, "print the image's config");
  verb->add_flag("-n,--no-tags", flags->no_tags, "do not list the repository's tags");
  add_registry_flags(*verb, flags->registry);
  verb->callback([flags, &globals] { run_inspect(*flags, globals); });
}

}  // namespace pod::tools
