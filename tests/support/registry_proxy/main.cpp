// pod-test-registry-proxy: sits in front of a real registry on 127.0.0.1 and adds the faults
// the registry cannot produce on demand (STYLE.md §8): Docker Hub-style token auth, a blob
// download cut midway, injected 503s, slow blobs, tampered blob bytes. See options.hpp for
// the command line, access_log.hpp for the log tests assert on.
//
// Listens on 127.0.0.1 only and forwards to 127.0.0.1 only. Once listening it writes the port
// to --port-file (atomically: tests wait for the file); it serves until SIGTERM or SIGINT and
// then exits 0. Usage errors exit 2, other failures 1.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"
#include "tests/support/registry_proxy/context.hpp"
#include "tests/support/registry_proxy/net.hpp"
#include "tests/support/registry_proxy/options.hpp"
#include "tests/support/registry_proxy/server.hpp"

namespace pod::testsupport::proxy {
namespace {

std::string describe_modes(const Options& o) {
  std::string modes;
  if (o.token_auth) modes += " token-auth=" + o.token_auth->user;
  if (o.drop_blob_after) modes += " drop-blob-after=" + std::to_string(*o.drop_blob_after);
  if (o.fail_first) modes += " fail-first=" + std::to_string(o.fail_first);
  if (o.slow_blobs) modes += " slow-blobs=" + std::to_string(*o.slow_blobs);
  if (o.tamper_blobs) modes += " tamper-blobs";
  return modes.empty() ? " none" : modes;
}

int run(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  block_stop_signals();  // before any thread exists, so every thread inherits the mask
  UniqueFd listener = listen_loopback(options.listen_port);
  const std::uint16_t port = local_port(listener.get());
  Context ctx(options, port);
  ctx.log.note("listening on 127.0.0.1:" + std::to_string(port) +
               ", upstream 127.0.0.1:" + std::to_string(options.upstream_port) + ", modes:" + describe_modes(options));
  with_context("writing the port file " + quote(options.port_file),
               [&] { write_file_atomic(options.port_file, std::to_string(port) + "\n"); });
  if (!run_server(ctx, std::move(listener))) {
    // Threads still hold references into ctx: leave without destroying it under them.
    std::fprintf(stderr, "pod-test-registry-proxy: some connections did not end in time; exiting anyway\n");
    std::_Exit(0);
  }
  ctx.log.note("stopped");
  return 0;
}

}  // namespace
}  // namespace pod::testsupport::proxy

int main(int argc, char** argv) {
  try {
    return pod::testsupport::proxy::run(argc, argv);
  } catch (const pod::Error& e) {
    std::fprintf(stderr, "Error: pod-test-registry-proxy: %s\n", e.what());
    if (e.kind() == pod::ErrorKind::usage) {
      std::fputs(pod::testsupport::proxy::kUsage, stderr);
      return 2;
    }
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "Error: pod-test-registry-proxy: %s\n", e.what());
    return 1;
  }
}
