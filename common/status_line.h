// StatusLine: the last line of a terminal, which log lines scroll above. The driver's
// console progress bar draws there; the logging sink of initLogging() writes every log
// line through writeAbove(), which clears the status line first and draws it again after,
// so that neither overwrites the other.
//
// The cursor stays at the start of the status line ("\r"): a status text is drawn as
// "\r<text>\r", and a shorter text first pads over a longer one.
//
// THREADING: thread-safe; all writes to the stream go through one mutex.
#pragma once

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

namespace sluice {

class StatusLine {
 public:
  // out must outlive the StatusLine.
  explicit StatusLine(std::FILE* out) : out_(out) {}
  StatusLine(const StatusLine&) = delete;
  StatusLine& operator=(const StatusLine&) = delete;

  // The process's stderr line: the one the logging sink and the progress bar share.
  static StatusLine& forStderr();

  // Shows text (one line, no '\n') in place of the current status; "" clears it.
  // Redraws nothing when text is what is shown already.
  void show(const std::string& text);
  void clear() { show(""); }
  // Writes a whole log line (ending in '\n') above the status line.
  void writeAbove(std::string_view line);
  void flush();

  // What is shown now ("" when nothing).
  std::string shown() const;

 private:
  // Erases what is shown, leaving the cursor at the start of the line. Under mu_.
  void eraseLocked();

  std::FILE* out_;
  mutable std::mutex mu_;
  std::string shown_;
};

}  // namespace sluice
