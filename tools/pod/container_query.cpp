// pod ps | inspect | logs | wait — read-only views of containers, from where pod is (no user
// namespace needed: the records and logs belong to the user).
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "libcore/net/port_mapping.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"
#include "rootless/monitor/container_log.hpp"
#include "storage/image_store.hpp"
#include "tools/common/human.hpp"
#include "tools/common/main.hpp"
#include "tools/common/output.hpp"
#include "tools/pod/container_views.hpp"
#include "tools/pod/image_views.hpp"
#include "tools/pod/store_access.hpp"
#include "tools/pod/verbs.hpp"

namespace pod::tools {
namespace {

using storage::ContainerStatus;

std::string shorten(std::string text, std::size_t width) {
  if (text.size() > width) text = text.substr(0, width - 3) + "...";
  return text;
}

// name=, id=, status=, label=KEY[=VALUE], ancestor= (the image as named)
bool matches(const std::string& filter, const storage::ContainerRecord& r, const storage::ContainerState& s) {
  const auto eq = filter.find('=');
  if (eq == std::string::npos) throw Error("--filter " + quote(filter) + ": use KEY=VALUE", ErrorKind::invalid_input);
  const std::string key = filter.substr(0, eq), value = filter.substr(eq + 1);
  if (key == "name") return r.name.find(value) != std::string::npos;
  if (key == "id") return r.id.rfind(value, 0) == 0;
  if (key == "status") return (s.paused ? std::string_view("paused") : to_string(s.status)) == value;
  if (key == "ancestor") return r.image_name == value || r.image_id.rfind(value, 0) == 0;
  if (key == "label") {
    const auto leq = value.find('=');
    const auto it = r.labels.find(value.substr(0, leq));
    return it != r.labels.end() && (leq == std::string::npos || it->second == value.substr(leq + 1));
  }
  throw Error("--filter: unknown key " + quote(key) + " (name, id, status, label, ancestor)", ErrorKind::invalid_input);
}

std::string ports_text(const storage::ContainerRecord& r) {
  std::string out;
  for (const auto& p : r.ports) out += (out.empty() ? "" : ", ") + core::net::to_display(core::net::from_canonical(p));
  return out;
}

void add_ps(CLI::App& app, const GlobalOptions& global, bool in_group) {
  struct Flags {
    bool all = false, quiet = false, no_trunc = false;
    std::string format;
    std::vector<std::string> filters;
  };
  auto f = std::make_shared<Flags>();
  auto* verb = app.add_subcommand("ps", "list containers (running ones; -a: all)");
  if (in_group) verb->alias("ls")->alias("list");
  verb->add_flag("-a,--all", f->all, "show all containers, not only running ones");
  verb->add_flag("-q,--quiet", f->quiet, "print only the ids");
  verb->add_flag("--no-trunc", f->no_trunc, "do not shorten ids and commands");
  verb->add_option("--format", f->format, "json for JSON output");
  verb->add_option("-f,--filter", f->filters, "name=, id=, status=, label=, ancestor=")->allow_extra_args(false);
  verb->callback([f, &global] {
    check_format(f->format);
    const OpenedStore opened = open_store_in_place(global);
    const storage::ContainerStore containers(opened.store);
    nlohmann::json rows = nlohmann::json::array();
    std::vector<std::pair<storage::ContainerRecord, storage::ContainerState>> shown;
    for (const auto& r : containers.list()) {
      const auto s = storage::container_state(containers.dir(r.id));
      if (!f->all && s.status != ContainerStatus::running) continue;
      bool ok = true;
      for (const auto& filter : f->filters) ok = ok && matches(filter, r, s);
      if (ok) shown.emplace_back(r, s);
    }
    if (f->format == "json") {
      for (const auto& [r, s] : shown) rows.push_back(ps_json(r, s));
      fmt::print("{}\n", rows.dump(4));
      return;
    }
    if (f->quiet) {
      for (const auto& [r, s] : shown) fmt::print("{}\n", f->no_trunc ? r.id : r.id.substr(0, 12));
      return;
    }
    std::size_t ports_width = 9;
    for (const auto& [r, s] : shown) ports_width = std::max(ports_width, ports_text(r).size() + 2);
    fmt::print("{:<14}{:<34}{:<22}{:<24}{:<28}{:<{}}{}\n", "CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS",
               ports_width, "NAMES");
    const std::time_t now = std::time(nullptr);
    for (const auto& [r, s] : shown) {
      std::string command;
      for (const auto& a : r.command) command += (command.empty() ? "" : " ") + a;
      fmt::print("{:<14}{:<34}{:<22}{:<24}{:<28}{:<{}}{}\n", f->no_trunc ? r.id : r.id.substr(0, 12), shorten(r.image_name, 32),
                 f->no_trunc ? command : shorten(command, 20), human_age(parse_rfc3339(r.created).value_or(now), now),
                 status_text(s, r.created), ports_text(r), ports_width, r.name);
    }
  });
}

void add_inspect(CLI::App& parent, const char* name, bool images_too, const GlobalOptions& global, RunState& state) {
  auto names = std::make_shared<std::vector<std::string>>();
  auto format = std::make_shared<std::string>("json");
  auto* verb = parent.add_subcommand(name, images_too ? "show details of containers or images as JSON"
                                                      : "show details of containers as JSON");
  verb->add_option("names", *names, "container or image names or ids")->required();
  verb->add_option("-f,--format", *format, "output format: json");
  verb->callback([=, &global, &state] {
    check_format(*format, false);
    const OpenedStore opened = open_store_in_place(global);
    const storage::ContainerStore containers(opened.store);
    const storage::ImageStore images(opened.store);
    nlohmann::json out = nlohmann::json::array();
    for (const auto& text : *names) {
      try {
        const auto r = containers.resolve(text);
        out.push_back(inspect_json(r, storage::container_state(containers.dir(r.id)), containers.dir(r.id)));
      } catch (const Error& container_error) {
        try {
          if (!images_too) throw;
          out.push_back(image_inspect_json(images.resolve(text).image, images));
        } catch (const Error&) {
          fmt::print(stderr, "Error: no container or image with name or ID {} found\n", quote_untrusted(text));
          state.exit_code = kExitPodError;
        }
      }
    }
    fmt::print("{}\n", out.dump(4));
  });
}

// --since: RFC 3339, or a duration back from now ("10s", "5m", "2h").
std::string since_cutoff(const std::string& since) {
  if (since.empty()) return {};
  if (parse_rfc3339(since)) return since;
  const char unit = since.back();
  const long n = std::strtol(since.c_str(), nullptr, 10);
  const long seconds = unit == 'h' ? n * 3600 : unit == 'm' ? n * 60 : n;
  const std::time_t t = std::time(nullptr) - seconds;
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

void print_records(const std::vector<rootless::monitor::LogRecord>& records, std::size_t from, bool timestamps,
                   const std::string& since) {
  for (std::size_t i = from; i < records.size(); ++i) {
    const auto& r = records[i];
    if (!since.empty() && r.time.substr(0, 19) < since.substr(0, 19)) continue;
    const std::string text = (timestamps ? r.time + " " : "") + r.text + (r.partial ? "" : "\n");
    std::FILE* out = r.stream == "stderr" ? stderr : stdout;
    std::fwrite(text.data(), 1, text.size(), out);
    std::fflush(out);  // keeps stdout and stderr lines in the log's order
  }
}

void add_logs(CLI::App& app, const GlobalOptions& global) {
  struct Flags {
    std::string name, since;
    bool follow = false, timestamps = false;
    long tail = -1;
  };
  auto f = std::make_shared<Flags>();
  auto* verb = app.add_subcommand("logs", "show a container's output");
  verb->add_option("container", f->name, "container name or id")->required();
  verb->add_flag("-f,--follow", f->follow, "keep printing new output until the container exits");
  verb->add_flag("-t,--timestamps", f->timestamps, "show each line's time");
  verb->add_option("--tail", f->tail, "only the last N lines");
  verb->add_option("--since", f->since, "only output since a time (RFC 3339) or for a duration (10s, 5m, 2h)");
  verb->callback([f, &global] {
    const OpenedStore opened = open_store_in_place(global);
    const storage::ContainerStore containers(opened.store);
    const auto r = containers.resolve(f->name);
    const std::string path = containers.dir(r.id) + "/ctr.log";
    const std::string since = since_cutoff(f->since);
    std::string content = try_read_file(path, 1u << 30).value_or("");
    auto records = rootless::monitor::parse_log(content);
    std::size_t from = 0;
    if (f->tail >= 0) {
      // A line is partial records ended by a full one; keep the last --tail lines.
      std::vector<std::size_t> line_starts;
      bool at_line_start = true;
      for (std::size_t i = 0; i < records.size(); ++i) {
        if (at_line_start) line_starts.push_back(i);
        at_line_start = !records[i].partial;
      }
      const auto tail = static_cast<std::size_t>(f->tail);
      from = tail == 0 ? records.size() : tail >= line_starts.size() ? 0 : line_starts[line_starts.size() - tail];
    }
    print_records(records, from, f->timestamps, since);
    while (f->follow) {
      const bool running = storage::container_state(containers.dir(r.id)).status != ContainerStatus::exited;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      const std::string now = try_read_file(path, 1u << 30).value_or("");
      if (now.size() > content.size()) {
        const auto cut = now.rfind('\n');
        if (cut != std::string::npos && cut + 1 > content.size()) {
          print_records(rootless::monitor::parse_log(now.substr(content.size(), cut + 1 - content.size())), 0, f->timestamps, since);
          content = now.substr(0, cut + 1);
        }
      }
      if (!running) break;
    }
  });
}

void add_wait(CLI::App& app, const GlobalOptions& global, RunState& state) {
  auto names = std::make_shared<std::vector<std::string>>();
  auto* verb = app.add_subcommand("wait", "wait for containers to exit and print their exit codes");
  verb->add_option("containers", *names, "container names or ids")->required();
  verb->callback([names, &global, &state] {
    const OpenedStore opened = open_store_in_place(global);
    const storage::ContainerStore containers(opened.store);
    for (const auto& name : *names) {
      const auto r = containers.resolve(name);
      for (;;) {
        const auto s = storage::container_state(containers.dir(r.id));
        if (s.status == ContainerStatus::exited) {
          fmt::print("{}\n", s.exit_code);
          state.exit_code = 0;
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
  });
}

}  // namespace

void add_container_query_verbs(CLI::App& app, const GlobalOptions& global, RunState& state, bool in_group) {
  add_ps(app, global, in_group);
  add_inspect(app, "inspect", !in_group, global, state);
  add_logs(app, global);
  add_wait(app, global, state);
}

}  // namespace pod::tools
