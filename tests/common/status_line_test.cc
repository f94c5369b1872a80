// StatusLine: a status text drawn in place, log lines written above it.
#include "common/status_line.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include <catch2/catch.hpp>

namespace sluice {
namespace {

// Everything written to a memory stream.
class Captured {
 public:
  Captured() : file_(::open_memstream(&buf_, &size_)) { REQUIRE(file_ != nullptr); }
  ~Captured() {
    std::fclose(file_);
    std::free(buf_);
  }
  std::FILE* file() { return file_; }
  std::string text() {
    std::fflush(file_);
    return std::string(buf_, size_);
  }

 private:
  char* buf_ = nullptr;
  size_t size_ = 0;
  std::FILE* file_;
};

TEST_CASE("status line: drawn in place, padded over a longer text, cleared", "[common]") {
  Captured out;
  StatusLine line(out.file());
  line.show("[Stage 1:=>  (1 + 1) / 4]");
  CHECK(out.text() == "\r[Stage 1:=>  (1 + 1) / 4]\r");
  line.show("[Stage 1:=>  (1 + 1) / 4]");  // unchanged: nothing written
  CHECK(out.text() == "\r[Stage 1:=>  (1 + 1) / 4]\r");
  line.show("[Stage 2:>]");
  CHECK(out.text() == "\r[Stage 1:=>  (1 + 1) / 4]\r\r[Stage 2:>]              \r");
  CHECK(line.shown() == "[Stage 2:>]");
  line.clear();
  CHECK(out.text().substr(out.text().size() - 13) == "\r           \r");
  CHECK(line.shown().empty());
}

TEST_CASE("status line: a log line is written above it, and the status drawn again", "[common]") {
  Captured out;
  StatusLine line(out.file());
  line.writeAbove("first\n");  // nothing shown: the line alone
  CHECK(out.text() == "first\n");
  line.show("[bar]");
  line.writeAbove("second\n");
  CHECK(out.text() == "first\n\r[bar]\r\r     \rsecond\n[bar]\r");
  line.clear();
  line.writeAbove("third\n");
  CHECK(out.text() == "first\n\r[bar]\r\r     \rsecond\n[bar]\r\r     \rthird\n");
}

}  // namespace
}  // namespace sluice
