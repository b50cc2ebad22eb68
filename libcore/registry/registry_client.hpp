// A client of one registry (distribution-spec v2): ping, token and basic auth, manifests and
// blobs. Thread-safe: any number of threads may call it at once; each request borrows a
// curl session from a pool, so keep-alive connections are reused across blobs.
//
// What it verifies: HTTP status and size bounds. What it does not: blob digests — callers
// verify the bytes they receive (VerifyingReader / Hasher), so a tampered blob is caught
// where it is consumed.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <vector>

#include "libcore/digest.hpp"
#include "libcore/stream.hpp"

namespace pod::core::registry {

struct Credentials {
  std::string username;
  std::string password;
  bool empty() const { return username.empty() && password.empty(); }
};

struct ClientOptions {
  // false: skip TLS verification and fall back to plain HTTP (podman's --tls-verify=false,
  // registries.conf insecure=true).
  bool tls_verify = true;
  // Extra CAs (*.crt) and a client certificate (*.cert + *.key). Empty: the default
  // directories for the host (/etc/containers/certs.d/HOST, ~/.config/containers/certs.d/HOST,
  // /etc/docker/certs.d/HOST) are used when they exist.
  std::string cert_dir;
  std::optional<Credentials> credentials;
  std::string user_agent;
  int max_attempts = 4;  // per request, for 429/5xx and connection failures
  std::chrono::milliseconds first_backoff{250};
};

struct ManifestResult {
  std::string bytes;
  std::string media_type;  // Content-Type as served
  Digest digest;           // of the bytes (checked against Docker-Content-Digest when sent)
};

class RegistryClient {
 public:
  // `host` as a reference names it ("docker.io", "localhost:5000"); docker.io is served by
  // registry-1.docker.io.
  RegistryClient(std::string host, ClientOptions options);
  ~RegistryClient();
  RegistryClient(const RegistryClient&) = delete;
  RegistryClient& operator=(const RegistryClient&) = delete;

  const std::string& host() const;

  // Finds the registry's scheme and auth challenges now (as any first request would), so
  // it can happen on another thread; errors are left for the next request to report.
  void warm_up() noexcept;

  // Checks that the registry answers /v2/ and that the credentials (if any) are accepted,
  // as `pod login` does. Throws Error(unauthorized) for rejected credentials.
  void check_login();

  // A manifest or index by tag or digest, bounded to 4 MiB. Throws Error(not_found) for an
  // unknown repository, tag or digest; Error(unsupported) for schema 1; when `reference` is a
  // digest, Error(digest_mismatch) if the bytes do not match it.
  ManifestResult get_manifest(std::string_view repository, std::string_view reference);

  // Streams blob bytes from `offset` to `sink`. A transfer cut off half-way is resumed with an
  // HTTP Range request from where it stopped (bounded attempts); a server that ignores Range
  // is handled by skipping what was already delivered. Redirects are followed.
  void get_blob(std::string_view repository, const Digest& digest, std::uint64_t offset,
                const std::function<void(const char* data, std::size_t size)>& sink);

  // --- writing: push, delete ---

  // The size of the blob when the repository has it (HEAD), else nullopt.
  std::optional<std::int64_t> blob_size(std::string_view repository, const Digest& digest);

  // Asks the registry to mount a blob of `from_repository` into `repository` (no bytes sent);
  // true when it did. Registries that cannot answer 202 and are told false.
  bool mount_blob(std::string_view repository, const Digest& digest, std::string_view from_repository);

  // Uploads `size` bytes from `source` as one streamed PUT (the registry checks the digest).
  // Not retried: the caller reopens the source and calls again.
  void put_blob(std::string_view repository, const Digest& digest, std::int64_t size, Reader& source);

  // Stores a manifest under a tag or its digest; returns its digest.
  Digest put_manifest(std::string_view repository, std::string_view reference, std::string_view bytes,
                      std::string_view media_type);

  // Every tag of the repository, following the registry's pagination.
  std::vector<std::string> list_tags(std::string_view repository);

  // Deletes a manifest by digest (the registry must allow deletes).
  void delete_manifest(std::string_view repository, const Digest& digest);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "docker.io" → "registry-1.docker.io"; others unchanged.
std::string api_host_for(std::string_view host);

}  // namespace pod::core::registry
