// flaky: a batch job of 4 partitions whose partition 1 throws on its first attempt, for
// the test of the driver's "Lost task" lines on a real cluster.
//
//   sluice-submit --master local-cluster[2,1,512] libflaky_app.so <marker-file>
//
// The attempt of partition 1 that creates <marker-file> (O_EXCL: exactly one does) throws
// "flaky partition 1"; every other attempt succeeds. Prints "flaky job: <rows> rows".
#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <iostream>
#include <numeric>
#include <stdexcept>

#include <sluice/sluice.h>

SLUICE_APP(ctx, args) {
  if (args.empty()) {
    std::cerr << "usage: flaky <marker-file>\n";
    return 2;
  }
  std::array<char, 512> marker{};  // trivially copyable, so the lambda can carry it
  std::strncpy(marker.data(), args[0].c_str(), marker.size() - 1);
  std::vector<int> data(40);
  std::iota(data.begin(), data.end(), 0);
  auto rows = ctx.parallelize(data, 4)
                  .mapPartitionsWithIndex([marker](int split, std::vector<int>&& part) {
                    if (split == 1) {
                      int fd = ::open(marker.data(), O_CREAT | O_EXCL | O_WRONLY, 0644);
                      if (fd >= 0) {
                        ::close(fd);
                        throw std::runtime_error("flaky partition 1");
                      }
                    }
                    return std::move(part);
                  })
                  .collect();
  std::cout << "flaky job: " << rows.size() << " rows" << std::endl;
  return rows.size() == data.size() ? 0 : 1;
}
