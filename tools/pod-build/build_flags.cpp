#include "tools/pod-build/build_flags.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cstdlib>

#include "builder/build.hpp"
#include "libcore/oci/platform.hpp"
#include "libcore/sys/environment.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"
#include "libcore/sys/log.hpp"
#include "rootless/userns.hpp"
#include "storage/pull_by_name.hpp"
#include "storage/store_paths.hpp"
#include "tools/common/image_transports.hpp"
#include "tools/common/pull_progress.hpp"
#include "tools/common/user_store.hpp"
#include "tools/pod-build/build_output.hpp"

namespace pod::tools {
namespace {

std::map<std::string, std::string> key_value_map(const std::vector<std::string>& items, const char* flag) {
  std::map<std::string, std::string> out;
  for (const auto& item : items) {
    const auto eq = item.find('=');
    if (eq == 0) throw Error(std::string(flag) + " " + quote_untrusted(item) + ": the key is empty", ErrorKind::usage);
    out[item.substr(0, eq)] = eq == std::string::npos ? "" : item.substr(eq + 1);
  }
  return out;
}

// --build-arg NAME without a value takes NAME from the environment, as Docker does.
std::map<std::string, std::string> build_args_of(const BuildFlags& f) {
  std::vector<std::string> items;
  for (const auto& file : f.build_arg_files) {
    const std::string text = read_file(file, 1u << 20);
    std::size_t p = 0;
    while (p < text.size()) {
      const auto nl = text.find('\n', p);
      std::string line = text.substr(p, nl == std::string::npos ? std::string::npos : nl - p);
      p = nl == std::string::npos ? text.size() : nl + 1;
      if (!line.empty() && line.front() != '#') items.push_back(line);
    }
  }
  items.insert(items.end(), f.build_args.begin(), f.build_args.end());
  std::map<std::string, std::string> out;
  for (const auto& item : items) {
    const auto eq = item.find('=');
    if (eq != std::string::npos) {
      out[item.substr(0, eq)] = item.substr(eq + 1);
    } else if (const char* v = std::getenv(item.c_str())) {
      out[item] = v;
    }
  }
  return out;
}

// Podman's rule for -t: a name without a registry is local ("localhost/NAME:latest").
std::string tag_name(const std::string& text) {
  const auto slash = text.find('/');
  const std::string first = slash == std::string::npos ? "" : text.substr(0, slash);
  const bool has_registry = first == "localhost" || first.find_first_of(".:") != std::string::npos;
  return full_image_name(has_registry ? text : "localhost/" + text);
}

std::optional<std::int64_t> timestamp_of(const BuildFlags& f) {
  std::string text = f.timestamp;
  const char* flag = "--timestamp";
  if (text.empty()) {
    const char* env = std::getenv("SOURCE_DATE_EPOCH");
    if (!env || !*env) return std::nullopt;
    text = env;
    flag = "SOURCE_DATE_EPOCH";
  }
  char* end = nullptr;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (*end != '\0' || v < 0) throw Error(std::string(flag) + " " + quote_untrusted(text) + " is not seconds since the epoch", ErrorKind::usage);
  return v;
}

builder::BuildOptions options_of(const BuildFlags& f) {
  builder::BuildOptions o;
  o.context_dir = f.context;
  o.containerfile = f.file == "-" ? "/dev/stdin" : f.file;
  for (const auto& t : f.tags) o.tags.push_back(tag_name(t));
  o.build_args = build_args_of(f);
  o.labels = key_value_map(f.labels, "--label");
  o.annotations = key_value_map(f.annotations, "--annotation");
  o.target = f.target;
  o.squash = f.squash;
  o.timestamp = timestamp_of(f);
  o.network = f.network == "default" || f.network == "private" ? "host" : f.network;
  if (o.network != "host" && o.network != "none") {
    throw Error("--network " + quote_untrusted(f.network) + ": pod build runs RUN steps with host or none", ErrorKind::usage);
  }
  o.isolation = f.isolation == "chroot" ? builder::Isolation::chroot : builder::Isolation::oci;
  o.docker_format = f.format == "docker" || f.format == "v2s2";
  o.layers = f.layers;
  o.no_cache = f.no_cache;
  o.pull = f.pull == "true" || f.pull == "always" ? "always" : f.pull == "false" || f.pull == "never" ? "never" : "missing";
  o.compress = !f.disable_compression;
  o.quiet = f.quiet;
  o.platform = f.platform;
  if (!f.file.empty() && f.file != "-" && ::access(f.file.c_str(), R_OK) != 0) {
    throw Error("the Containerfile " + quote(f.file) + " cannot be read: " + std::strerror(errno), ErrorKind::not_found);
  }
  if (::access(f.context.c_str(), R_OK | X_OK) != 0) {
    throw Error("the build context " + quote(f.context) + " cannot be read: " + std::strerror(errno), ErrorKind::not_found);
  }
  return o;
}

// Real root builds in a mount namespace of its own: no mount of a build is left on the host.
void private_mounts_for_root() {
  if (rootless::is_rootless()) return;
  if (::unshare(CLONE_NEWNS) != 0) throw_errno("unshare", "a mount namespace for the build");
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) throw_errno("make private", "/");
}

}  // namespace

void add_build_flags(CLI::App& app, BuildFlags& f) {
  app.add_option("--root", f.root, "path to the store (default: per-user data dir, /var/lib/pod as root)");
  app.add_option("--runroot", f.runroot, "path to runtime state (default: $XDG_RUNTIME_DIR/pod, /run/pod as root)");
  app.add_option("--storage-driver", f.storage_driver, "overlay or fuse-overlayfs (default: the best that works here)");
  app.add_option("--log-level", f.log_level, "log messages at and above: debug, info, warn, error")
      ->check([](const std::string& v) { return log::parse_level(v) ? std::string() : "unknown log level `" + v + "`"; });
  app.add_option("context", f.context, "the build context directory (default: .)");
  app.add_option("-f,--file", f.file, "the Containerfile (default: Containerfile, else Dockerfile, in the context)");
  app.add_option("-t,--tag", f.tags, "name the image (repeatable)")->allow_extra_args(false);
  app.add_option("--build-arg", f.build_args, "NAME=VALUE for an ARG, or NAME to take it from the environment (repeatable)")->allow_extra_args(false);
  app.add_option("--build-arg-file", f.build_arg_files, "a file of NAME=VALUE lines for ARGs (repeatable)")->allow_extra_args(false);
  app.add_option("--label", f.labels, "add a label to the image: KEY=VALUE (repeatable)")->allow_extra_args(false);
  app.add_option("--annotation", f.annotations, "add an annotation to the image's manifest: KEY=VALUE (repeatable; OCI format)")->allow_extra_args(false);
  app.add_option("--target", f.target, "build up to this stage, and make it the image");
  app.add_flag("--squash", f.squash, "the build's new layers as one layer (no layer cache)");
  app.add_option("--timestamp", f.timestamp,
                 "seconds since the epoch for every time in the image (created, history, file times): "
                 "the same inputs give the same image, byte for byte (default: $SOURCE_DATE_EPOCH)");
  app.add_option("--network", f.network, "network of RUN steps: host (default: the host's network, no isolation) or none (loopback only)");
  app.add_option("-o,--output", f.output, "also export the image: type=local,dest=DIR | type=tar,dest=FILE | type=oci,dest=FILE");
  app.add_option("--iidfile", f.iidfile, "write the image ID to this file");
  app.add_flag("-q,--quiet", f.quiet, "print only the image ID (RUN output goes to stderr)");
  app.add_option("--format", f.format, "image format: oci or docker (HEALTHCHECK, SHELL and ONBUILD need docker)")
      ->check(CLI::IsMember({"oci", "docker", "v2s2"}));
  app.add_option("--layers", f.layers, "cache each step's layer and reuse it (default: true)");
  app.add_flag("--no-cache", f.no_cache, "do not use cached layers (the new ones are still cached)");
  app.add_option("--pull", f.pull, "pull FROM images: missing (default), always/true, never/false")
      ->check(CLI::IsMember({"missing", "always", "true", "never", "false", "newer"}));
  app.add_option("--isolation", f.isolation,
                 "how RUN steps are isolated: oci (default: a container of pod-runtime with its own mount, PID, IPC, "
                 "UTS and network namespaces, capabilities and seccomp) or chroot (a chroot and a mount namespace only, "
                 "sharing the host's processes, network and /dev, for runners that refuse new namespaces)")
      ->check(CLI::IsMember({"oci", "chroot", "rootless"}));
  app.add_option("-D,--disable-compression", f.disable_compression,
                 "store layers uncompressed (default: true, as Buildah; pushes compress them); false: gzip")
      ->default_str("true");
  app.add_option("--platform", f.platform, "os/arch of the image (this machine's only: RUN steps run natively)");
  add_registry_flags(app, f.registry);
  app.parse_complete_callback([&f] { log::set_level(*log::parse_level(f.log_level)); });
}

int run_build(const BuildFlags& f) {
  builder::BuildOptions options = options_of(f);
  const OutputSpec output = f.output.empty() ? OutputSpec{} : parse_output(f.output);
  rootless::ensure_userns();
  private_mounts_for_root();
  auto user_store = open_user_store(f.root);
  const bool rootless = user_store.rootless;
  builder::BuildEnvironment env;
  env.store = &user_store.store;
  env.rootless = rootless;
  env.runroot = !f.runroot.empty() ? f.runroot
                                   : storage::default_store_paths(rootless ? rootless::invoking_uid() : 0, process_env).runroot;
  env.storage_driver = f.storage_driver;
  env.out = f.quiet ? stderr : stdout;
  const auto access = registry_access(f.registry);
  env.pull = [&](const std::string& name) {
    PullProgress progress(env.out, false);
    storage::PullOptions pull;
    pull.platform = options.platform.empty() ? core::oci::host_platform() : core::oci::parse_platform(options.platform);
    pull.rootless = rootless;
    pull.observer = f.quiet ? nullptr : &progress;
    return storage::pull_by_name(*env.store, name, access, pull, false, [&](const core::Reference& ref) {
      if (!f.quiet) fmt::print(env.out, "Trying to pull {}...\n", ref.str());
    });
  };
  const auto result = builder::build(env, options);
  if (!output.type.empty()) export_output(env, result, output);
  if (!f.quiet) {
    for (const auto& tag : options.tags) fmt::print("Successfully tagged {}\n", tag);
  }
  if (!f.iidfile.empty()) write_file_atomic(f.iidfile, "sha256:" + result.image_id);
  fmt::print("{}\n", result.image_id);
  return 0;
}

OutputSpec parse_output(const std::string& text) {
  OutputSpec out;
  if (text.find('=') == std::string::npos) return {"local", text};
  std::size_t p = 0;
  while (p <= text.size()) {
    const auto comma = text.find(',', p);
    const std::string item = text.substr(p, comma == std::string::npos ? std::string::npos : comma - p);
    const auto eq = item.find('=');
    const std::string key = item.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : item.substr(eq + 1);
    if (key == "type") out.type = value;
    else if (key == "dest") out.dest = value;
    else throw Error("--output: unknown key " + quote_untrusted(key) + " (type, dest)", ErrorKind::usage);
    if (comma == std::string::npos) break;
    p = comma + 1;
  }
  if (out.type != "local" && out.type != "tar" && out.type != "oci") {
    throw Error("--output: type " + quote_untrusted(out.type) + " is not local, tar or oci", ErrorKind::usage);
  }
  if (out.dest.empty()) throw Error("--output: dest= is required", ErrorKind::usage);
  return out;
}

}  // namespace pod::tools
