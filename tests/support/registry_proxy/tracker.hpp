// Knows every live socket and connection thread, so a stop can end them: on SIGTERM the
// server shuts every tracked socket down (blocked reads and writes return at once), then waits
// for the threads to finish. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <set>

namespace pod::testsupport::proxy {

class Tracker {
 public:
  // Tracks a socket while alive. Destroy it before closing the fd (the fd number could be
  // reused otherwise and a stop would shut down a stranger's socket).
  class Registration {
   public:
    Registration(Tracker& tracker, int fd) : tracker_(tracker), fd_(fd) {}
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;
    ~Registration() { tracker_.untrack(fd_); }

   private:
    Tracker& tracker_;
    int fd_;
  };

  // Registers fd; if stopping already, shuts it down right away.
  [[nodiscard]] Registration track(int fd);
  void thread_started();
  // The last thing a connection thread does.
  void thread_finished();
  // Shuts down every tracked socket; later ones are shut down as they are tracked.
  void stop();
  bool is_stopping() const;
  // Whether every connection thread finished within `timeout`.
  bool wait_idle(std::chrono::milliseconds timeout);

 private:
  void untrack(int fd);

  mutable std::mutex mutex_;
  std::condition_variable idle_;
  std::set<int> fds_;        // guarded by mutex_
  std::size_t threads_ = 0;  // guarded by mutex_
  bool stopping_ = false;    // guarded by mutex_
};

}  // namespace pod::testsupport::proxy
