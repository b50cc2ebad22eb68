#include "libcore/transport/blob_streams.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"

namespace pod::core::transport {
namespace {

constexpr std::size_t kBufferSize = 1u << 20;

struct ProducerStopped {};  // thrown through the producer when the reader went away

class ProducerReader final : public Reader {
 public:
  explicit ProducerReader(std::function<void(const ByteSink&)> produce) : buffer_(kBufferSize) {
    thread_ = std::thread([this, produce = std::move(produce)] {
      std::exception_ptr failure;
      try {
        produce([this](const char* data, std::size_t n) { push(data, n); });
      } catch (const ProducerStopped&) {
      } catch (...) {
        failure = std::current_exception();
      }
      std::lock_guard lock(mutex_);
      failure_ = failure;
      done_ = true;
      changed_.notify_all();
    });
  }

  ~ProducerReader() override {
    {
      std::lock_guard lock(mutex_);
      stopped_ = true;
      changed_.notify_all();
    }
    thread_.join();
  }

  std::size_t read(void* out, std::size_t size) override {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return used_ > 0 || done_; });
    if (used_ == 0) {
      if (failure_) std::rethrow_exception(failure_);
      return 0;
    }
    const std::size_t n = std::min({size, used_, buffer_.size() - head_});
    std::memcpy(out, buffer_.data() + head_, n);
    head_ = (head_ + n) % buffer_.size();
    used_ -= n;
    changed_.notify_all();
    return n;
  }

 private:
  void push(const char* data, std::size_t n) {
    while (n > 0) {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return used_ < buffer_.size() || stopped_; });
      if (stopped_) throw ProducerStopped{};
      const std::size_t tail = (head_ + used_) % buffer_.size();
      const std::size_t chunk = std::min({n, buffer_.size() - used_, buffer_.size() - tail});
      std::memcpy(buffer_.data() + tail, data, chunk);
      used_ += chunk;
      data += chunk;
      n -= chunk;
      changed_.notify_all();
    }
  }

  std::vector<char> buffer_;
  std::size_t head_ = 0;
  std::size_t used_ = 0;
  bool done_ = false;
  bool stopped_ = false;
  std::exception_ptr failure_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::thread thread_;
};

class OwnedBytesReader final : public Reader {
 public:
  explicit OwnedBytesReader(std::string bytes) : bytes_(std::move(bytes)), reader_(bytes_) {}
  std::size_t read(void* buffer, std::size_t size) override { return reader_.read(buffer, size); }

 private:
  std::string bytes_;
  StringReader reader_;
};

class OwnedFileReader final : public Reader {
 public:
  OwnedFileReader(UniqueFd fd, const std::string& path) : fd_(std::move(fd)), reader_(fd_.get(), path) {}
  std::size_t read(void* buffer, std::size_t size) override { return reader_.read(buffer, size); }

 private:
  UniqueFd fd_;
  FdReader reader_;
};

}  // namespace

std::unique_ptr<Reader> reader_from_producer(std::function<void(const ByteSink&)> produce) {
  return std::make_unique<ProducerReader>(std::move(produce));
}

std::unique_ptr<Reader> reader_of_bytes(std::string bytes) { return std::make_unique<OwnedBytesReader>(std::move(bytes)); }

std::unique_ptr<Reader> open_file_reader(const std::string& path, const std::string& what) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) throw Error(what + " is missing (" + path + ")", ErrorKind::not_found);
    throw_errno("open", path);
  }
  return std::make_unique<OwnedFileReader>(std::move(fd), path);
}

}  // namespace pod::core::transport
