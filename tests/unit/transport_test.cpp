// The transports and the copy engine on files: names, (de)compression, tar and directory
// layouts, and copies between OCI layouts (verified, recompressed, refused).
#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "libcore/compression/compress.hpp"
#include "libcore/compression/decompress.hpp"
#include "libcore/digest.hpp"
#include "libcore/oci/manifest.hpp"
#include "libcore/stream.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"
#include "libcore/transport/copy.hpp"
#include "libcore/transport/file_sink.hpp"
#include "libcore/transport/file_tree.hpp"
#include "libcore/transport/layout_common.hpp"
#include "libcore/transport/oci_layout.hpp"
#include "libcore/transport/transport_reference.hpp"

using Catch::Matchers::Contains;
namespace transport = pod::core::transport;
namespace oci = pod::core::oci;
using pod::core::Compression;

namespace {

std::string read_all(pod::core::Reader& in) { return pod::core::read_bounded(in, 64u << 20, "test"); }

std::string roundtrip(const std::string& data, Compression c) {
  pod::core::StringReader in(data);
  pod::core::CompressingReader packed(in, c);
  const std::string compressed = read_all(packed);
  pod::core::StringReader again(compressed);
  pod::core::DecompressingReader plain(again);
  CHECK(plain.compression() == c);
  return read_all(plain);
}

struct Scratch {
  Scratch() : dir(std::filesystem::temp_directory_path() / ("pod-transport-test-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  ~Scratch() { std::filesystem::remove_all(dir); }
  std::string path(const std::string& name) const { return (dir / name).string(); }
  std::filesystem::path dir;
};

// A one-layer OCI image (gzip layer holding a plain "tar" of arbitrary bytes: the engine
// checks digests and diff IDs, not tar contents) written into an OCI layout.
struct TestImage {
  std::string layer_plain = std::string(100000, 'x') + "layer";
  std::string layer_gz;
  std::string config;
  std::string manifest;
};

TestImage write_image(const std::string& dir, const std::string& ref) {
  TestImage image;
  pod::core::StringReader in(image.layer_plain);
  pod::core::CompressingReader packed(in, Compression::gzip);
  image.layer_gz = read_all(packed);
  image.config = R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[")" +
                 pod::core::digest_of(image.layer_plain).str() + R"("]}})";
  oci::Manifest m;
  m.config = transport::descriptor(oci::media_type::kOciConfig, pod::core::digest_of(image.config),
                                   static_cast<std::int64_t>(image.config.size()));
  m.layers.push_back(transport::descriptor(oci::media_type::kOciLayerGzip, pod::core::digest_of(image.layer_gz),
                                           static_cast<std::int64_t>(image.layer_gz.size())));
  image.manifest = oci::serialize(m);
  auto dest = transport::open_oci_destination(transport::open_directory_sink(dir), nullptr, ref, "oci:" + dir);
  for (const auto& [bytes, d] : {std::pair{image.config, m.config}, std::pair{image.layer_gz, m.layers[0]}}) {
    pod::core::StringReader blob(bytes);
    dest->put_blob(d, blob);
  }
  dest->put_manifest(transport::manifest_blob(image.manifest), true);
  dest->commit();
  return image;
}

}  // namespace

TEST_CASE("transport names: every transport, refs, indexes and errors") {
  auto r = transport::parse_transport_reference("docker://localhost:5000/a/b:1");
  CHECK(r.kind == transport::TransportKind::docker);
  CHECK(r.path == "localhost:5000/a/b:1");
  r = transport::parse_transport_reference("oci:/tmp/layout:localhost:5000/x:1");
  CHECK(r.path == "/tmp/layout");
  CHECK(r.ref == "localhost:5000/x:1");
  r = transport::parse_transport_reference("oci-archive:a.tar");
  CHECK(r.kind == transport::TransportKind::oci_archive);
  CHECK(r.ref.empty());
  r = transport::parse_transport_reference("docker-archive:/x/a.tar@2");
  CHECK(r.index == 2);
  CHECK(r.path == "/x/a.tar");
  CHECK(transport::parse_transport_reference("containers-storage:busybox").kind == transport::TransportKind::local);
  CHECK(transport::parse_transport_reference("dir:/d").kind == transport::TransportKind::dir);
  CHECK_THROWS_WITH(transport::parse_transport_reference("ftp:x"), Contains("unknown transport `ftp`"));
  CHECK_THROWS_WITH(transport::parse_transport_reference("busybox"), Contains("no transport"));
  CHECK_THROWS_WITH(transport::parse_transport_reference("oci:"), Contains("nothing after the transport"));
  CHECK_THROWS_WITH(transport::parse_transport_reference("docker-archive:a.tar@x"), Contains("@N"));
}

TEST_CASE("compression round trips: gzip, zstd, none; empty input") {
  const std::string data(300000, 'a');
  for (auto c : {Compression::gzip, Compression::zstd}) {
    CHECK(roundtrip(data, c) == data);
    CHECK(roundtrip("", c).empty());
  }
  pod::core::StringReader in("plain");
  pod::core::CompressingReader none(in, Compression::none);
  CHECK(read_all(none) == "plain");
}

TEST_CASE("a tar sink is read back by a tar tree; a failed member leaves no archive") {
  Scratch s;
  {
    auto sink = transport::open_tar_sink(s.path("a.tar"));
    sink->write("dir/one", std::string_view("hello"));
    sink->write("two", std::string_view("world!"));
    CHECK(sink->has("two"));
    CHECK_FALSE(std::filesystem::exists(s.path("a.tar")));  // only at commit
    sink->commit();
  }
  auto tree = transport::open_tar_tree(s.path("a.tar"));
  CHECK(tree->read_small("dir/one", 100) == "hello");
  CHECK(tree->size("two") == 6);
  CHECK_FALSE(tree->exists("three"));
  CHECK_THROWS_AS(tree->open("three"), pod::Error);
  {
    auto sink = transport::open_tar_sink(s.path("b.tar"));
    pod::core::StringReader short_input("abc");
    CHECK_THROWS_WITH(sink->write("x", 10, short_input), Contains("expected 10 bytes"));
    CHECK_THROWS_WITH(sink->commit(), Contains("incomplete"));
  }
  CHECK_FALSE(std::filesystem::exists(s.path("b.tar")));
  CHECK(std::distance(std::filesystem::directory_iterator(s.dir), {}) == 1);  // no temporary left
}

TEST_CASE("copy between OCI layouts keeps digests; recompression rewrites the manifest and keeps diff IDs") {
  Scratch s;
  const TestImage image = write_image(s.path("src"), "v1");
  auto source = transport::open_oci_source(transport::open_directory_tree(s.path("src")), "v1", "src");
  auto dest = transport::open_oci_destination(transport::open_directory_sink(s.path("dst")), nullptr, "copy", "dst");
  transport::CopyOptions options;
  auto result = transport::copy_image(*source, *dest, options);
  dest->commit();
  CHECK(result.manifest.digest == pod::core::digest_of(image.manifest));
  CHECK(result.blobs_copied == 2);

  // Again: nothing copied.
  auto dest2 = transport::open_oci_destination(transport::open_directory_sink(s.path("dst")),
                                               transport::open_directory_tree(s.path("dst")), "copy", "dst");
  result = transport::copy_image(*source, *dest2, options);
  CHECK(result.blobs_copied == 0);
  CHECK(result.blobs_present == 2);

  options.compression = Compression::zstd;
  auto zdest = transport::open_oci_destination(transport::open_directory_sink(s.path("z")), nullptr, "", "z");
  result = transport::copy_image(*source, *zdest, options);
  zdest->commit();
  const auto m = oci::parse_manifest(result.manifest.bytes);
  CHECK(m.layers.at(0).media_type == oci::media_type::kOciLayerZstd);
  auto zsource = transport::open_oci_source(transport::open_directory_tree(s.path("z")), "", "z");
  auto blob = zsource->open_blob(m.layers[0]);
  pod::core::DecompressingReader plain(*blob);
  CHECK(read_all(plain) == image.layer_plain);

  options.preserve_digests = true;
  auto refused = transport::open_oci_destination(transport::open_directory_sink(s.path("p")), nullptr, "", "p");
  CHECK_THROWS_WITH(transport::copy_image(*source, *refused, options), Contains("--preserve-digests"));
}

TEST_CASE("a tampered blob fails the copy and leaves no index") {
  Scratch s;
  const TestImage image = write_image(s.path("src"), "");
  const auto layer = oci::parse_manifest(image.manifest).layers.at(0);
  const std::string blob_path = s.path("src") + "/" + transport::oci_blob_path(layer.digest);
  std::string bytes = pod::read_file(blob_path, 1u << 20);
  bytes[bytes.size() / 2] ^= 1;
  std::ofstream(blob_path, std::ios::binary | std::ios::trunc) << bytes;
  auto source = transport::open_oci_source(transport::open_directory_tree(s.path("src")), "", "src");
  auto dest = transport::open_oci_destination(transport::open_directory_sink(s.path("dst")), nullptr, "", "dst");
  CHECK_THROWS_WITH(transport::copy_image(*source, *dest, {}), Contains("digest mismatch"));
  CHECK_FALSE(std::filesystem::exists(s.path("dst") + "/index.json"));
  CHECK_FALSE(std::filesystem::exists(s.path("dst") + "/" + transport::oci_blob_path(layer.digest)));
}

TEST_CASE("an OCI layout with several images needs a ref; an unknown ref lists the refs") {
  Scratch s;
  write_image(s.path("l"), "a");
  {
    auto dest = transport::open_oci_destination(transport::open_directory_sink(s.path("l")),
                                                transport::open_directory_tree(s.path("l")), "b", "l");
    auto source = transport::open_oci_source(transport::open_directory_tree(s.path("l")), "a", "l");
    transport::copy_image(*source, *dest, {});
    dest->commit();
  }
  CHECK_THROWS_WITH(transport::open_oci_source(transport::open_directory_tree(s.path("l")), "", "l"),
                    Contains("holds 2 images (a, b)"));
  CHECK_THROWS_WITH(transport::open_oci_source(transport::open_directory_tree(s.path("l")), "c", "l"),
                    Contains("no image named `c`"));
}
