// pod-test-mkimage OUT_LAYOUT SPEC [SPEC...]
//
// Makes an OCI image layout from image specs (see spec.hpp): one spec → one image manifest,
// several → an index of them (one per platform). Besides the layout it writes OUT/push-plan,
// the order in which a registry wants the pieces: "blob DIGEST", "manifest DIGEST MEDIATYPE",
// and finally "tag DIGEST MEDIATYPE TAG" for the top manifest. Prints the top digest.
#include <cstdio>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "libcore/oci/image_config.hpp"
#include "libcore/oci/manifest.hpp"
#include "libcore/sys/error.hpp"
#include "tests/support/mkimage/layer_writer.hpp"
#include "tests/support/mkimage/spec.hpp"

namespace pod::testsupport {
namespace {

namespace oci = core::oci;
namespace mt = core::oci::media_type;

std::string layer_media_type(const ImageSpec& spec) {
  const bool docker = spec.format == "docker";
  if (spec.compression == "gzip") return std::string(docker ? mt::kDockerLayerGzip : mt::kOciLayerGzip);
  if (docker && spec.compression == "none") return "application/vnd.docker.image.rootfs.diff.tar";
  if (docker) throw Error("docker format has no " + spec.compression + " layers");
  return std::string(spec.compression == "zstd" ? mt::kOciLayerZstd : mt::kOciLayer);
}

oci::ContainerConfig container_config(const ImageSpec& spec) {
  nlohmann::json cfg = nlohmann::json::object();
  for (const auto& [key, raw] : spec.config_json) cfg[key] = nlohmann::json::parse(raw);
  const std::string doc =
      nlohmann::json{{"architecture", "x"}, {"os", "x"}, {"config", cfg}, {"rootfs", {{"type", "layers"}, {"diff_ids", nlohmann::json::array()}}}}.dump();
  return oci::parse_image_config(doc).config;
}

struct BuiltImage {
  oci::Descriptor manifest;
  std::vector<std::string> plan;
};

BuiltImage build_image(const std::string& out, const ImageSpec& spec) {
  const oci::Platform platform = oci::parse_platform(spec.platform);
  oci::ImageConfig config;
  config.created = spec.created;
  config.architecture = platform.architecture;
  config.os = platform.os;
  config.variant = platform.variant;
  config.config = container_config(spec);
  oci::Manifest manifest;
  manifest.kind = spec.format == "docker" ? oci::ManifestKind::docker_manifest : oci::ManifestKind::oci_manifest;
  BuiltImage built;
  for (const auto& layer : spec.layers) {
    const WrittenLayer written = write_layer(out, layer, spec.compression, spec.mtime);
    config.diff_ids.push_back(written.diff_id);
    config.history.push_back({spec.created, "pod-test-mkimage: " + layer.comment, "", "", false});
    manifest.layers.push_back({layer_media_type(spec), written.blob.digest, written.blob.size, {}, {}, {}, {}});
    built.plan.push_back("blob " + written.blob.digest.str());
  }
  const WrittenBlob config_blob = write_blob(out, oci::serialize(config));
  built.plan.push_back("blob " + config_blob.digest.str());
  manifest.config = {std::string(spec.format == "docker" ? mt::kDockerConfig : mt::kOciConfig), config_blob.digest,
                     config_blob.size, {}, {}, {}, {}};
  const WrittenBlob manifest_blob = write_blob(out, oci::serialize(manifest));
  built.manifest = {std::string(oci::media_type_of(manifest.kind)), manifest_blob.digest, manifest_blob.size,
                    {}, {}, platform, {}};
  return built;
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::trunc);
  f << text;
  if (!f.flush()) throw_errno("write", path);
}

int run(int argc, char** argv) {
  if (argc < 3) throw Error("usage: pod-test-mkimage OUT_LAYOUT SPEC [SPEC...]");
  const std::string out = argv[1];
  std::vector<ImageSpec> specs;
  for (int i = 2; i < argc; ++i) specs.push_back(read_image_spec(argv[i]));
  std::vector<std::string> plan;
  oci::Index children;
  children.kind = specs[0].format == "docker" ? oci::ManifestKind::docker_list : oci::ManifestKind::oci_index;
  for (const auto& spec : specs) {
    BuiltImage image = build_image(out, spec);
    plan.insert(plan.end(), image.plan.begin(), image.plan.end());
    children.manifests.push_back(image.manifest);
  }
  oci::Descriptor top = children.manifests.front();
  if (specs.size() > 1) {
    for (const auto& child : children.manifests) plan.push_back("manifest " + child.digest.str() + " " + child.media_type);
    const WrittenBlob index_blob = write_blob(out, oci::serialize(children));
    top = {std::string(oci::media_type_of(children.kind)), index_blob.digest, index_blob.size, {}, {}, {}, {}};
  }
  top.platform.reset();
  plan.push_back("tag " + top.digest.str() + " " + top.media_type + " " + specs[0].tag);
  top.annotations["org.opencontainers.image.ref.name"] = specs[0].tag;
  oci::Index layout_index;
  layout_index.manifests.push_back(top);
  write_text(out + "/index.json", oci::serialize(layout_index));
  write_text(out + "/oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
  std::string plan_text;
  for (const auto& line : plan) plan_text += line + "\n";
  write_text(out + "/push-plan", plan_text);
  std::cout << top.digest.str() << '\n';
  return 0;
}

}  // namespace
}  // namespace pod::testsupport

int main(int argc, char** argv) {
  try {
    return pod::testsupport::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "Error: pod-test-mkimage: %s\n", e.what());
    return 1;
  }
}
