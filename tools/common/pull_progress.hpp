// What `pod pull` shows while layers arrive: on a terminal, a line per blob redrawn in place
// with its progress; otherwise plain lines as podman prints them ("Copying blob … done").
// Quiet shows nothing. Safe to call from the pull's worker threads.
#pragma once

#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/pull.hpp"

namespace pod::tools {

class PullProgress final : public storage::PullObserver {
 public:
  PullProgress(std::FILE* out, bool quiet);
  void manifest_read(const core::Digest& manifest) override;
  void blob_started(const core::Digest& blob, std::int64_t size, bool present) override;
  void blob_progress(const core::Digest& blob, std::uint64_t done, std::int64_t size) override;
  void blob_done(const core::Digest& blob) override;
  void config_read(const core::Digest& config) override;

 private:
  struct Row {
    std::string label;
    std::uint64_t done = 0;
    std::int64_t size = 0;
    bool finished = false;
    bool skipped = false;
  };
  void line(const std::string& text);
  void redraw();
  std::string render(const Row& row) const;

  std::FILE* out_;
  bool quiet_;
  bool tty_;
  std::mutex mutex_;
  std::vector<std::string> order_;
  std::map<std::string, Row> rows_;
  std::size_t drawn_ = 0;  // rows on screen from the last redraw
  std::int64_t last_draw_ms_ = 0;
};

}  // namespace pod::tools
