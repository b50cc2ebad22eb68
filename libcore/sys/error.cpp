#include "libcore/sys/error.hpp"

#include <cerrno>
#include <cstring>

namespace pod {

void Error::add_context(std::string_view context) {
  std::string joined;
  joined.reserve(context.size() + 2 + message_.size());
  joined.append(context).append(": ").append(message_);
  message_ = std::move(joined);
}

namespace {
std::string describe_errno(int err, std::string_view what) {
  std::string s(what);
  s.append(": ").append(std::strerror(err));
  return s;
}
}  // namespace

SysError::SysError(int err, std::string_view what)
    : Error(describe_errno(err, what), err == ENOENT ? ErrorKind::not_found : ErrorKind::generic),
      errno_(err) {}

void throw_errno(std::string_view verb, std::string_view object) {
  const int err = errno;  // first: anything below may allocate and clobber errno
  std::string what(verb);
  what.append(" ").append(quote(object));
  throw SysError(err, what);
}

void throw_errno(std::string_view verb) {
  const int err = errno;
  throw SysError(err, verb);
}

std::string quote(std::string_view object) {
  std::string s;
  s.reserve(object.size() + 2);
  s.append("`").append(object).append("`");
  return s;
}

std::string quote_untrusted(std::string_view text, std::size_t limit) {
  std::string s;
  for (char c : text.substr(0, limit)) {
    const auto u = static_cast<unsigned char>(c);
    s.push_back(u < 0x20 || u == 0x7f ? '?' : c);  // no terminal escapes from strangers
  }
  if (text.size() > limit) s.append("…");
  return quote(s);
}

}  // namespace pod
