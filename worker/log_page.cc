#include "worker/log_page.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "common/http_server.h"
#include "common/ui/page_layout.h"
#include "common/ui/units.h"

namespace sluice::worker {
namespace {

bool safeId(const std::string& id) {
  return !id.empty() && id.size() <= 256 && id.find('/') == std::string::npos &&
         id.find('\\') == std::string::npos && id.find("..") == std::string::npos &&
         id.find('\0') == std::string::npos;
}

std::string query(const LogRequest& r, const std::string& log_type, int64_t bytes) {
  std::string q = r.driver_id.empty() ? "appId=" + r.app_id + "&executorId=" + r.executor_id
                                      : "driverId=" + r.driver_id;
  return "/logPage?" + q + "&logType=" + log_type + "&byteLength=" + std::to_string(bytes);
}

}  // namespace

StatusOr<std::string> logFilePath(const WorkerStatus& s, const LogRequest& r) {
  if (r.log_type != "stdout" && r.log_type != "stderr") {
    return Status::invalidArgument("logType must be stdout or stderr, not '" + r.log_type + "'");
  }
  if (!r.driver_id.empty()) {
    if (!safeId(r.driver_id))
      return Status::invalidArgument("bad driverId: path traversal refused");
    for (const auto* list : {&s.drivers, &s.finished_drivers})
      for (const auto& d : *list)
        if (d.driver_id == r.driver_id) return d.work_dir + "/" + r.log_type;
    return Status::notFound("this worker runs no driver " + r.driver_id);
  }
  if (!safeId(r.app_id) || !safeId(r.executor_id)) {
    return Status::invalidArgument("appId and executorId are required (path traversal refused)");
  }
  for (const auto* list : {&s.executors, &s.finished_executors})
    for (const auto& e : *list)
      if (e.app_id == r.app_id && e.executor_id == r.executor_id)
        return e.work_dir + "/" + r.log_type;
  return Status::notFound("this worker runs no executor " + r.app_id + "/" + r.executor_id);
}

StatusOr<LogTail> readLogTail(const std::string& path, int64_t max_bytes) {
  max_bytes = std::clamp<int64_t>(max_bytes, 1, LogRequest::kMaxLogBytes);
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return Status::notFound("no log file " + path + ": " + ec.message());
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::ioError("cannot open " + path);
  LogTail tail;
  tail.file_size = static_cast<int64_t>(size);
  tail.start = std::max<int64_t>(0, tail.file_size - max_bytes);
  in.seekg(tail.start);
  tail.text.resize(static_cast<size_t>(tail.file_size - tail.start));
  in.read(tail.text.data(), static_cast<std::streamsize>(tail.text.size()));
  tail.text.resize(static_cast<size_t>(in.gcount()));
  return tail;
}

std::string renderLogPage(const WorkerStatus& s, const LogRequest& r, const LogTail& tail) {
  const std::string who =
      r.driver_id.empty() ? "executor " + r.app_id + "/" + r.executor_id : "driver " + r.driver_id;
  const std::string other = r.log_type == "stdout" ? "stderr" : "stdout";
  ui::PageLayout layout{"Sluice Worker", s.id, {}, "", 0};
  std::ostringstream os;
  os << ui::pageStart(layout) << "<p><a href=\"/\">&larr; Worker " << htmlEscape(s.id) << "</a></p>"
     << "<h1>" << htmlEscape(r.log_type) << " of " << htmlEscape(who) << "</h1>\n"
     << "<p>Showing bytes " << ui::formatCount(tail.start) << " to "
     << ui::formatCount(tail.file_size) << " of " << ui::formatCount(tail.file_size) << " ("
     << ui::formatBytes(tail.file_size) << "). "
     << "<a href=\"" << htmlEscape(query(r, other, r.max_bytes)) << "\">" << other << "</a>";
  if (tail.start > 0) {
    os << " &middot; <a href=\""
       << htmlEscape(query(r, r.log_type, std::min(LogRequest::kMaxLogBytes, r.max_bytes * 4)))
       << "\">show more</a>";
  }
  os << "</p>\n<pre class=\"log\">" << htmlEscape(tail.text) << "</pre>\n" << ui::pageEnd(layout);
  return os.str();
}

}  // namespace sluice::worker
