// sluice-submit's answers to bad input: one clear line on stderr and a non-zero exit.
#include <catch2/catch.hpp>

#include "tests/integration/process_util.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;

namespace {

struct Outcome {
  int code;
  std::string err;
};

Outcome submit(const std::vector<std::string>& args, const TempDir& tmp) {
  std::vector<std::string> argv{binDir() + "/sluice-submit"};
  argv.insert(argv.end(), args.begin(), args.end());
  Child child(argv, tmp / "submit");
  auto exit = child.wait(60s);
  REQUIRE(exit.has_value());
  return {exit->exit_code, child.err()};
}

}  // namespace

TEST_CASE("sluice-submit rejects bad input with one clear line", "[integration][submit]") {
  TempDir tmp("submit-errors");
  SECTION("missing application file") {
    auto r = submit({"--master", "local[1]", tmp / "nope.so"}, tmp);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("application file not found"));
  }
  SECTION("a library that is not a Sluice application") {
    auto r = submit({"--master", "local[1]", libDir() + "/libsluice.so"}, tmp);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("not a Sluice application"));
  }
  SECTION("a file that is not a library") {
    std::ofstream(tmp / "junk.so") << "junk";
    auto r = submit({"--master", "local[1]", tmp / "junk.so"}, tmp);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("not a loadable Sluice application"));
  }
  SECTION("an unknown flag") {
    auto r = submit({"--no-such-flag", libDir() + "/libword_count.so"}, tmp);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("unrecognised option '--no-such-flag'"));
  }
  SECTION("a bad master URL") {
    auto r = submit({"--master", "yarn", libDir() + "/libword_count.so", "x"}, tmp);
    CHECK(r.code == 1);
    CHECK_THAT(r.err, Catch::Contains("bad master URL 'yarn'"));
  }
  SECTION("a missing input path") {
    auto r = submit({"--master", "local[1]", libDir() + "/libword_count.so", tmp / "missing-input"}, tmp);
    CHECK(r.code == 1);
    CHECK_THAT(r.err, Catch::Contains("input path does not exist"));
  }
}
