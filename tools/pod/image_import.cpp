// pod import TARBALL|- [REFERENCE] (a filesystem tarball → a one-layer image) and
// pod export [-o FILE] CONTAINER (a container's filesystem → a tarball).
#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <unistd.h>

#include "libcore/oci/platform.hpp"
#include "libcore/sys/clock.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"
#include "libcore/sys/files.hpp"
#include "libcore/transport/copy.hpp"
#include "libcore/transport/tarball_source.hpp"
#include "rootless/container/engine.hpp"
#include "rootless/container/join.hpp"
#include "storage/container_status.hpp"
#include "storage/container_store.hpp"
#include "storage/store_transport.hpp"
#include "storage/tar_copy.hpp"
#include "tools/common/copy_progress.hpp"
#include "tools/common/image_transports.hpp"
#include "tools/common/main.hpp"
#include "tools/pod/container_engine.hpp"
#include "tools/pod/store_access.hpp"
#include "tools/pod/verbs.hpp"

namespace pod::tools {
namespace {

using nlohmann::json;

struct ImportFlags {
  std::string source;
  std::string reference;
  std::vector<std::string> changes;
  std::string message;
  std::string os;
  std::string arch;
  std::string variant;
  bool quiet = false;
};

// "CMD [\"a\"]" or "CMD a b" (shell form) → the config's value.
json command_of(const std::string& args) {
  if (!args.empty() && args.front() == '[') {
    auto parsed = json::parse(args, nullptr, false);
    if (parsed.is_array()) return parsed;
  }
  return json::array({"/bin/sh", "-c", args});
}

std::pair<std::string, std::string> key_value(const std::string& args, const std::string& change) {
  const auto at = args.find_first_of("= ");
  if (at == std::string::npos || at == 0) throw Error("--change " + quote(change) + ": expected KEY=VALUE", ErrorKind::usage);
  const auto value = args.find_first_not_of("= ", at);
  return {args.substr(0, at), value == std::string::npos ? "" : args.substr(value)};
}

// Applies one Dockerfile-style --change to the config's "config" object (the instructions
// podman import accepts).
void apply_change(json& config, const std::string& change) {
  const auto space = change.find(' ');
  std::string instruction = change.substr(0, space);
  for (auto& ch : instruction) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  const std::string args = space == std::string::npos ? "" : change.substr(change.find_first_not_of(' ', space));
  if (instruction == "CMD") config["Cmd"] = command_of(args);
  else if (instruction == "ENTRYPOINT") config["Entrypoint"] = command_of(args);
  else if (instruction == "WORKDIR") config["WorkingDir"] = args;
  else if (instruction == "USER") config["User"] = args;
  else if (instruction == "STOPSIGNAL") config["StopSignal"] = args;
  else if (instruction == "ENV") {
    const auto [k, v] = key_value(args, change);
    config["Env"].push_back(k + "=" + v);
  } else if (instruction == "LABEL") {
    const auto [k, v] = key_value(args, change);
    config["Labels"][k] = v;
  } else if (instruction == "EXPOSE") {
    config["ExposedPorts"][args.find('/') == std::string::npos ? args + "/tcp" : args] = json::object();
  } else if (instruction == "VOLUME") {
    config["Volumes"][args] = json::object();
  } else {
    throw Error("--change " + quote(change) + ": unsupported instruction (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR)",
                ErrorKind::usage);
  }
}

std::string import_config(const ImportFlags& f) {
  const auto host = core::oci::host_platform();
  json inner = {{"Env", json::array({"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"})}};
  for (const auto& change : f.changes) apply_change(inner, change);
  const std::string now = now_rfc3339();
  json history = {{"created", now}, {"created_by", "/bin/sh -c #(nop) ADD file in / "}};
  if (!f.message.empty()) history["comment"] = f.message;
  json config = {{"created", now},
                 {"architecture", f.arch.empty() ? host.architecture : f.arch},
                 {"os", f.os.empty() ? host.os : f.os},
                 {"config", inner},
                 {"history", json::array({history})}};
  if (!f.variant.empty()) config["variant"] = f.variant;
  return config.dump();
}

void run_import(const ImportFlags& f, const GlobalOptions& global, RunState& state) {
  if (f.source.find("://") != std::string::npos) {
    throw Error("import: " + quote(f.source) + ": only files and - (stdin) are supported, not URLs", ErrorKind::unsupported);
  }
  if (f.source == "-" && ::isatty(STDIN_FILENO)) throw Error("import: pipe a tarball to stdin, or name a file", ErrorKind::usage);
  const std::string config = import_config(f);  // bad --change fails before anything is read
  OpenedStore opened = open_store(global, state);
  std::optional<TempDir> spool;
  std::string path = f.source;
  if (path == "-") {
    path = spool_stdin(spool, "pod-import");
  }
  auto source = core::transport::open_tarball_source(path, config, "tarball " + quote(f.source));
  std::vector<std::string> names;
  if (!f.reference.empty()) names.push_back(full_image_name(f.reference));
  std::string id;
  auto destination = storage::open_store_destination(opened.store, names, opened.rootless,
                                                     [&](const std::string& image_id) { id = image_id; });
  core::transport::CopyOptions options;
  CopyProgress progress(stderr, f.quiet);
  options.observer = &progress;
  progress.start();
  core::transport::copy_image(*source, *destination, options);
  destination->commit();
  fmt::print("{}\n", id);
}

struct ExportFlags {
  std::string container;
  std::string output;
};

void run_export(const ExportFlags& f, const GlobalOptions& global, RunState& state) {
  if (f.output.empty() && ::isatty(STDOUT_FILENO)) {
    throw Error("refusing to write a tarball to a terminal: use -o FILE or redirect stdout", ErrorKind::usage);
  }
  storage::prepare_tar_copy();
  ::signal(SIGPIPE, SIG_IGN);
  UniqueFd file;
  int out = STDOUT_FILENO;
  std::string temp;
  if (!f.output.empty()) {
    temp = f.output + ".partial-" + std::to_string(::getpid());
    file = UniqueFd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!file) throw_errno("create", temp);
    out = file.get();
  }
  try {
    auto child = container_fs_forker(global, state, f.container)([out] { storage::write_tar_contents("/", out); });
    rootless::container::wait_for_child(child);
    if (!temp.empty() && ::rename(temp.c_str(), f.output.c_str()) != 0) throw_errno("rename", f.output);
  } catch (...) {
    if (!temp.empty()) ::unlink(temp.c_str());
    throw;
  }
}

}  // namespace

void add_import_export_verbs(CLI::App& app, const GlobalOptions& global, RunState& state) {
  auto import = std::make_shared<ImportFlags>();
  auto* verb = app.add_subcommand("import", "create an image from a filesystem tarball (plain, gzip or zstd)");
  verb->add_option("source", import->source, "tarball file, or - for stdin")->required();
  verb->add_option("reference", import->reference, "name for the image");
  verb->add_option("-c,--change", import->changes, "apply a Dockerfile instruction: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR");
  verb->add_option("-m,--message", import->message, "comment for the image's history");
  verb->add_option("--os", import->os, "operating system of the image (default: this host's)");
  verb->add_option("--arch", import->arch, "architecture of the image (default: this host's)");
  verb->add_option("--variant", import->variant, "architecture variant of the image");
  verb->add_flag("-q,--quiet", import->quiet, "print only the image id");
  verb->callback([import, &global, &state] { run_import(*import, global, state); });

  auto exp = std::make_shared<ExportFlags>();
  verb = app.add_subcommand("export", "write a container's filesystem as a tarball");
  verb->add_option("container", exp->container, "container name or id")->required();
  verb->add_option("-o,--output", exp->output, "file to write (default: stdout)");
  verb->callback([exp, &global, &state] { run_export(*exp, global, state); });
}

}  // namespace pod::tools
