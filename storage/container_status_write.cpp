// The writers of container_status.hpp, apart from its reader: pod-monitor links only these, and
// they need no JSON library — the documents hold numbers and RFC 3339 times only.
#include <unistd.h>

#include <string>

#include "libcore/sys/clock.hpp"
#include "libcore/sys/files.hpp"
#include "storage/container_status.hpp"

namespace pod::storage {

void write_init_info(const std::string& dir, const InitInfo& info) {
  write_state_file(dir + "/init.json", "{\"pid\":" + std::to_string(info.pid) + ",\"start_time\":" +
                                            std::to_string(info.start_time) + ",\"monitor_pid\":" +
                                            std::to_string(info.monitor_pid) + "}");
}

void write_started(const std::string& dir) { write_state_file(dir + "/started", now_rfc3339()); }

void write_exit(const std::string& dir, int exit_code, bool oom_killed) {
  write_state_file(dir + "/exit.json", "{\"exit_code\":" + std::to_string(exit_code) + ",\"finished_at\":\"" +
                                           now_rfc3339() + "\",\"oom_killed\":" + (oom_killed ? "true" : "false") + "}");
}

void write_paused(const std::string& dir, bool paused) {
  if (paused) {
    write_state_file(dir + "/paused", now_rfc3339());
  } else {
    ::unlink((dir + "/paused").c_str());
  }
}

void clear_run_state(const std::string& dir) {
  for (const char* name : {"/exit.json", "/init.json", "/started", "/paused"}) ::unlink((dir + name).c_str());
}

}  // namespace pod::storage
