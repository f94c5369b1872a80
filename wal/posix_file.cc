// The POSIX implementation of wal/file.h.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "wal/file.h"

namespace sluice::wal {

namespace {

Status errnoStatus(const std::string& what, const std::string& path, int err) {
  std::string message = what + " " + path + ": " + std::strerror(err);
  if (err == ENOENT) return Status::notFound(message);
  return Status::ioError(message);
}

class PosixWritableFile : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixWritableFile() override { ::close(fd_); }

  Status append(std::string_view data) override {
    const char* p = data.data();
    size_t left = data.size();
    while (left > 0) {
      ssize_t n = ::write(fd_, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        return errnoStatus("cannot write", path_, errno);
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
    return Status::ok();
  }

  Status sync() override {
    if (::fdatasync(fd_) != 0) return errnoStatus("cannot fsync", path_, errno);
    return Status::ok();
  }

  const std::string& path() const override { return path_; }

 private:
  const std::string path_;
  const int fd_;
};

class PosixRandomAccessFile : public RandomAccessFile {
 public:
  PosixRandomAccessFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixRandomAccessFile() override { ::close(fd_); }

  Status read(uint64_t offset, size_t n, std::string* out) const override {
    out->resize(n);
    size_t got = 0;
    while (got < n) {
      ssize_t r = ::pread(fd_, out->data() + got, n - got, static_cast<off_t>(offset + got));
      if (r < 0) {
        if (errno == EINTR) continue;
        out->clear();
        return errnoStatus("cannot read", path_, errno);
      }
      if (r == 0) break;
      got += static_cast<size_t>(r);
    }
    out->resize(got);
    return Status::ok();
  }

  StatusOr<uint64_t> size() const override {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return errnoStatus("cannot stat", path_, errno);
    return static_cast<uint64_t>(st.st_size);
  }

 private:
  const std::string path_;
  const int fd_;
};

class PosixFileSystem : public FileSystem {
 public:
  StatusOr<std::unique_ptr<WritableFile>> newWritableFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return errnoStatus("cannot create", path, errno);
    return std::unique_ptr<WritableFile>(new PosixWritableFile(path, fd));
  }

  StatusOr<std::unique_ptr<WritableFile>> reopenWritableFile(const std::string& path,
                                                             uint64_t size) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0) return errnoStatus("cannot open", path, errno);
    auto file = std::unique_ptr<WritableFile>(new PosixWritableFile(path, fd));
    struct stat st {};
    if (::fstat(fd, &st) != 0) return errnoStatus("cannot stat", path, errno);
    if (static_cast<uint64_t>(st.st_size) < size) {
      return Status::invalidArgument("cannot reopen " + path + " at " + std::to_string(size) +
                                     ": it has only " + std::to_string(st.st_size) + " bytes");
    }
    if (static_cast<uint64_t>(st.st_size) > size && ::ftruncate(fd, static_cast<off_t>(size)) != 0) {
      return errnoStatus("cannot truncate", path, errno);
    }
    return file;
  }

  StatusOr<std::unique_ptr<RandomAccessFile>> newRandomAccessFile(
      const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errnoStatus("cannot open", path, errno);
    return std::unique_ptr<RandomAccessFile>(new PosixRandomAccessFile(path, fd));
  }

  StatusOr<std::vector<std::string>> listDir(const std::string& dir) override {
    std::error_code ec;
    std::vector<std::string> names;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      names.push_back(it->path().filename().string());
    }
    if (ec) return errnoStatus("cannot list", dir, ec.value());
    return names;
  }

  Status createDir(const std::string& dir) override {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return errnoStatus("cannot create directory", dir, ec.value());
    return Status::ok();
  }

  Status removeFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return errnoStatus("cannot remove", path, errno);
    return Status::ok();
  }

  Status renameFile(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) {
      return errnoStatus("cannot rename " + from + " to", to, errno);
    }
    return Status::ok();
  }

  Status syncDir(const std::string& dir) override {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return errnoStatus("cannot open directory", dir, errno);
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) return errnoStatus("cannot fsync directory", dir, err);
    return Status::ok();
  }
};

}  // namespace

FileSystem* posixFileSystem() {
  static PosixFileSystem* fs = new PosixFileSystem();  // never destroyed: usable at exit
  return fs;
}

}  // namespace sluice::wal
