// Forwards one request to the upstream registry over a fresh connection and relays the answer.
//
// Upstream gets the request with Host set to it, "Connection: close" and no hop-by-hop
// headers (nor, under --token-auth, our Authorization); the request body follows unchanged
// (Content-Length or raw chunks). A client that sent "Expect: 100-continue" gets its
// "100 Continue" from us. The response keeps its framing: Content-Length bodies are relayed
// exactly, chunked ones chunk for chunk; a body delimited by upstream's close is relayed and
// then the client connection is closed too. Location headers pointing at upstream are
// rewritten to point at the proxy, so uploads come back through it. Blob bodies pass through
// the fault modes (faults.hpp). If upstream cannot be reached or answers garbage the client
// gets 502; a failure after the response head went out ends the client connection.
#pragma once

#include "tests/support/registry_proxy/context.hpp"
#include "tests/support/registry_proxy/exchange.hpp"
#include "tests/support/registry_proxy/http.hpp"
#include "tests/support/registry_proxy/route.hpp"

namespace pod::testsupport::proxy {

Outcome forward(Context& ctx, ClientIo& io, const RequestHead& request, const Route& route);

}  // namespace pod::testsupport::proxy
