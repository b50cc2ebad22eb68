#include "tests/support/registry_proxy/tracker.hpp"

#include <sys/socket.h>

namespace pod::testsupport::proxy {

Tracker::Registration Tracker::track(int fd) {
  std::lock_guard lock(mutex_);
  fds_.insert(fd);
  if (stopping_) ::shutdown(fd, SHUT_RDWR);
  return Registration(*this, fd);
}

void Tracker::untrack(int fd) {
  std::lock_guard lock(mutex_);
  fds_.erase(fd);
}

void Tracker::thread_started() {
  std::lock_guard lock(mutex_);
  ++threads_;
}

void Tracker::thread_finished() {
  std::lock_guard lock(mutex_);
  --threads_;
  idle_.notify_all();  // under the lock: the waiter may destroy us as soon as it wakes
}

void Tracker::stop() {
  std::lock_guard lock(mutex_);
  stopping_ = true;
  for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
}

bool Tracker::is_stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

bool Tracker::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return threads_ == 0; });
}

}  // namespace pod::testsupport::proxy
