#include "tools/common/pull_progress.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <chrono>

#include "tools/common/human.hpp"

namespace pod::tools {
namespace {

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

PullProgress::PullProgress(std::FILE* out, bool quiet) : out_(out), quiet_(quiet), tty_(::isatty(::fileno(out)) == 1) {}

void PullProgress::line(const std::string& text) {
  if (quiet_) return;
  fmt::print(out_, "{}\n", text);
  std::fflush(out_);
}

void PullProgress::manifest_read(const core::Digest&) {
  std::lock_guard lock(mutex_);
  line("Getting image source signatures");
}

std::string PullProgress::render(const Row& row) const {
  if (row.skipped) return row.label + " skipped: already exists";
  if (row.finished) return row.label + " done";
  const double fraction = row.size > 0 ? static_cast<double>(row.done) / static_cast<double>(row.size) : 0.0;
  const int width = 30;
  const int filled = static_cast<int>(fraction * width);
  return fmt::format("{} [{}{}] {} / {}", row.label, std::string(static_cast<std::size_t>(filled), '='),
                     std::string(static_cast<std::size_t>(width - filled), '-'), human_size(row.done),
                     human_size(static_cast<std::uint64_t>(std::max<std::int64_t>(row.size, 0))));
}

void PullProgress::redraw() {
  if (drawn_ > 0) fmt::print(out_, "\x1b[{}A", drawn_);
  for (const auto& key : order_) fmt::print(out_, "\x1b[2K{}\n", render(rows_[key]));
  drawn_ = order_.size();
  std::fflush(out_);
}

void PullProgress::blob_started(const core::Digest& blob, std::int64_t size, bool present) {
  std::lock_guard lock(mutex_);
  Row row{"Copying blob " + blob.short_hex(), 0, size, false, present};
  order_.push_back(blob.str());
  rows_[blob.str()] = row;
  if (quiet_) return;
  if (tty_) {
    redraw();
  } else if (present) {
    line(render(row));
  }
}

void PullProgress::blob_progress(const core::Digest& blob, std::uint64_t done, std::int64_t) {
  std::lock_guard lock(mutex_);
  rows_[blob.str()].done = done;
  if (quiet_ || !tty_ || now_ms() - last_draw_ms_ < 100) return;  // ten frames a second at most
  last_draw_ms_ = now_ms();
  redraw();
}

void PullProgress::blob_done(const core::Digest& blob) {
  std::lock_guard lock(mutex_);
  Row& row = rows_[blob.str()];
  const bool was_skipped = row.skipped;
  row.finished = true;
  if (quiet_) return;
  if (tty_) {
    redraw();
  } else if (!was_skipped) {
    line(render(row));
  }
}

void PullProgress::config_read(const core::Digest& config) {
  std::lock_guard lock(mutex_);
  line("Copying config " + config.short_hex(10) + " done");
  line("Writing manifest to image destination");
}

}  // namespace pod::tools
