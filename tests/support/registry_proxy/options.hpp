// The command line of pod-test-registry-proxy, parsed by hand (test code: no CLI11).
//
//   pod-test-registry-proxy --upstream 127.0.0.1:PORT [--listen-port N] --port-file FILE
//                           [--log FILE] [modes...]
// Modes (combinable): --token-auth USER:PASS, --drop-blob-after BYTES, --fail-first N,
// --slow-blobs BYTES_PER_SEC, --tamper-blobs.
//
// Only loopback: the upstream must be 127.0.0.1:PORT; anything else is a usage error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace pod::testsupport::proxy {

struct Credentials {
  std::string user;
  std::string password;
};

struct Options {
  std::uint16_t upstream_port = 0;
  std::uint16_t listen_port = 0;  // 0: the kernel picks a free one
  std::string port_file;
  std::string log_file;  // empty: no request log
  std::optional<Credentials> token_auth;
  std::optional<std::uint64_t> drop_blob_after;
  std::uint64_t fail_first = 0;
  std::optional<std::uint64_t> slow_blobs;  // bytes per second
  bool tamper_blobs = false;
};

// Throws pod::Error of kind usage naming the offending argument.
Options parse_options(int argc, char** argv);

extern const char* const kUsage;

}  // namespace pod::testsupport::proxy
