// Standard base64 (RFC 4648 §4, with padding) through OpenSSL's EVP_EncodeBlock/DecodeBlock.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pod::core {

std::string base64_encode(std::string_view bytes);

// nullopt unless `text` is canonical padded base64: only A-Z a-z 0-9 + /, a length that is a
// multiple of 4, and at most two '=' at the end. No white space is skipped.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace pod::core
