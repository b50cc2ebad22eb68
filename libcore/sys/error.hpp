// The one error hierarchy of pod (see STYLE.md §3).
//
// Failures are exceptions; expected outcomes ("absent", "busy", "can't reuse") are return
// values. Context is added while an exception travels up through layer boundaries, so the
// final message reads outer-to-inner:
//   pulling `docker.io/library/busybox:latest`: fetching blob `sha256:ab…`: digest mismatch: …
#pragma once

#include <exception>
#include <string>
#include <string_view>
#include <utility>

namespace pod {

// The few cases callers branch on. Everything else is `generic`.
enum class ErrorKind {
  generic,
  not_found,
  unauthorized,
  digest_mismatch,
  usage,
  unsupported,
  invalid_input,
  conflict,
};

class Error : public std::exception {
 public:
  explicit Error(std::string message, ErrorKind kind = ErrorKind::generic)
      : message_(std::move(message)), kind_(kind) {}

  const char* what() const noexcept override { return message_.c_str(); }
  const std::string& message() const noexcept { return message_; }
  ErrorKind kind() const noexcept { return kind_; }

  // Prepends "context: " to the message; used by with_context() while rethrowing.
  void add_context(std::string_view context);

 private:
  std::string message_;
  ErrorKind kind_;
};

// An OS call failed. The message is "verb `object`: strerror(errno)".
class SysError : public Error {
 public:
  SysError(int err, std::string_view what);
  int error_number() const noexcept { return errno_; }

 private:
  int errno_;
};

// Reads errno before doing anything else, then throws SysError("verb `object`: …").
[[noreturn]] void throw_errno(std::string_view verb, std::string_view object);
// Same, without an object: "verb: …".
[[noreturn]] void throw_errno(std::string_view verb);

// Runs fn(); a pod::Error escaping it gets "context: " prepended and keeps its dynamic type.
// Other std::exceptions are turned into pod::Error with the context.
template <class Fn>
decltype(auto) with_context(std::string_view context, Fn&& fn) {
  try {
    return std::forward<Fn>(fn)();
  } catch (Error& e) {
    e.add_context(context);
    throw;
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(std::string(context) + ": " + e.what());
  }
}

// Quotes an object for messages: `name` (crun's style). Untrusted text is cut at `limit`
// characters so a hostile registry cannot flood a terminal (c/image cuts at 50).
std::string quote(std::string_view object);
std::string quote_untrusted(std::string_view text, std::size_t limit = 50);

}  // namespace pod
