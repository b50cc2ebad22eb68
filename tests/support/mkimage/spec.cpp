#include "tests/support/mkimage/spec.hpp"

#include <fstream>
#include <sstream>

#include "libcore/sys/error.hpp"

namespace pod::testsupport {
namespace {

std::vector<std::string> split_words(const std::string& line, std::size_t max_words) {
  std::vector<std::string> words;
  std::istringstream in(line);
  std::string w;
  while (words.size() + 1 < max_words && in >> w) words.push_back(w);
  std::string rest;
  std::getline(in >> std::ws, rest);
  if (!rest.empty()) words.push_back(rest);
  return words;
}

unsigned parse_number(const std::string& s, int base) { return static_cast<unsigned>(std::stoul(s, nullptr, base)); }

Entry owned_entry(EntryType type, const std::vector<std::string>& w) {
  if (w.size() < 5) throw Error("expected: " + w[0] + " PATH MODE UID GID");
  Entry e;
  e.type = type;
  e.path = w[1];
  e.mode = parse_number(w[2], 8);
  e.uid = parse_number(w[3], 10);
  e.gid = parse_number(w[4], 10);
  return e;
}

Entry parse_entry(const std::vector<std::string>& w) {
  const std::string& kind = w[0];
  if (kind == "dir") return owned_entry(EntryType::dir, w);
  if (kind == "fifo") return owned_entry(EntryType::fifo, w);
  if (kind == "file") {
    if (w.size() != 6) throw Error("expected: file PATH MODE UID GID SOURCE");
    Entry e = owned_entry(EntryType::file, w);
    e.source = w[5];
    return e;
  }
  if (kind == "symlink" || kind == "hardlink") {
    if (w.size() != 3) throw Error("expected: " + kind + " PATH TARGET");
    const bool symlink = kind == "symlink";
    Entry e{symlink ? EntryType::symlink : EntryType::hardlink, w[1], w[2], "", symlink ? 0777u : 0644u, 0, 0};
    return e;
  }
  if (kind == "whiteout" || kind == "opaque") {
    if (w.size() != 2) throw Error("expected: " + kind + " PATH");
    return Entry{kind == "whiteout" ? EntryType::whiteout : EntryType::opaque, w[1], "", "", 0644, 0, 0};
  }
  throw Error("unknown directive " + quote(kind));
}

void apply_line(ImageSpec& spec, const std::vector<std::string>& w) {
  const std::string& kind = w[0];
  const auto value = [&]() -> const std::string& {
    if (w.size() != 2) throw Error("expected: " + kind + " VALUE");
    return w[1];
  };
  if (kind == "format") spec.format = value();
  else if (kind == "compression") spec.compression = value();
  else if (kind == "platform") spec.platform = value();
  else if (kind == "created") spec.created = value();
  else if (kind == "tag") spec.tag = value();
  else if (kind == "mtime") spec.mtime = std::stoll(value());
  else if (kind == "config") {
    if (w.size() != 3) throw Error("expected: config KEY JSON");
    spec.config_json[w[1]] = w[2];
  } else if (kind == "layer") {
    spec.layers.push_back(LayerSpec{w.size() > 1 ? w[1] : "", {}});
  } else {
    if (spec.layers.empty()) throw Error("an entry before the first `layer` line");
    spec.layers.back().entries.push_back(parse_entry(w));
  }
}

}  // namespace

ImageSpec read_image_spec(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw_errno("open", path);
  ImageSpec spec;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    const auto first = split_words(line, 2);
    if (first.empty()) continue;
    // "config" keeps its JSON value whole; entries split into at most 6 words (SOURCE last).
    const auto words = split_words(line, first[0] == "config" ? 3 : first[0] == "layer" ? 2 : 6);
    with_context(path + ":" + std::to_string(number), [&] {
      try {
        apply_line(spec, words);
      } catch (const std::invalid_argument&) {
        throw Error("not a number in " + quote(line));
      }
    });
  }
  return spec;
}

}  // namespace pod::testsupport
