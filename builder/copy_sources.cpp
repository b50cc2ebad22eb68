#include "builder/copy_sources.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>

#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"
#include "libcore/sys/root_path.hpp"

namespace pod::builder {
namespace {

[[noreturn]] void bad(const cf::Instruction& in, const std::string& what, ErrorKind kind = ErrorKind::invalid_input) {
  throw Error(in.where() + ": " + what, kind);
}

bool has_glob(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

// The paths below `root_fd` that `parts` (some with glob characters) match, sorted.
void expand_glob(int root_fd, const PathParts& parts, std::size_t i, const std::string& prefix, std::vector<std::string>& out) {
  if (i == parts.size()) {
    out.push_back(prefix);
    return;
  }
  const std::string here = prefix.empty() ? "." : prefix;
  auto dir = try_open_in_root(root_fd, here, O_RDONLY | O_DIRECTORY);
  if (!dir) return;
  if (!has_glob(parts[i])) {
    struct stat st{};
    if (::fstatat(dir->get(), parts[i].c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
      expand_glob(root_fd, parts, i + 1, prefix.empty() ? parts[i] : prefix + "/" + parts[i], out);
    }
    return;
  }
  for (const auto& name : sorted_entries(dir->get(), here)) {
    if (::fnmatch(parts[i].c_str(), name.c_str(), FNM_PERIOD) == 0) {
      expand_glob(root_fd, parts, i + 1, prefix.empty() ? name : prefix + "/" + name, out);
    }
  }
}

std::string absolute_dest(const Stage& stage, const std::string& dest) {
  if (!dest.empty() && dest.front() == '/') return dest;
  std::string workdir = stage.config_string("WorkingDir");
  if (workdir.empty()) workdir = "/";
  if (workdir.back() != '/') workdir += '/';
  return workdir + (dest == "." ? "" : dest);
}

void resolve_words(Stage& stage, const cf::Instruction& in, CopyPlan& plan, const std::vector<std::string>& words) {
  std::size_t heredoc = 0;
  for (const auto& word : words) {
    if (word.rfind("<<", 0) == 0 && heredoc < in.heredocs.size()) {
      const auto& h = in.heredocs[heredoc++];
      plan.sources.push_back({h.name, "", false, h.expand ? expand(stage, h.body) : h.body});
      continue;
    }
    if (word.find("://") != std::string::npos) {
      bad(in, "remote source " + quote_untrusted(word) + ": pod build copies local files only; fetch it in a RUN step",
          ErrorKind::unsupported);
    }
    const auto parts = try_clean_path(word);
    if (!parts) bad(in, quote_untrusted(word) + " is outside the build context");
    std::vector<std::string> matches;
    expand_glob(plan.source_root_fd, *parts, 0, "", matches);
    if (plan.ignore) {
      std::erase_if(matches, [&](const std::string& m) { return !m.empty() && plan.ignore->excluded(m); });
    }
    if (matches.empty()) {
      bad(in, (plan.from.empty() ? "no such file in the build context: " : "no such file in " + plan.from + ": ") +
                  quote_untrusted(word),
          ErrorKind::not_found);
    }
    for (const auto& m : matches) {
      const auto fd = open_in_root(plan.source_root_fd, m.empty() ? "." : m, O_PATH);
      struct stat st{};
      if (::fstat(fd.get(), &st) != 0) throw_errno("stat", word);
      plan.sources.push_back({m.empty() ? word : m, m, S_ISDIR(st.st_mode), std::nullopt});
    }
  }
}

void check_several(const cf::Instruction& in, CopyPlan& plan) {
  plan.dest_is_dir = plan.dest_slash || plan.sources.size() > 1;
  if (plan.sources.size() > 1 && !plan.dest_slash) {
    bad(in, "when copying several sources, the destination " + quote_untrusted(plan.dest) + " must end with /");
  }
}

ImageState from_image(Stage& stage, const cf::Instruction& in, const std::string& from) {
  for (std::size_t i = 0; i < stage.built->size(); ++i) {
    const auto& b = (*stage.built)[i];
    if (b.name == from || std::to_string(i) == from) return b.image;
  }
  try {
    return image_for(stage.env, stage.options, from);
  } catch (const Error& e) {
    bad(in, "--from=" + from + " is neither an earlier stage nor an image: " + e.message(), e.kind());
  }
}

}  // namespace

CopyPlan plan_copy(Stage& stage, const cf::Instruction& in, const core::containerfile::IgnoreRules& ignore) {
  CopyPlan plan;
  plan.add = in.keyword == "ADD";
  std::vector<std::string> words = in.exec_form ? *in.exec_form : expand_words(stage, in.args);
  if (words.size() < 2) bad(in, "requires a source and a destination");
  const std::string dest = in.exec_form ? expand(stage, words.back()) : words.back();
  words.pop_back();
  for (const auto& f : in.flags) {
    if (f.name == "from") plan.from = expand(stage, f.value);
    if (f.name == "chown") plan.chown = expand(stage, f.value);
    if (f.name == "chmod") {
      const std::string v = expand(stage, f.value);
      char* end = nullptr;
      const unsigned long mode = std::strtoul(v.c_str(), &end, 8);
      if (v.empty() || *end != '\0' || mode > 07777) bad(in, "--chmod=" + quote_untrusted(v) + " is not an octal mode");
      plan.chmod = static_cast<mode_t>(mode);
    }
    if (f.name == "checksum" || f.name == "keep-git-dir") bad(in, "--" + f.name + " is for remote sources, which pod build does not fetch");
  }
  if (plan.from.empty()) {
    plan.context_fd = UniqueFd(::open(stage.options.context_dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!plan.context_fd) throw_errno("open the build context", stage.options.context_dir);
    plan.source_root_fd = plan.context_fd.get();
    plan.ignore = &ignore;
  } else {
    plan.from_image = from_image(stage, in, plan.from);
  }
  if (plan.from.empty()) {
    resolve_words(stage, in, plan, words);
  } else {
    plan.from_words = words;
    if (words.size() > 1) plan.sources.resize(words.size());  // for the destination rule below
  }
  plan.dest = absolute_dest(stage, dest);
  plan.dest_slash = dest.back() == '/' || dest == ".";
  check_several(in, plan);
  return plan;
}

void open_from_sources(Stage& stage, const cf::Instruction& in, CopyPlan& plan) {
  if (!plan.from_image) return;
  plan.from_root = std::make_unique<ReadOnlyRoot>(stage.env, layer_dirs(stage.env, *plan.from_image));
  plan.source_root_fd = plan.from_root->root_fd();
  plan.sources.clear();
  resolve_words(stage, in, plan, plan.from_words);
  check_several(in, plan);
}

namespace {

void walk_below(const CopyPlan& plan, int dir_fd, const std::string& relative, const std::string& context_path,
                const std::function<void(const SourceEntry&)>& visit) {
  for (const auto& name : sorted_entries(dir_fd, context_path.empty() ? "." : context_path)) {
    const std::string rel = relative.empty() ? name : relative + "/" + name;
    const std::string in_context = context_path.empty() ? name : context_path + "/" + name;
    struct stat st{};
    if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) throw_errno("stat", in_context);
    const bool dir = S_ISDIR(st.st_mode);
    if (plan.ignore && plan.ignore->excluded(in_context) && !(dir && plan.ignore->has_exceptions())) continue;
    if (!dir) {
      visit(SourceEntry{rel, dir_fd, name, st});
      continue;
    }
    visit(SourceEntry{rel, dir_fd, name, st});
    const UniqueFd sub(::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!sub) throw_errno("open", in_context);
    walk_below(plan, sub.get(), rel, in_context, visit);
  }
}

}  // namespace

void walk_source(const CopyPlan& plan, const CopySource& source, const std::function<void(const SourceEntry&)>& visit) {
  UniqueFd top = open_in_root(plan.source_root_fd, source.path.empty() ? "." : source.path,
                              source.is_dir ? O_RDONLY | O_DIRECTORY : O_PATH);
  struct stat st{};
  if (::fstat(top.get(), &st) != 0) throw_errno("stat", source.shown);
  if (S_ISREG(st.st_mode)) top = open_in_root(plan.source_root_fd, source.path, O_RDONLY);
  if (!source.is_dir) {
    // The source itself (a symlink named directly is followed, inside the root): visited
    // through its own fd (readable when it is a regular file), name "".
    visit(SourceEntry{"", top.get(), "", st});
    return;
  }
  walk_below(plan, top.get(), "", plan.ignore ? source.path : std::string(), visit);
}

}  // namespace pod::builder
