// straggler: a batch job of 8 partitions in which one attempt of partition 0 is a
// straggler, for the speculation test.
//
//   sluice-submit --master local-cluster[2,1,512] libstraggler_app.so <marker-file> <sleep-ms>
//
// The attempt of partition 0 that creates <marker-file> (O_EXCL: exactly one does, on one
// executor) sleeps <sleep-ms>; every other attempt returns at once. Prints
// "straggler job took <ms> ms, <rows> rows".
#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstring>
#include <iostream>
#include <numeric>
#include <thread>

#include <sluice/sluice.h>

SLUICE_APP(ctx, args) {
  if (args.size() < 2) {
    std::cerr << "usage: straggler <marker-file> <sleep-ms>\n";
    return 2;
  }
  std::array<char, 512> marker{};  // trivially copyable, so the lambda can carry it
  std::strncpy(marker.data(), args[0].c_str(), marker.size() - 1);
  int sleep_ms = std::stoi(args[1]);
  std::vector<int> data(80);
  std::iota(data.begin(), data.end(), 0);
  auto start = std::chrono::steady_clock::now();
  auto rows = ctx.parallelize(data, 8)
                  .mapPartitionsWithIndex([marker, sleep_ms](int split, std::vector<int>&& part) {
                    if (split == 0) {
                      int fd = ::open(marker.data(), O_CREAT | O_EXCL | O_WRONLY, 0644);
                      if (fd >= 0) {
                        ::close(fd);
                        std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms));
                      }
                    }
                    return std::move(part);
                  })
                  .collect();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  std::cout << "straggler job took " << ms << " ms, " << rows.size() << " rows" << std::endl;
  return rows.size() == data.size() ? 0 : 1;
}
