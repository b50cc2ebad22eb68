// Readers the transports hand out: a file they open, and the bytes a push-style producer (a
// registry download) delivers on its own thread, for a consumer that pulls (an upload).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "libcore/stream.hpp"

namespace pod::core::transport {

using ByteSink = std::function<void(const char* data, std::size_t size)>;

// Runs `produce` on a thread; its bytes come out of the reader through a bounded buffer. An
// exception of `produce` is thrown by read() once the bytes before it were read. Destroying
// the reader early stops the producer (its sink throws) and joins it.
std::unique_ptr<Reader> reader_from_producer(std::function<void(const ByteSink& sink)> produce);

// Reads bytes it owns (a config held in memory).
std::unique_ptr<Reader> reader_of_bytes(std::string bytes);

// Opens `path` for reading; Error(not_found) naming `what` when it is missing.
std::unique_ptr<Reader> open_file_reader(const std::string& path, const std::string& what);

}  // namespace pod::core::transport
