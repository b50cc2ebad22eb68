// pod images / pod image ls [-q] [--digests] [--format json] [--no-trunc]
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <ctime>

#include "libcore/sys/error.hpp"
#include "storage/image_store.hpp"
#include "tools/common/human.hpp"
#include "tools/common/main.hpp"
#include "tools/common/output.hpp"
#include "tools/pod/image_views.hpp"
#include "tools/pod/store_access.hpp"
#include "tools/pod/verbs.hpp"

namespace pod::tools {
namespace {

struct ImagesFlags {
  bool quiet = false;
  bool digests = false;
  bool no_trunc = false;
  std::string format;
};

struct Row {
  std::string repository;
  std::string tag;
  const storage::ImageRecord* image;
};

std::vector<Row> rows_of(const std::vector<storage::ImageRecord>& images) {
  std::vector<Row> rows;
  for (const auto& image : images) {
    if (image.names.empty()) rows.push_back({"<none>", "<none>", &image});
    for (const auto& name : image.names) {
      const auto colon = name.rfind(':');
      rows.push_back({name.substr(0, colon), name.substr(colon + 1), &image});
    }
  }
  return rows;
}

void print_table(const std::vector<storage::ImageRecord>& images, const ImagesFlags& f) {
  const auto rows = rows_of(images);
  std::size_t repo_width = 10;
  for (const auto& r : rows) repo_width = std::max(repo_width, r.repository.size());
  const std::time_t now = std::time(nullptr);
  const std::size_t id_width = f.no_trunc ? 71 : 12;
  fmt::print("{:<{}}  {:<10}  {}{:<{}}  {:<14}  {}\n", "REPOSITORY", repo_width, "TAG", f.digests ? "DIGEST" + std::string(66, ' ') : "",
             "IMAGE ID", id_width, "CREATED", "SIZE");
  for (const auto& r : rows) {
    const auto created = parse_rfc3339(r.image->created);
    fmt::print("{:<{}}  {:<10}  {}{:<{}}  {:<14}  {}\n", r.repository, repo_width, r.tag,
               f.digests ? fmt::format("{:<72}", r.image->manifest_digest.str()) : "",
               f.no_trunc ? "sha256:" + r.image->id : r.image->id.substr(0, 12), id_width,
               created ? human_age(*created, now) : "", human_size(r.image->size));
  }
}

}  // namespace

void add_images_verb(CLI::App& parent, const char* name, const GlobalOptions& global, RunState& state) {
  auto flags = std::make_shared<ImagesFlags>();
  auto* verb = parent.add_subcommand(name, "list images in local storage");
  verb->add_flag("-q,--quiet", flags->quiet, "print only image ids");
  verb->add_flag("--digests", flags->digests, "show manifest digests");
  verb->add_flag("--no-trunc", flags->no_trunc, "do not truncate image ids");
  verb->add_option("--format", flags->format, "output format: json");
  verb->callback([flags, &global, &state] {
    check_format(flags->format);
    OpenedStore opened = open_store(global, state);
    const auto images = storage::ImageStore(opened.store).list();
    if (flags->format == "json") {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& image : images) out.push_back(image_summary_json(image));
      fmt::print("{}\n", out.dump(4));
    } else if (flags->quiet) {
      for (const auto& image : images) fmt::print("{}\n", flags->no_trunc ? "sha256:" + image.id : image.id.substr(0, 12));
    } else {
      print_table(images, *flags);
    }
  });
}

}  // namespace pod::tools
