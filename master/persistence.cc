#include "master/persistence.h"

#include <fcntl.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/serialize.h"

namespace sluice::master {
namespace fs = std::filesystem;

namespace {

constexpr uint32_t kRecordMagic = 0x524D4C53;  // "SLMR"
constexpr size_t kRecordHeader = 16;

void putLe(std::string* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
uint64_t getLe(const std::string& in, size_t off, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= uint64_t(static_cast<unsigned char>(in[off + i])) << (8 * i);
  return v;
}

std::string errnoText(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

Status fsyncPath(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags);
  if (fd < 0) return Status::ioError(errnoText("cannot open", path));
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Status::ioError(errnoText("cannot fsync", path));
  return Status::ok();
}

std::string encodeId(const std::string& id) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : id) {
    if (std::isalnum(c) || c == '.' || c == '_' || c == '-') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

template <class T>
Status decodeRecord(const std::string& path, T* out) {
  auto payload = readRecordFile(path);
  if (!payload) return payload.status();
  Status st = fromBytes(*payload, *out);
  if (!st) return Status::corruption("recovery file " + path + " is corrupt: " + st.message());
  return Status::ok();
}

}  // namespace

Status writeRecordFile(const std::string& path, const std::string& payload) {
  std::string bytes;
  bytes.reserve(kRecordHeader + payload.size());
  putLe(&bytes, kRecordMagic, 4);
  putLe(&bytes, payload.size(), 4);
  putLe(&bytes, XXH64(payload.data(), payload.size(), 0), 8);
  bytes += payload;

  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::ioError(errnoText("cannot create", tmp));
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status st = Status::ioError(errnoText("cannot write", tmp));
      ::close(fd);
      return st;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Status st = Status::ioError(errnoText("cannot fsync", tmp));
    ::close(fd);
    return st;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Status::ioError(errnoText("cannot rename to", path));
  return fsyncPath(fs::path(path).parent_path().string(), O_RDONLY | O_DIRECTORY);
}

StatusOr<std::string> readRecordFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::ioError("cannot read recovery file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string bytes = ss.str();
  auto corrupt = [&](const std::string& why) {
    return Status::corruption("recovery file " + path + " is corrupt: " + why);
  };
  if (bytes.size() < kRecordHeader) {
    return corrupt("truncated header (" + std::to_string(bytes.size()) + " of " +
                   std::to_string(kRecordHeader) + " bytes)");
  }
  if (getLe(bytes, 0, 4) != kRecordMagic) return corrupt("bad magic");
  uint64_t length = getLe(bytes, 4, 4);
  if (bytes.size() - kRecordHeader != length) {
    return corrupt("payload is " + std::to_string(bytes.size() - kRecordHeader) + " bytes, header says " +
                   std::to_string(length));
  }
  std::string payload = bytes.substr(kRecordHeader);
  if (XXH64(payload.data(), payload.size(), 0) != getLe(bytes, 8, 8)) return corrupt("checksum mismatch");
  return payload;
}

Status RecoveryStore::open() {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) return Status::ioError("cannot create recovery dir " + dir_ + ": " + ec.message());
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    if (entry.path().extension() == ".tmp") fs::remove(entry.path(), ec);
  }
  if (ec) return Status::ioError("cannot list recovery dir " + dir_ + ": " + ec.message());
  return Status::ok();
}

std::string RecoveryStore::path(const std::string& kind, const std::string& id) const {
  return (fs::path(dir_) / (kind + "_" + encodeId(id))).string();
}

Status RecoveryStore::put(const std::string& kind, const std::string& id, const std::string& payload) {
  return writeRecordFile(path(kind, id), payload);
}

Status RecoveryStore::remove(const std::string& kind, const std::string& id) {
  std::error_code ec;
  fs::remove(path(kind, id), ec);
  if (ec) return Status::ioError("cannot remove " + path(kind, id) + ": " + ec.message());
  return Status::ok();
}

Status RecoveryStore::putWorker(const WorkerInfo& w) { return put("worker", w.id, toBytes(w)); }
Status RecoveryStore::removeWorker(const std::string& id) { return remove("worker", id); }
Status RecoveryStore::putApp(const AppInfo& a) { return put("app", a.id(), toBytes(a)); }
Status RecoveryStore::removeApp(const std::string& id) { return remove("app", id); }
Status RecoveryStore::putDriver(const DriverInfo& d) { return put("driver", d.id, toBytes(d)); }
Status RecoveryStore::removeDriver(const std::string& id) { return remove("driver", id); }

StatusOr<RecoveredState> RecoveryStore::readAll() const {
  RecoveredState out;
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) files.push_back(entry.path());
  if (ec) return Status::ioError("cannot list recovery dir " + dir_ + ": " + ec.message());
  std::sort(files.begin(), files.end());
  for (const auto& p : files) {
    const std::string name = p.filename().string();
    if (p.extension() == ".tmp") continue;
    if (name.rfind("worker_", 0) == 0) {
      WorkerInfo w;
      SLUICE_RETURN_IF_ERROR(decodeRecord(p.string(), &w));
      out.workers.push_back(std::move(w));
    } else if (name.rfind("app_", 0) == 0) {
      AppInfo a;
      SLUICE_RETURN_IF_ERROR(decodeRecord(p.string(), &a));
      out.apps.push_back(std::move(a));
    } else if (name.rfind("driver_", 0) == 0) {
      DriverInfo d;
      SLUICE_RETURN_IF_ERROR(decodeRecord(p.string(), &d));
      out.drivers.push_back(std::move(d));
    }
  }
  return out;
}

}  // namespace sluice::master
