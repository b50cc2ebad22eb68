// `pod build`: a Containerfile → an image in the store (and optionally elsewhere). The
// public face of the builder; tools/pod-build fills BuildOptions from its flags.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "libcore/sys/error.hpp"
#include "storage/image_store.hpp"
#include "storage/store.hpp"

namespace pod::builder {

enum class Isolation { oci, chroot };

struct BuildOptions {
  std::string context_dir = ".";
  std::string containerfile;                        // empty: Containerfile, else Dockerfile, in the context
  std::vector<std::string> tags;                    // -t, normalized by the caller
  std::map<std::string, std::string> build_args;    // --build-arg
  std::map<std::string, std::string> labels;        // --label
  std::map<std::string, std::string> annotations;   // --annotation (manifest)
  std::string target;                               // --target: the last stage when empty
  bool squash = false;                              // the build's new layers as one
  std::optional<std::int64_t> timestamp;            // --timestamp / SOURCE_DATE_EPOCH
  std::string network = "host";                     // host or none, for RUN
  Isolation isolation = Isolation::oci;
  bool docker_format = false;                       // --format docker
  bool layers = true;                               // --layers: use and fill the cache
  bool no_cache = false;                            // --no-cache: fill, never use
  std::string pull = "missing";                     // missing, always, never (FROM images)
  bool compress = false;                            // gzip layer blobs (--disable-compression=false)
  bool quiet = false;                               // -q: no step lines, no RUN output
  std::string platform;                             // os/arch of FROM images; empty: the host's
};

struct BuildEnvironment {
  const storage::Store* store = nullptr;
  bool rootless = true;
  std::string runroot;           // for the runtime's state of RUN containers
  std::string storage_driver;    // forced, or empty
  // Pulls `name` (FROM, COPY --from) into the store; called only when it is needed.
  std::function<storage::ImageRecord(const std::string& name)> pull;
  // Where step lines and build output go (stderr for -q).
  std::FILE* out = stdout;
};

struct BuildResult {
  std::string image_id;           // hex of the config digest
  std::string manifest;           // as recorded
  std::string config;
  std::vector<std::string> layers;  // chain IDs
};

// Builds and records the image under options.tags. Throws Error naming FILE:LINE and the
// instruction for a bad Containerfile or a failing step (BuildStepFailed for RUN); nothing
// is tagged then.
BuildResult build(const BuildEnvironment& env, const BuildOptions& options);

// Calls `use` with the directory where the image's files (`layers`: chain IDs, bottom first)
// are mounted read-only, for as long as it runs (--output type=local and tar).
void with_image_files(const BuildEnvironment& env, const std::vector<std::string>& layers,
                      const std::function<void(const std::string& root)>& use);

// A RUN step whose command failed: its exit code is the build's.
struct StepFailed : Error {
  StepFailed(const std::string& message, int code) : Error(message), exit_code(code) {}
  int exit_code;
};

}  // namespace pod::builder
