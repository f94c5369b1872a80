// Must NOT compile: a lambda capturing a std::string cannot be shipped to executors.
// tests/CMakeLists.txt checks that the compiler says why.
#include <sluice/sluice.h>

SLUICE_APP(ctx, args) {
  std::string suffix = "!";
  auto rdd = ctx.parallelize(std::vector<std::string>{"a", "b"}).map([suffix](const std::string& s) {
    return s + suffix;
  });
  return static_cast<int>(rdd.count());
}
