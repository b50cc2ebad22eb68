// One request/response exchange on a client connection: what the handlers get and return.
#pragma once

#include <cstdint>
#include <string>

#include "tests/support/registry_proxy/net.hpp"

namespace pod::testsupport::proxy {

struct ClientIo {
  int fd;      // the client's socket (not owned)
  Reader& in;  // its buffered reader: the request body comes from here
  std::string peer;
};

struct Outcome {
  int status = 0;           // what the client got; 0 if nothing
  std::uint64_t bytes = 0;  // body bytes sent to the client
  std::string action;       // for the log
  bool close = false;       // end the client connection after this exchange
};

}  // namespace pod::testsupport::proxy
