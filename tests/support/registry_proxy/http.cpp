#include "tests/support/registry_proxy/http.hpp"

#include <algorithm>
#include <charconv>

#include "libcore/sys/error.hpp"

namespace pod::testsupport::proxy {
namespace {

[[noreturn]] void malformed(std::string_view what, std::string_view text) {
  throw Error("malformed " + std::string(what) + ": " + quote_untrusted(text, 80), ErrorKind::invalid_input);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Splits a head into its start line and header lines; the head ends with an empty line.
std::vector<std::string_view> split_lines(std::string_view head) {
  std::vector<std::string_view> lines;
  while (!head.empty()) {
    const auto nl = head.find('\n');
    std::string_view line = head.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    head.remove_prefix(nl + 1);
  }
  if (lines.empty()) malformed("message head", head);
  return lines;
}

Headers parse_headers(const std::vector<std::string_view>& lines) {
  Headers headers;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto colon = lines[i].find(':');
    if (colon == std::string_view::npos || colon == 0 || lines[i].front() == ' ' || lines[i].front() == '\t')
      malformed("header line", lines[i]);  // obsolete line folding is refused too (RFC 9112 §5.2)
    headers.push_back({std::string(lines[i].substr(0, colon)), std::string(trim(lines[i].substr(colon + 1)))});
  }
  return headers;
}

std::optional<std::uint64_t> content_length(const Headers& headers) {
  const auto value = find_header(headers, "Content-Length");
  if (!value) return std::nullopt;
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
  if (value->empty() || ec != std::errc() || end != value->data() + value->size()) malformed("Content-Length", *value);
  return n;
}

void append_headers(std::string& out, const Headers& headers) {
  for (const auto& h : headers) out.append(h.name).append(": ").append(h.value).append("\r\n");
  out.append("\r\n");
}

}  // namespace

RequestHead parse_request_head(std::string_view head) {
  const auto lines = split_lines(head);
  const std::string_view start = lines[0];
  const auto sp1 = start.find(' ');
  const auto sp2 = start.rfind(' ');
  if (sp1 == std::string_view::npos || sp1 == sp2) malformed("request line", start);
  RequestHead request{std::string(start.substr(0, sp1)), std::string(start.substr(sp1 + 1, sp2 - sp1 - 1)),
                      std::string(start.substr(sp2 + 1)), parse_headers(lines)};
  if (!request.version.starts_with("HTTP/1.") || request.target.empty() || request.target.front() != '/')
    malformed("request line", start);
  return request;
}

ResponseHead parse_response_head(std::string_view head) {
  const auto lines = split_lines(head);
  const std::string_view start = lines[0];
  const auto sp1 = start.find(' ');
  if (sp1 == std::string_view::npos || !start.starts_with("HTTP/1.")) malformed("status line", start);
  const std::string_view rest = start.substr(sp1 + 1);
  int status = 0;
  const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), status);
  if (ec != std::errc() || end - rest.data() != 3) malformed("status line", start);
  const auto sp2 = rest.find(' ');
  return {std::string(start.substr(0, sp1)), status,
          sp2 == std::string_view::npos ? std::string() : std::string(rest.substr(sp2 + 1)), parse_headers(lines)};
}

std::string serialize(const RequestHead& head) {
  std::string out = head.method + " " + head.target + " " + head.version + "\r\n";
  append_headers(out, head.headers);
  return out;
}

std::string serialize(const ResponseHead& head) {
  std::string out = head.version + " " + std::to_string(head.status) + " " + head.reason + "\r\n";
  append_headers(out, head.headers);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return (x >= 'A' && x <= 'Z' ? x + 32 : x) == (y >= 'A' && y <= 'Z' ? y + 32 : y);
  });
}

std::optional<std::string_view> find_header(const Headers& headers, std::string_view name) {
  for (const auto& h : headers)
    if (iequals(h.name, name)) return std::string_view(h.value);
  return std::nullopt;
}

void remove_header(Headers& headers, std::string_view name) {
  std::erase_if(headers, [&](const Header& h) { return iequals(h.name, name); });
}

void set_header(Headers& headers, std::string_view name, std::string value) {
  remove_header(headers, name);
  headers.push_back({std::string(name), std::move(value)});
}

bool has_token(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    if (iequals(trim(list.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

Framing request_framing(const RequestHead& request) {
  const auto te = find_header(request.headers, "Transfer-Encoding");
  if (te && has_token(*te, "chunked")) return {Framing::Kind::chunked, 0};
  const auto length = content_length(request.headers);
  if (length && *length > 0) return {Framing::Kind::length, *length};
  return {};
}

Framing response_framing(const ResponseHead& response, std::string_view request_method) {
  if (request_method == "HEAD" || response.status < 200 || response.status == 204 || response.status == 304) return {};
  const auto te = find_header(response.headers, "Transfer-Encoding");
  if (te && has_token(*te, "chunked")) return {Framing::Kind::chunked, 0};
  if (const auto length = content_length(response.headers)) return {Framing::Kind::length, *length};
  return {Framing::Kind::until_close, 0};
}

bool client_wants_close(const RequestHead& request) {
  const auto connection = find_header(request.headers, "Connection");
  if (request.version == "HTTP/1.0") return !(connection && has_token(*connection, "keep-alive"));
  return connection && has_token(*connection, "close");
}

}  // namespace pod::testsupport::proxy
