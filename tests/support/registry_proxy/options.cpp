#include "tests/support/registry_proxy/options.hpp"

#include <charconv>
#include <limits>
#include <string_view>

#include "libcore/sys/error.hpp"

namespace pod::testsupport::proxy {

const char* const kUsage =
    "usage: pod-test-registry-proxy --upstream 127.0.0.1:PORT [--listen-port N] --port-file FILE\n"
    "                               [--log FILE] [--token-auth USER:PASS] [--drop-blob-after BYTES]\n"
    "                               [--fail-first N] [--slow-blobs BYTES_PER_SEC] [--tamper-blobs]\n";

namespace {

[[noreturn]] void usage_error(std::string message) { throw Error(std::move(message), ErrorKind::usage); }

std::uint64_t parse_number(std::string_view flag, std::string_view text, std::uint64_t max) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value > max)
    usage_error(std::string(flag) + ": expected a number up to " + std::to_string(max) + ", got " + quote(text));
  return value;
}

std::uint16_t parse_port(std::string_view flag, std::string_view text) {
  return static_cast<std::uint16_t>(parse_number(flag, text, std::numeric_limits<std::uint16_t>::max()));
}

// Only 127.0.0.1: the proxy must never reach beyond this machine, whatever a test passes.
std::uint16_t parse_upstream(std::string_view text) {
  constexpr std::string_view kPrefix = "127.0.0.1:";
  if (!text.starts_with(kPrefix)) usage_error("--upstream: only 127.0.0.1:PORT is allowed, got " + quote(text));
  const std::uint16_t port = parse_port("--upstream", text.substr(kPrefix.size()));
  if (port == 0) usage_error("--upstream: port 0 is not a port");
  return port;
}

Credentials parse_credentials(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0)
    usage_error("--token-auth: expected USER:PASS, got " + quote(text));
  return {std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
}

bool takes_value(std::string_view flag) {
  for (const std::string_view known : {"--upstream", "--listen-port", "--port-file", "--log", "--token-auth",
                                       "--drop-blob-after", "--fail-first", "--slow-blobs"})
    if (flag == known) return true;
  return false;
}

}  // namespace

Options parse_options(int argc, char** argv) {
  Options options;
  bool have_upstream = false;
  constexpr auto kMax = std::numeric_limits<std::uint64_t>::max();
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--tamper-blobs") {
      options.tamper_blobs = true;
      continue;
    }
    if (!takes_value(flag)) usage_error("unknown option " + quote(flag));
    if (i + 1 >= argc) usage_error("missing value for " + quote(flag));
    const std::string_view value = argv[++i];
    if (flag == "--upstream") {
      options.upstream_port = parse_upstream(value);
      have_upstream = true;
    } else if (flag == "--listen-port") {
      options.listen_port = parse_port(flag, value);
    } else if (flag == "--port-file") {
      options.port_file = value;
    } else if (flag == "--log") {
      options.log_file = value;
    } else if (flag == "--token-auth") {
      options.token_auth = parse_credentials(value);
    } else if (flag == "--drop-blob-after") {
      options.drop_blob_after = parse_number(flag, value, kMax);
    } else if (flag == "--fail-first") {
      options.fail_first = parse_number(flag, value, kMax);
    } else if (flag == "--slow-blobs") {
      options.slow_blobs = parse_number(flag, value, kMax);
      if (*options.slow_blobs == 0) usage_error("--slow-blobs: 0 bytes per second would never finish");
    }
  }
  if (!have_upstream) usage_error("--upstream is required");
  if (options.port_file.empty()) usage_error("--port-file is required");
  return options;
}

}  // namespace pod::testsupport::proxy
