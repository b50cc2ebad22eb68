#include "libcore/base64.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <climits>
#include <stdexcept>

namespace pod::core {
namespace {

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

// EVP_DecodeBlock trims white space and accepts '=' where it should not; check first.
bool is_canonical(std::string_view text) {
  if (text.size() % 4 != 0) return false;
  const auto last = text.find_last_not_of('=');
  const std::size_t padding = last == std::string_view::npos ? text.size() : text.size() - last - 1;
  if (padding > 2) return false;
  const std::string_view body = text.substr(0, text.size() - padding);
  return std::all_of(body.begin(), body.end(), is_base64_char);
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX / 4 * 3)) throw std::length_error("base64_encode: input too large");
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');  // EVP_EncodeBlock writes a NUL
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (!is_canonical(text) || text.size() > static_cast<std::size_t>(INT_MAX)) return std::nullopt;
  if (text.empty()) return std::string();
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // DecodeBlock counts the zero bytes that padding stands for; drop them.
  const std::size_t padding = text.size() - (text.find_last_not_of('=') + 1);
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

}  // namespace pod::core
