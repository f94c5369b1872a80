#include "worker/driver_app_fetch.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "common/app_loader.h"

namespace sluice::worker {

namespace fs = std::filesystem;

Status fetchDriverApp(rpc::Transport& transport, const rpc::Peer& master, const rpc::LaunchDriver& launch,
                      const std::string& path, std::chrono::milliseconds chunk_timeout,
                      const std::atomic<bool>& cancelled) {
  const std::string what = "application " + launch.app_file_name + " of driver " + launch.driver_id;
  if (launch.app_size < 0) return Status::invalidArgument(what + ": negative size " + std::to_string(launch.app_size));
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (ec) return Status::ioError("cannot create " + fs::path(path).parent_path().string() + ": " + ec.message());
  const std::string part = path + ".part";
  {
    std::ofstream out(part, std::ios::binary | std::ios::trunc);
    if (!out) return Status::ioError("cannot write " + part + ": " + std::strerror(errno));
    for (int64_t offset = 0; offset < launch.app_size;) {
      if (cancelled) return Status::aborted("fetching " + what + " was cancelled");
      rpc::FetchDriverApp request{launch.driver_id, offset, std::min(kDriverAppChunkBytes, launch.app_size - offset)};
      auto answer = transport.call(master, request, chunk_timeout);
      if (!answer) return Status(answer.status().code(), "fetching " + what + ": " + answer.status().message());
      auto reply = rpc::decodeAs<rpc::FetchDriverAppReply>(*answer);
      if (!reply) return Status(reply.status().code(), "fetching " + what + ": " + reply.status().message());
      if (!reply->error.empty()) return Status::unavailable("master refused " + what + ": " + reply->error);
      if (reply->bytes.empty() || static_cast<int64_t>(reply->bytes.size()) > request.length) {
        return Status::corruption("fetching " + what + ": asked for " + std::to_string(request.length) +
                                  " bytes at offset " + std::to_string(offset) + ", got " +
                                  std::to_string(reply->bytes.size()));
      }
      out.write(reply->bytes.data(), static_cast<std::streamsize>(reply->bytes.size()));
      if (!out) return Status::ioError("cannot write " + part + ": " + std::strerror(errno));
      offset += static_cast<int64_t>(reply->bytes.size());
    }
  }
  auto file = describeAppFile(part);
  if (!file) return file.status();
  if (file->size != launch.app_size) {
    return Status::corruption(what + ": wrote " + std::to_string(file->size) + " bytes, expected " +
                              std::to_string(launch.app_size));
  }
  if (!launch.app_hash.empty() && file->hash != launch.app_hash) {
    return Status::corruption(what + ": XXH3-128 hash " + file->hash + " does not match the master's " +
                              launch.app_hash);
  }
  fs::rename(part, path, ec);
  if (ec) return Status::ioError("cannot rename " + part + " to " + path + ": " + ec.message());
  return Status::ok();
}

}  // namespace sluice::worker
