#include "libcore/registry/registry_client.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "libcore/base64.hpp"
#include "libcore/oci/manifest.hpp"
#include "libcore/registry/http.hpp"
#include "libcore/registry/www_authenticate.hpp"
#include "libcore/stream.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"
#include "libcore/sys/log.hpp"
#include "libcore/version.hpp"

namespace pod::core::registry {
namespace {

constexpr const char* kSystemCaBundle = "/etc/ssl/certs/ca-certificates.crt";

bool is_success(long status) { return status >= 200 && status < 300; }
bool is_retryable_status(long status) { return status == 429 || status == 502 || status == 503 || status == 504 || status == 500; }

// The registry's own words from a distribution-spec error body, cut short.
std::string registry_says(const std::string& body) {
  const auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_object() && doc.contains("errors") && doc["errors"].is_array() && !doc["errors"].empty()) {
    const auto& e = doc["errors"][0];
    std::string code = e.value("code", "");
    std::string message = e.value("message", "");
    return quote_untrusted(code + (message.empty() ? "" : ": " + message), 120);
  }
  return body.empty() ? std::string() : quote_untrusted(body, 120);
}

[[noreturn]] void throw_for_status(const HttpResponse& r, const std::string& what) {
  const std::string says = registry_says(r.body);
  const std::string detail = "HTTP " + std::to_string(r.status) + (says.empty() ? "" : " " + says);
  if (r.status == 404) throw Error(what + ": not found (" + detail + ")", ErrorKind::not_found);
  if (r.status == 401 || r.status == 403) throw Error(what + ": access denied (" + detail + ")", ErrorKind::unauthorized);
  throw Error(what + ": " + detail);
}

std::vector<std::string> cert_dirs_for(const std::string& host) {
  std::vector<std::string> dirs;
  if (const char* home = std::getenv("HOME")) dirs.push_back(std::string(home) + "/.config/containers/certs.d/" + host);
  dirs.push_back("/etc/containers/certs.d/" + host);
  dirs.push_back("/etc/docker/certs.d/" + host);
  return dirs;
}

// CAs from *.crt in the cert dir appended to the system bundle, client cert from *.cert/*.key.
TlsConfig tls_config(const ClientOptions& o, const std::string& host) {
  TlsConfig tls;
  tls.verify = o.tls_verify;
  const auto dirs = o.cert_dir.empty() ? cert_dirs_for(host) : std::vector<std::string>{o.cert_dir};
  std::error_code ec;
  for (const auto& dir : dirs) {
    if (!std::filesystem::is_directory(dir, ec)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      const auto path = entry.path().string();
      const auto ext = entry.path().extension();
      if (ext == ".crt") tls.ca_bundle_pem += read_file(path, 1u << 20) + "\n";
      if (ext == ".cert") tls.client_cert = path;
      if (ext == ".key") tls.client_key = path;
    }
    log::debug("registry " + host + ": using certificates from " + dir);
    break;  // the first existing dir wins, as containers/image does
  }
  if (!tls.ca_bundle_pem.empty()) tls.ca_bundle_pem = read_file(kSystemCaBundle, 4u << 20) + "\n" + tls.ca_bundle_pem;
  return tls;
}

}  // namespace

std::string api_host_for(std::string_view host) {
  return host == "docker.io" ? std::string("registry-1.docker.io") : std::string(host);
}

// Adjusts a request before each attempt; true when the previous attempt made progress.
using BeforeAttempt = std::function<bool(HttpRequest&)>;
constexpr int kMaxResumes = 20;

struct RegistryClient::Impl {
  std::string host;
  std::string api_host;
  ClientOptions options;
  TlsConfig tls;
  std::string user_agent;

  std::mutex ping_mutex;  // held while finding the scheme
  std::mutex mutex;  // guards everything below
  std::optional<std::string> base_url;  // "https://host" after a successful ping
  std::vector<Challenge> challenges;
  std::map<std::string, std::string> tokens;  // scope → bearer token
  std::vector<std::unique_ptr<CurlSession>> idle_sessions;

  class Lease {
   public:
    explicit Lease(Impl& impl) : impl_(impl) {
      std::lock_guard lock(impl_.mutex);
      if (!impl_.idle_sessions.empty()) {
        session_ = std::move(impl_.idle_sessions.back());
        impl_.idle_sessions.pop_back();
      }
      if (!session_) session_ = std::make_unique<CurlSession>();
    }
    ~Lease() {
      std::lock_guard lock(impl_.mutex);
      impl_.idle_sessions.push_back(std::move(session_));
    }
    CurlSession& operator*() { return *session_; }

   private:
    Impl& impl_;
    std::unique_ptr<CurlSession> session_;
  };

  std::variant<HttpResponse, TransportFailure> perform_once(const HttpRequest& request) {
    Lease session(*this);
    return (*session).perform(request, tls, user_agent);
  }

  void backoff(int attempt, const HttpResponse* response) {
    auto delay = options.first_backoff * (1 << std::min(attempt, 5));
    if (response) {
      const std::string retry_after = response->header("Retry-After");
      if (!retry_after.empty() && std::all_of(retry_after.begin(), retry_after.end(), ::isdigit)) {
        delay = std::chrono::seconds(std::min(std::stoi(retry_after), 10));
      }
    }
    std::this_thread::sleep_for(delay);
  }

  // One request with bounded retries on transient failures. Returns the final response;
  // transport failures that persist throw. `before_attempt` may adjust the request before
  // each attempt (a Range to resume from) and returns true when the previous attempt made
  // progress, which does not count against the attempts.
  HttpResponse perform_with_retries(HttpRequest request, const std::string& what,
                                    const BeforeAttempt& before_attempt = {}) {
    int total = 0;
    for (int attempt = 1;; ++attempt, ++total) {
      if (before_attempt && before_attempt(request) && total < kMaxResumes) attempt = 1;
      auto result = perform_once(request);
      if (auto* failure = std::get_if<TransportFailure>(&result)) {
        if (!failure->retryable || attempt >= options.max_attempts || request.body_source) {
          throw Error(what + ": " + failure->message + (attempt > 1 ? " (after " + std::to_string(attempt) + " attempts)" : ""));
        }
        log::debug(what + ": " + failure->message + ", retrying");
        backoff(attempt, nullptr);
        continue;
      }
      auto& response = std::get<HttpResponse>(result);
      if (is_retryable_status(response.status) && attempt < options.max_attempts && !request.body_source) {
        log::debug(what + ": HTTP " + std::to_string(response.status) + ", retrying");
        backoff(attempt, &response);
        continue;
      }
      return std::move(response);
    }
  }

  std::string ping_url(const std::string& scheme) const { return scheme + "://" + api_host + "/v2/"; }

  // Finds the scheme (https; http too when TLS verification is off) and the auth challenges.
  std::string base() {
    {
      std::lock_guard lock(mutex);
      if (base_url) return *base_url;
    }
    // One ping for all the threads that start at once.
    std::lock_guard pinging(ping_mutex);
    {
      std::lock_guard lock(mutex);
      if (base_url) return *base_url;
    }
    std::vector<std::string> schemes{"https"};
    if (!options.tls_verify) schemes.push_back("http");
    std::string last_failure;
    for (const auto& scheme : schemes) {
      HttpRequest request;
      request.url = ping_url(scheme);
      // When plain HTTP may follow, a server that never answers the TLS handshake must not
      // hold the pull for the whole connect timeout.
      if (scheme == "https" && schemes.size() > 1) request.timeout_ms = 5000;
      auto result = perform_once(request);
      if (auto* failure = std::get_if<TransportFailure>(&result)) {
        last_failure = failure->message;
        continue;
      }
      const auto& response = std::get<HttpResponse>(result);
      if (!is_success(response.status) && response.status != 401) {
        last_failure = "HTTP " + std::to_string(response.status) + " from " + request.url;
        continue;
      }
      std::lock_guard lock(mutex);
      base_url = scheme + "://" + api_host;
      challenges = parse_www_authenticate(response.header("WWW-Authenticate"));
      log::debug("registry " + host + ": " + *base_url + (challenges.empty() ? " (no auth)" : " (auth: " + challenges[0].scheme + ")"));
      return *base_url;
    }
    throw Error("pinging registry " + quote(host) + ": " + last_failure +
                (options.tls_verify ? " (for a plain-HTTP registry use --tls-verify=false or insecure in registries.conf)" : ""));
  }

  std::string basic_header() const {
    const auto& c = *options.credentials;
    return "Authorization: Basic " + core::base64_encode(c.username + ":" + c.password);
  }

  std::string fetch_token(const Challenge& bearer, const std::string& scope) {
    const auto realm = bearer.params.find("realm");
    if (realm == bearer.params.end()) throw Error("registry " + quote(host) + " asked for a token but named no realm");
    std::string url = realm->second + (realm->second.find('?') == std::string::npos ? "?" : "&");
    if (const auto service = bearer.params.find("service"); service != bearer.params.end()) {
      url += "service=" + url_encode(service->second) + "&";
    }
    // Several scopes (a push that mounts from another repository) are several parameters.
    for (std::size_t start = 0; start < scope.size();) {
      const std::size_t end = std::min(scope.find(' ', start), scope.size());
      url += (start ? "&scope=" : "scope=") + url_encode(scope.substr(start, end - start));
      start = end + 1;
    }
    HttpRequest request;
    request.url = url;
    request.follow_redirects = true;
    request.body_limit = kSmallBodyLimit;
    if (options.credentials && !options.credentials->empty()) request.headers.push_back(basic_header());
    const HttpResponse response = perform_with_retries(request, "getting a token from " + realm->second);
    if (response.status == 401 || response.status == 403) {
      if (!options.credentials || options.credentials->empty()) {
        throw Error("authentication required by " + quote(host) + " (pod login " + host + ", or --creds)",
                    ErrorKind::unauthorized);
      }
      throw Error("authenticating to " + quote(host) + ": invalid username or password", ErrorKind::unauthorized);
    }
    if (!is_success(response.status)) throw_for_status(response, "getting a token from " + realm->second);
    const auto doc = nlohmann::json::parse(response.body, nullptr, false);
    for (const char* key : {"token", "access_token"}) {
      if (doc.is_object() && doc.contains(key) && doc[key].is_string()) return doc[key].get<std::string>();
    }
    throw Error("token server " + quote(realm->second) + " answered without a token", ErrorKind::invalid_input);
  }

  // The Authorization header for `scope`, fetching a token when the registry wants one.
  std::optional<std::string> auth_header(const std::string& scope, bool refresh) {
    std::unique_lock lock(mutex);
    const auto bearer = find_challenge(challenges, "bearer");
    if (bearer) {
      if (!refresh) {
        if (const auto it = tokens.find(scope); it != tokens.end()) return "Authorization: Bearer " + it->second;
      }
      lock.unlock();
      const std::string token = fetch_token(*bearer, scope);
      lock.lock();
      tokens[scope] = token;
      return "Authorization: Bearer " + token;
    }
    if (find_challenge(challenges, "basic") && options.credentials && !options.credentials->empty()) return basic_header();
    return std::nullopt;
  }

  // Sends `request` (a path under /v2/) with auth for `scope`; a 401 refreshes the token once.
  HttpResponse send(HttpRequest request, const std::string& scope, const std::string& what,
                    const BeforeAttempt& before_attempt = {}) {
    const std::string root = base();
    // Upload locations may come back absolute.
    if (request.url.rfind("http://", 0) != 0 && request.url.rfind("https://", 0) != 0) request.url = root + request.url;
    const auto plain_headers = request.headers;
    for (int round = 0;; ++round) {
      request.headers = plain_headers;
      if (auto h = auth_header(scope, round > 0)) request.headers.push_back(*h);
      HttpResponse response = perform_with_retries(request, what, before_attempt);
      if (response.status != 401 || round > 0) return response;
      std::lock_guard lock(mutex);  // the registry may have changed its mind about auth
      const auto fresh = parse_www_authenticate(response.header("WWW-Authenticate"));
      if (fresh.empty()) return response;
      challenges = fresh;
    }
  }
};

RegistryClient::RegistryClient(std::string host, ClientOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->api_host = api_host_for(impl_->host);
  impl_->options = std::move(options);
  impl_->tls = tls_config(impl_->options, impl_->host);
  impl_->user_agent = impl_->options.user_agent.empty() ? std::string("pod/") + kVersion : impl_->options.user_agent;
}

RegistryClient::~RegistryClient() = default;

const std::string& RegistryClient::host() const { return impl_->host; }

void RegistryClient::warm_up() noexcept {
  try {
    impl_->base();
  } catch (...) {
  }
}

void RegistryClient::check_login() {
  impl_->base();
  HttpRequest request;
  request.url = "/v2/";
  const HttpResponse r = impl_->send(request, "", "logging in to " + quote(impl_->host));
  if (r.status == 401 || r.status == 403) {
    throw Error("logging in to " + quote(impl_->host) + ": invalid username or password", ErrorKind::unauthorized);
  }
  if (!is_success(r.status)) throw_for_status(r, "logging in to " + quote(impl_->host));
}

ManifestResult RegistryClient::get_manifest(std::string_view repository, std::string_view reference) {
  const std::string what = "reading manifest " + quote(impl_->host + "/" + std::string(repository) + ":" + std::string(reference));
  HttpRequest request;
  request.url = "/v2/" + std::string(repository) + "/manifests/" + std::string(reference);
  request.headers.push_back("Accept: " + std::string(oci::manifest_accept_header()));
  request.body_limit = kManifestLimit;
  std::string bytes;
  request.sink = [&bytes](const char* data, std::size_t n) {
    if (bytes.size() + n > kManifestLimit) throw Error("manifest exceeds 4 MiB", ErrorKind::invalid_input);
    bytes.append(data, n);
  };
  const HttpResponse r = impl_->send(request, "repository:" + std::string(repository) + ":pull", what);
  if (!is_success(r.status)) throw_for_status(r, what);
  ManifestResult result{std::move(bytes), r.header("Content-Type"), {}};
  result.digest = digest_of(result.bytes);
  if (const auto expected = Digest::try_parse(reference); expected && *expected != result.digest) {
    throw Error(what + ": digest mismatch: expected " + expected->str() + ", got " + result.digest.str(),
                ErrorKind::digest_mismatch);
  }
  return result;
}

void RegistryClient::get_blob(std::string_view repository, const Digest& digest, std::uint64_t offset,
                              const std::function<void(const char*, std::size_t)>& sink) {
  const std::string what = "fetching blob " + digest.str();
  std::uint64_t delivered = offset;    // bytes the sink has, counted from the blob's start
  std::uint64_t asked_from = offset;   // the Range start of the current attempt
  std::uint64_t position = 0;          // blob offset of the next byte of the current response
  std::uint64_t at_last_attempt = offset;
  HttpRequest request;
  request.url = "/v2/" + std::string(repository) + "/blobs/" + digest.str();
  request.follow_redirects = true;
  // 206: the server honoured the Range; 200: it sends from the start, and what the sink
  // already has is skipped.
  request.on_body_start = [&](long status) { position = status == 206 ? asked_from : 0; };
  request.sink = [&](const char* data, std::size_t n) {
    const std::uint64_t end = position + n;
    if (end > delivered) {
      const auto skip = static_cast<std::size_t>(delivered > position ? delivered - position : 0);
      sink(data + skip, n - skip);
      delivered = end;
    }
    position = end;
  };
  const auto before_attempt = [&](HttpRequest& r) {
    std::erase_if(r.headers, [](const std::string& h) { return h.rfind("Range:", 0) == 0; });
    if (delivered > 0) r.headers.push_back("Range: bytes=" + std::to_string(delivered) + "-");
    asked_from = delivered;
    const bool progressed = delivered > at_last_attempt;
    if (progressed) log::debug(what + ": resuming at byte " + std::to_string(delivered));
    at_last_attempt = delivered;
    return progressed;
  };
  const HttpResponse r = impl_->send(request, "repository:" + std::string(repository) + ":pull", what, before_attempt);
  if (!is_success(r.status)) throw_for_status(r, what);
}

namespace {

std::string scope_push(std::string_view repository) { return "repository:" + std::string(repository) + ":pull,push"; }

// Appends a query parameter to an upload location that may already carry some.
std::string with_query(const std::string& url, const std::string& parameter) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + parameter;
}

// "<...>; rel=\"next\"" → the link target.
std::optional<std::string> next_link(const std::string& link) {
  if (link.find("rel=\"next\"") == std::string::npos) return std::nullopt;
  const auto open = link.find('<');
  const auto close = link.find('>', open);
  if (open == std::string::npos || close == std::string::npos) return std::nullopt;
  return link.substr(open + 1, close - open - 1);
}

}  // namespace

std::optional<std::int64_t> RegistryClient::blob_size(std::string_view repository, const Digest& digest) {
  const std::string what = "checking blob " + digest.str() + " in " + quote(impl_->host + "/" + std::string(repository));
  HttpRequest request;
  request.method = "HEAD";
  request.url = "/v2/" + std::string(repository) + "/blobs/" + digest.str();
  request.follow_redirects = true;
  const HttpResponse r = impl_->send(request, scope_push(repository), what);
  if (r.status == 404) return std::nullopt;
  if (!is_success(r.status)) throw_for_status(r, what);
  const std::string length = r.header("Content-Length");
  return length.empty() ? -1 : std::stoll(length);
}

bool RegistryClient::mount_blob(std::string_view repository, const Digest& digest, std::string_view from_repository) {
  const std::string what = "mounting blob " + digest.str() + " from " + quote(std::string(from_repository));
  HttpRequest request;
  request.method = "POST";
  request.url = "/v2/" + std::string(repository) + "/blobs/uploads/?mount=" + url_encode(digest.str()) +
                "&from=" + url_encode(from_repository);
  const std::string scope = scope_push(repository) + " repository:" + std::string(from_repository) + ":pull";
  const HttpResponse r = impl_->send(request, scope, what);
  if (r.status == 201) return true;
  if (r.status == 202) return false;  // an upload session instead; left for the registry to expire
  if (r.status == 404 || r.status == 401 || r.status == 403) return false;
  throw_for_status(r, what);
}

void RegistryClient::put_blob(std::string_view repository, const Digest& digest, std::int64_t size, Reader& source) {
  const std::string what = "uploading blob " + digest.str() + " to " + quote(impl_->host + "/" + std::string(repository));
  HttpRequest start;
  start.method = "POST";
  start.url = "/v2/" + std::string(repository) + "/blobs/uploads/";
  const HttpResponse session = impl_->send(start, scope_push(repository), what);
  if (session.status != 202) throw_for_status(session, what);
  const std::string location = session.header("Location");
  if (location.empty()) throw Error(what + ": the registry gave no upload location", ErrorKind::invalid_input);
  HttpRequest upload;
  upload.method = "PUT";
  upload.url = with_query(location, "digest=" + url_encode(digest.str()));
  upload.headers.push_back("Content-Type: application/octet-stream");
  upload.body_size = size;
  upload.body_source = [&source](char* buffer, std::size_t n) { return source.read(buffer, n); };
  const HttpResponse r = impl_->send(upload, scope_push(repository), what);
  if (r.status != 201 && !is_success(r.status)) throw_for_status(r, what);
}

Digest RegistryClient::put_manifest(std::string_view repository, std::string_view reference, std::string_view bytes,
                                    std::string_view media_type) {
  const std::string what =
      "writing manifest " + quote(impl_->host + "/" + std::string(repository) + ":" + std::string(reference));
  HttpRequest request;
  request.method = "PUT";
  request.url = "/v2/" + std::string(repository) + "/manifests/" + std::string(reference);
  request.headers.push_back("Content-Type: " + std::string(media_type));
  request.body = bytes;
  const HttpResponse r = impl_->send(request, scope_push(repository), what);
  if (!is_success(r.status)) throw_for_status(r, what);
  return digest_of(bytes);
}

std::vector<std::string> RegistryClient::list_tags(std::string_view repository) {
  const std::string what = "listing tags of " + quote(impl_->host + "/" + std::string(repository));
  std::vector<std::string> tags;
  std::optional<std::string> url = "/v2/" + std::string(repository) + "/tags/list";
  while (url) {
    HttpRequest request;
    request.url = *url;
    request.body_limit = kManifestLimit;
    const HttpResponse r = impl_->send(request, "repository:" + std::string(repository) + ":pull", what);
    if (!is_success(r.status)) throw_for_status(r, what);
    const auto doc = nlohmann::json::parse(r.body, nullptr, false);
    if (!doc.is_object()) throw Error(what + ": the registry answered with something other than a tag list", ErrorKind::invalid_input);
    if (doc.contains("tags") && doc["tags"].is_array()) {
      for (const auto& tag : doc["tags"]) {
        if (tag.is_string()) tags.push_back(tag.get<std::string>());
      }
    }
    url = next_link(r.header("Link"));
  }
  return tags;
}

void RegistryClient::delete_manifest(std::string_view repository, const Digest& digest) {
  const std::string what = "deleting " + quote(impl_->host + "/" + std::string(repository) + "@" + digest.str());
  HttpRequest request;
  request.method = "DELETE";
  request.url = "/v2/" + std::string(repository) + "/manifests/" + digest.str();
  const HttpResponse r = impl_->send(request, "repository:" + std::string(repository) + ":delete", what);
  if (r.status == 405) throw Error(what + ": the registry does not allow deletes (HTTP 405)", ErrorKind::unsupported);
  if (!is_success(r.status)) throw_for_status(r, what);
}

}  // namespace pod::core::registry
