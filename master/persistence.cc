#include "master/persistence.h"

#include <algorithm>
#include <cctype>

#include "common/serialize.h"
#include "wal/checkpoint_file.h"

namespace sluice::master {

namespace {

constexpr std::string_view kTempSuffix = ".tmp";

bool isTemp(const std::string& name) {
  return name.size() > kTempSuffix.size() &&
         name.compare(name.size() - kTempSuffix.size(), kTempSuffix.size(), kTempSuffix) == 0;
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

}  // namespace

RecoveryStore::RecoveryStore(std::string dir, wal::FileSystem* fs)
    : dir_(std::move(dir)), fs_(fs != nullptr ? fs : wal::posixFileSystem()) {}

Status RecoveryStore::open() {
  if (Status st = fs_->createDir(dir_); !st) {
    return Status::ioError("cannot create recovery dir " + dir_ + ": " + st.message());
  }
  auto names = fs_->listDir(dir_);
  if (!names)
    return Status::ioError("cannot list recovery dir " + dir_ + ": " + names.status().message());
  for (const auto& name : *names) {
    if (isTemp(name)) fs_->removeFile(dir_ + "/" + name);
  }
  return Status::ok();
}

std::string RecoveryStore::path(const std::string& kind, const std::string& id) const {
  return dir_ + "/" + kind + "_" + encodeId(id);
}

Status RecoveryStore::put(const std::string& kind, const std::string& id,
                          const std::string& payload) {
  return wal::writeFileAtomically(fs_, path(kind, id), wal::encodeCheckpoint(payload));
}

Status RecoveryStore::remove(const std::string& kind, const std::string& id) {
  Status st = fs_->removeFile(path(kind, id));
  if (!st && st.code() != StatusCode::kNotFound) return st;
  return Status::ok();
}

Status RecoveryStore::putWorker(const WorkerInfo& w) { return put("worker", w.id, toBytes(w)); }
Status RecoveryStore::removeWorker(const std::string& id) { return remove("worker", id); }
Status RecoveryStore::putApp(const ApplicationInfo& a) { return put("app", a.id(), toBytes(a)); }
Status RecoveryStore::removeApp(const std::string& id) { return remove("app", id); }
Status RecoveryStore::putDriver(const DriverInfo& d) { return put("driver", d.id, toBytes(d)); }
Status RecoveryStore::removeDriver(const std::string& id) { return remove("driver", id); }

template <class T>
Status RecoveryStore::decodeRecord(const std::string& name, T* out) const {
  const std::string file = dir_ + "/" + name;
  auto image = wal::readWholeFile(fs_, file);
  if (!image)
    return Status::ioError("cannot read recovery file " + file + ": " + image.status().message());
  auto payload = wal::decodeCheckpoint(*image);
  Status st = payload ? fromBytes(*payload, *out) : payload.status();
  if (!st) return Status::corruption("recovery file " + file + " is corrupt: " + st.message());
  return Status::ok();
}

StatusOr<RecoveredState> RecoveryStore::readAll() const {
  auto names = fs_->listDir(dir_);
  if (!names)
    return Status::ioError("cannot list recovery dir " + dir_ + ": " + names.status().message());
  std::sort(names->begin(), names->end());
  RecoveredState out;
  for (const auto& name : *names) {
    if (isTemp(name)) continue;
    if (name.rfind("worker_", 0) == 0) {
      SLUICE_RETURN_IF_ERROR(decodeRecord(name, &out.workers.emplace_back()));
    } else if (name.rfind("app_", 0) == 0) {
      SLUICE_RETURN_IF_ERROR(decodeRecord(name, &out.apps.emplace_back()));
    } else if (name.rfind("driver_", 0) == 0) {
      SLUICE_RETURN_IF_ERROR(decodeRecord(name, &out.drivers.emplace_back()));
    }
  }
  return out;
}

}  // namespace sluice::master
