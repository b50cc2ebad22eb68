#include "tests/support/registry_proxy/token_auth.hpp"

#include <sys/random.h>

#include <cerrno>
#include <vector>

#include "libcore/sys/error.hpp"
#include "tests/support/registry_proxy/http.hpp"

namespace pod::testsupport::proxy {
namespace {

// The credentials after "<scheme> " in an Authorization value; the scheme ignores case.
std::optional<std::string_view> credentials_of(std::optional<std::string_view> authorization, std::string_view scheme) {
  if (!authorization || authorization->size() <= scheme.size() || (*authorization)[scheme.size()] != ' ' ||
      !iequals(authorization->substr(0, scheme.size()), scheme))
    return std::nullopt;
  std::string_view rest = authorization->substr(scheme.size() + 1);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  return rest;
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

TokenAuth::Grant TokenAuth::request_token(std::optional<std::string_view> authorization) {
  const std::uint64_t number = ++requests_;
  const auto basic = credentials_of(authorization, "Basic");
  if (!basic) return {number, std::nullopt, "no credentials"};
  const auto decoded = decode_base64(*basic);
  if (!decoded || *decoded != credentials_.user + ":" + credentials_.password)
    return {number, std::nullopt, "bad credentials"};
  std::string token = random_hex(16);
  std::lock_guard lock(mutex_);
  tokens_.insert(token);
  return {number, std::move(token), {}};
}

TokenAuth::Check TokenAuth::check(std::optional<std::string_view> authorization) const {
  const auto bearer = credentials_of(authorization, "Bearer");
  if (!bearer) return Check::no_token;
  std::lock_guard lock(mutex_);
  return tokens_.contains(*bearer) ? Check::ok : Check::bad_token;
}

std::string bearer_challenge(std::uint16_t listen_port, const Route& route, std::string_view method) {
  std::string value =
      "Bearer realm=\"http://127.0.0.1:" + std::to_string(listen_port) + "/token\",service=\"pod-test\"";
  if (!route.repo.empty()) {
    const bool read_only = method == "GET" || method == "HEAD";
    value += ",scope=\"repository:" + route.repo + (read_only ? ":pull\"" : ":pull,push\"");
  }
  return value;
}

std::optional<std::string> decode_base64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  std::uint32_t bits = 0;
  int nbits = 0;
  std::size_t padding = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '=') {
      if (i + 2 < text.size()) return std::nullopt;  // padding only in the last two places
      ++padding;
      continue;
    }
    const int v = base64_value(text[i]);
    if (v < 0 || padding > 0) return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(v);
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      out.push_back(static_cast<char>((bits >> nbits) & 0xff));
    }
  }
  return out;
}

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  std::size_t got = 0;
  while (got < bytes) {
    const ssize_t n = ::getrandom(raw.data() + got, bytes - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("getrandom");
    }
    got += static_cast<std::size_t>(n);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : raw) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xf]);
  }
  return out;
}

}  // namespace pod::testsupport::proxy
