#include <iostream>

#include <sluice/sluice.h>

SLUICE_APP(ctx, args) {
  auto total = ctx.textFile(args.at(0)).map([](const std::string& line) { return static_cast<int64_t>(line.size()); })
                   .reduce([](int64_t a, int64_t b) { return a + b; });
  std::cout << "total line length " << total << "\n";
  return 0;
}
