#include "rootless/subid.hpp"

#include <cerrno>
#include <charconv>
#include <fstream>
#include <sstream>

#include "libcore/sys/error.hpp"

namespace pod::rootless {
namespace {

bool parse_u32(std::string_view text, std::uint32_t& out) {
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && !text.empty();
}

// "owner:start:count" → range when the owner is ours and the numbers are sane.
bool parse_line(std::string_view line, std::string_view user_name, std::string_view uid_text, IdRange& out) {
  const auto c1 = line.find(':');
  const auto c2 = c1 == std::string_view::npos ? c1 : line.find(':', c1 + 1);
  if (c2 == std::string_view::npos) return false;
  const auto owner = line.substr(0, c1);
  if (owner != user_name && owner != uid_text) return false;
  IdRange r;
  if (!parse_u32(line.substr(c1 + 1, c2 - c1 - 1), r.start) || !parse_u32(line.substr(c2 + 1), r.count)) return false;
  if (r.count == 0 || std::uint64_t{r.start} + r.count > std::uint64_t{UINT32_MAX}) return false;
  out = r;
  return true;
}

}  // namespace

std::vector<IdRange> parse_subid_ranges(std::string_view text, std::string_view user_name, uid_t id) {
  const std::string uid_text = std::to_string(id);
  std::vector<IdRange> ranges;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    IdRange r;
    if (parse_line(line, user_name, uid_text, r)) ranges.push_back(r);
  }
  return ranges;
}

std::vector<IdRange> read_subid_ranges(const std::string& path, std::string_view user_name, uid_t id) {
  std::ifstream in(path);
  if (!in) {
    if (errno == ENOENT) return {};
    throw_errno("open", path);
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_subid_ranges(buffer.str(), user_name, id);
}

std::uint64_t total_ids(const std::vector<IdRange>& ranges) {
  std::uint64_t n = 0;
  for (const auto& r : ranges) n += r.count;
  return n;
}

}  // namespace pod::rootless
