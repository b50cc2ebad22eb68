#include "libcore/registry/http.hpp"

#include <strings.h>

#include <cctype>
#include <exception>

#include "libcore/registry/curl_api.hpp"
#include "libcore/sys/error.hpp"

namespace pod::core::registry {
namespace {

// curl_global_init is not thread-safe; do it once before any session exists.
void init_curl_once() {
  static const bool done = [] { return curl_api().global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
  if (!done) throw Error("initializing libcurl failed");
}

bool is_retryable(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

struct Transfer {
  CURL* curl = nullptr;
  const HttpRequest* request = nullptr;
  HttpResponse response;
  std::exception_ptr error;
  bool body_too_large = false;
  bool body_started = false;
};

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
  return std::string(s);
}

// implements CURLOPT_HEADERFUNCTION: keeps the headers of the last response only.
size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::string_view line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    t->response.headers.clear();
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    t->response.headers[trim(line.substr(0, colon))] = trim(line.substr(colon + 1));
  }
  return size * count;
}

// implements CURLOPT_READFUNCTION: the streamed request body.
size_t on_upload(char* buffer, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  try {
    return t->request->body_source(buffer, size * count);
  } catch (...) {
    t->error = std::current_exception();
    return CURL_READFUNC_ABORT;
  }
}

// implements CURLOPT_WRITEFUNCTION: 2xx bodies to the sink, everything else bounded.
size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  long status = 0;
  curl_api().easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
  try {
    if (status >= 200 && status < 300 && t->request->sink) {
      if (!t->body_started && t->request->on_body_start) t->request->on_body_start(status);
      t->body_started = true;
      t->request->sink(data, n);
      return n;
    }
    if (t->response.body.size() + n > t->request->body_limit) {
      t->body_too_large = true;
      return CURL_WRITEFUNC_ERROR;
    }
    t->response.body.append(data, n);
    return n;
  } catch (...) {
    t->error = std::current_exception();  // never unwind through curl (STYLE §3)
    return CURL_WRITEFUNC_ERROR;
  }
}

struct SListFree {
  void operator()(curl_slist* list) const { curl_api().slist_free_all(list); }
};
using SList = std::unique_ptr<curl_slist, SListFree>;

SList header_list(const HttpRequest& request) {
  SList list;
  for (const auto& h : request.headers) {
    curl_slist* next = curl_api().slist_append(list.get(), h.c_str());
    if (!next) throw std::bad_alloc();
    list.release();
    list.reset(next);
  }
  // A PUT/POST body goes as-is; curl must not add "Expect: 100-continue" round trips.
  curl_slist* next = curl_api().slist_append(list.get(), "Expect:");
  if (!next) throw std::bad_alloc();
  list.release();
  list.reset(next);
  return list;
}

void set_tls(CURL* c, const TlsConfig& tls) {
  curl_api().easy_setopt(c, CURLOPT_SSL_VERIFYPEER, tls.verify ? 1L : 0L);
  curl_api().easy_setopt(c, CURLOPT_SSL_VERIFYHOST, tls.verify ? 2L : 0L);
  if (!tls.verify) {
    // Nothing will be verified: do not parse the system's CA bundle for each handshake.
    curl_api().easy_setopt(c, CURLOPT_CAINFO, static_cast<char*>(nullptr));
    curl_api().easy_setopt(c, CURLOPT_CAPATH, static_cast<char*>(nullptr));
  } else if (!tls.ca_bundle_pem.empty()) {
    curl_blob blob{const_cast<char*>(tls.ca_bundle_pem.data()), tls.ca_bundle_pem.size(), CURL_BLOB_COPY};
    curl_api().easy_setopt(c, CURLOPT_CAINFO_BLOB, &blob);
  }
  if (!tls.client_cert.empty()) curl_api().easy_setopt(c, CURLOPT_SSLCERT, tls.client_cert.c_str());
  if (!tls.client_key.empty()) curl_api().easy_setopt(c, CURLOPT_SSLKEY, tls.client_key.c_str());
}

void set_method(CURL* c, const HttpRequest& request, Transfer& t) {
  if (request.body_source) {
    curl_api().easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_api().easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_api().easy_setopt(c, CURLOPT_READFUNCTION, on_upload);
    curl_api().easy_setopt(c, CURLOPT_READDATA, &t);
    curl_api().easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.body_size));
  } else if (request.method == "HEAD") {
    curl_api().easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (request.method == "GET") {
    curl_api().easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else {
    curl_api().easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_api().easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
    curl_api().easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
}

}  // namespace

bool CaseInsensitiveLess::operator()(const std::string& a, const std::string& b) const {
  return ::strcasecmp(a.c_str(), b.c_str()) < 0;
}

std::string HttpResponse::header(const std::string& name) const {
  const auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

struct CurlSession::Impl {
  struct EasyCleanup {
    void operator()(CURL* handle) const { curl_api().easy_cleanup(handle); }
  };
  std::unique_ptr<CURL, EasyCleanup> curl;
};

CurlSession::CurlSession() : impl_(std::make_unique<Impl>()) {
  init_curl_once();
  impl_->curl.reset(curl_api().easy_init());
  if (!impl_->curl) throw Error("creating a libcurl handle failed");
}

CurlSession::~CurlSession() = default;

std::variant<HttpResponse, TransportFailure> CurlSession::perform(const HttpRequest& request, const TlsConfig& tls,
                                                                  const std::string& user_agent) {
  CURL* c = impl_->curl.get();
  curl_api().easy_reset(c);  // keeps the connection cache: keep-alive across requests
  Transfer t;
  t.curl = c;
  t.request = &request;
  const SList headers = header_list(request);
  char error_buffer[CURL_ERROR_SIZE] = "";
  curl_api().easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_api().easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_api().easy_setopt(c, CURLOPT_USERAGENT, user_agent.c_str());
  curl_api().easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_api().easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
  curl_api().easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
  curl_api().easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);  // a stalled transfer is a failure,
  curl_api().easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);  // not a hang
  curl_api().easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
  // Blobs move in large pieces: fewer callbacks and syscalls than curl's 16/64 KiB defaults.
  curl_api().easy_setopt(c, CURLOPT_BUFFERSIZE, 512L * 1024);
  curl_api().easy_setopt(c, CURLOPT_UPLOAD_BUFFERSIZE, 512L * 1024);
  curl_api().easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_api().easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_api().easy_setopt(c, CURLOPT_FOLLOWLOCATION, request.follow_redirects ? 1L : 0L);
  curl_api().easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
  if (request.timeout_ms > 0) curl_api().easy_setopt(c, CURLOPT_TIMEOUT_MS, request.timeout_ms);
  curl_api().easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_api().easy_setopt(c, CURLOPT_HEADERDATA, &t);
  curl_api().easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_api().easy_setopt(c, CURLOPT_WRITEDATA, &t);
  set_tls(c, tls);
  set_method(c, request, t);
  const CURLcode code = curl_api().easy_perform(c);
  if (t.error) std::rethrow_exception(t.error);
  if (t.body_too_large) {
    throw Error("response body from " + request.url + " exceeds " + std::to_string(request.body_limit) + " bytes",
                ErrorKind::invalid_input);
  }
  if (code != CURLE_OK) {
    return TransportFailure{std::string(*error_buffer ? error_buffer : curl_api().easy_strerror(code)), is_retryable(code)};
  }
  curl_api().easy_getinfo(c, CURLINFO_RESPONSE_CODE, &t.response.status);
  return std::move(t.response);
}

void preload_http() noexcept {
  try {
    init_curl_once();
  } catch (...) {
  }
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : text) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out.push_back(static_cast<char>(ch));
    } else {
      out += {'%', kHex[ch >> 4], kHex[ch & 15]};
    }
  }
  return out;
}


}  // namespace pod::core::registry
