// One HTTP exchange over libcurl, for the registry client only (curl stays in registry/*.cpp).
//
// A CurlSession owns one easy handle; reusing it across requests reuses its keep-alive
// connections. Not thread-safe: one session per thread (the client keeps a pool).
// Bodies of 2xx responses go to the request's sink as they arrive (never buffered whole);
// bodies of other responses are kept, bounded, for the error message.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace pod::core::registry {

struct TlsConfig {
  bool verify = true;
  std::string ca_bundle_pem;  // extra CAs (cert dirs) appended to the system bundle; empty: system only
  std::string client_cert;    // paths, from a cert dir's *.cert / *.key
  std::string client_key;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string_view body;             // sent for POST/PUT/PATCH
  // A streamed body instead of `body` (blob uploads): fills the buffer, returns 0 at the end;
  // `body_size` its length when known (-1: chunked). A request with one is never retried here:
  // the stream cannot be replayed.
  std::function<std::size_t(char* buffer, std::size_t size)> body_source;
  std::int64_t body_size = -1;
  bool follow_redirects = false;
  // Receives the body of a 2xx response; absent: the body is collected into response.body,
  // up to body_limit bytes (more fails the request).
  std::function<void(const char* data, std::size_t size)> sink;
  // Called once with the status before the first byte of a 2xx body reaches the sink.
  std::function<void(long status)> on_body_start;
  std::size_t body_limit = 1u << 20;
  long timeout_ms = 0;  // the whole exchange; 0: none (stalls are caught by the low-speed limit)
};

struct CaseInsensitiveLess {
  bool operator()(const std::string& a, const std::string& b) const;
};

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string, CaseInsensitiveLess> headers;  // of the final response
  std::string body;  // collected body (no sink) or the error body (non-2xx), bounded
  std::string header(const std::string& name) const;
};

// A failure below HTTP: DNS, connect, TLS, reset, timeout. `retryable` for the transient ones.
struct TransportFailure {
  std::string message;
  bool retryable = false;
};

class CurlSession {
 public:
  CurlSession();
  ~CurlSession();
  CurlSession(const CurlSession&) = delete;
  CurlSession& operator=(const CurlSession&) = delete;

  // One attempt. Returns the response, or a TransportFailure; a sink that throws aborts the
  // transfer and the exception is rethrown here.
  std::variant<HttpResponse, TransportFailure> perform(const HttpRequest& request, const TlsConfig& tls,
                                                       const std::string& user_agent);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string url_encode(std::string_view text);

// Loads and initializes libcurl now (its ~30 libraries take milliseconds), so a tool that will
// talk to a registry can do it on another thread while it does other work. Errors are left
// for the first real request to report.
void preload_http() noexcept;

}  // namespace pod::core::registry
