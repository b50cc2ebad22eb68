// HTTP/1.1 message heads as the proxy sees them: parse, inspect, edit, serialize; and how a
// message's body is framed (RFC 9112 §6.3). Header names keep their spelling; lookups ignore
// case. Parsers throw pod::Error of kind invalid_input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pod::testsupport::proxy {

struct Header {
  std::string name;
  std::string value;
};
using Headers = std::vector<Header>;

struct RequestHead {
  std::string method;
  std::string target;
  std::string version;
  Headers headers;
};

struct ResponseHead {
  std::string version = "HTTP/1.1";
  int status = 0;
  std::string reason;
  Headers headers;
};

inline constexpr std::size_t kHeadLimit = 64 * 1024;

RequestHead parse_request_head(std::string_view head);
ResponseHead parse_response_head(std::string_view head);
std::string serialize(const RequestHead& head);
std::string serialize(const ResponseHead& head);

bool iequals(std::string_view a, std::string_view b);
// The first header of that name.
std::optional<std::string_view> find_header(const Headers& headers, std::string_view name);
void remove_header(Headers& headers, std::string_view name);
// Replaces every header of that name with one.
void set_header(Headers& headers, std::string_view name, std::string value);
// Whether a comma-separated header value (Connection, Transfer-Encoding…) lists `token`.
bool has_token(std::string_view list, std::string_view token);
std::string_view reason_phrase(int status);

// How the body after a head is delimited.
struct Framing {
  enum class Kind { none, length, chunked, until_close } kind = Kind::none;
  std::uint64_t length = 0;  // for Kind::length
};
Framing request_framing(const RequestHead& request);
Framing response_framing(const ResponseHead& response, std::string_view request_method);

// Whether the client wants its connection closed after this exchange.
bool client_wants_close(const RequestHead& request);

}  // namespace pod::testsupport::proxy
