#include "libcore/transport/transport_reference.hpp"

#include <array>
#include <charconv>
#include <utility>

#include "libcore/sys/error.hpp"

namespace pod::core::transport {
namespace {

constexpr std::array<std::pair<std::string_view, TransportKind>, 7> kPrefixes{{
    {"docker://", TransportKind::docker},
    {"oci:", TransportKind::oci},
    {"oci-archive:", TransportKind::oci_archive},
    {"docker-archive:", TransportKind::docker_archive},
    {"dir:", TransportKind::dir},
    {"local:", TransportKind::local},
    {"containers-storage:", TransportKind::local},
}};

// PATH[:REF]: the ref follows the first colon (so it may hold a registry's port); as in
// Skopeo, a path cannot contain one.
void split_ref(TransportReference& r, std::string_view rest) {
  const auto colon = rest.find(':');
  r.path = std::string(rest.substr(0, colon));
  if (colon != std::string_view::npos) r.ref = std::string(rest.substr(colon + 1));
}

void parse_archive_target(TransportReference& r, std::string_view rest) {
  const auto at = rest.rfind('@');
  if (at != std::string_view::npos && rest.find(':') == std::string_view::npos) {
    r.path = std::string(rest.substr(0, at));
    int n = -1;
    const auto digits = rest.substr(at + 1);
    if (std::from_chars(digits.data(), digits.data() + digits.size(), n).ptr != digits.data() + digits.size() || n < 0) {
      throw Error("invalid image index in " + quote(r.text) + ": expected @N, N from 0", ErrorKind::invalid_input);
    }
    r.index = n;
    return;
  }
  split_ref(r, rest);
}

}  // namespace

std::string_view transport_name(TransportKind kind) {
  switch (kind) {
    case TransportKind::docker: return "docker";
    case TransportKind::oci: return "oci";
    case TransportKind::oci_archive: return "oci-archive";
    case TransportKind::docker_archive: return "docker-archive";
    case TransportKind::dir: return "dir";
    case TransportKind::local: return "local";
  }
  return "?";
}

TransportReference parse_transport_reference(std::string_view text) {
  TransportReference r;
  r.text = std::string(text);
  for (const auto& [prefix, kind] : kPrefixes) {
    if (text.substr(0, prefix.size()) != prefix) continue;
    r.kind = kind;
    const auto rest = text.substr(prefix.size());
    if (rest.empty()) throw Error("invalid image name " + quote(r.text) + ": nothing after the transport", ErrorKind::invalid_input);
    switch (kind) {
      case TransportKind::docker:
      case TransportKind::local:
      case TransportKind::dir:
        r.path = std::string(rest);
        break;
      case TransportKind::oci:
      case TransportKind::oci_archive:
        split_ref(r, rest);
        break;
      case TransportKind::docker_archive:
        parse_archive_target(r, rest);
        break;
    }
    if (r.path.empty()) throw Error("invalid image name " + quote(r.text) + ": empty path", ErrorKind::invalid_input);
    return r;
  }
  const auto colon = text.find(':');
  throw Error("invalid image name " + quote(r.text) + ": " +
                  (colon == std::string_view::npos ? std::string("no transport")
                                                   : "unknown transport " + quote(std::string(text.substr(0, colon)))) +
                  " (use docker://, oci:, oci-archive:, docker-archive:, dir: or local:)",
              ErrorKind::invalid_input);
}

}  // namespace pod::core::transport
