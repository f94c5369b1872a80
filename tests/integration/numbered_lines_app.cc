// numbered_lines_app: the application of the recovery tests. Reads sluice-gen --numbered
// lines with reliableSocketTextStream (or plain socketTextStream with "plain") and saves
// each line's sequence number, one per line, under <output-prefix>-<batch-ms>/, so that a
// test can count every record by its number after killing processes. With "stateful" it
// also keeps a running count of the records with updateStateByKey and saves it every
// batch under <output-prefix>.state-<batch-ms>/, so that a test can check that a restarted
// driver's state counts every record exactly once. With "hold", each batch, once saved,
// waits while the file <output-prefix>.hold exists, so that a test can kill the driver
// while a batch whose output is written has not completed (a batch it must re-run).
//
//   numbered_lines_app <host> <port> <batch-ms> <output-prefix> [plain] [stateful] [hold]
//
// Runs until SIGTERM (with streaming.stopGracefullyOnShutdown=true it stops gracefully).
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>
#include <iostream>

#include <sluice/sluice.h>

SLUICE_APP(ctx, args) {
  if (args.size() < 4) {
    std::cerr << "usage: numbered_lines_app <host> <port> <batch-ms> <output-prefix> [plain] [stateful] [hold]\n";
    return 2;
  }
  int port = std::stoi(args[1]);
  int batch_ms = std::stoi(args[2]);
  auto flag = [&](const std::string& f) { return std::find(args.begin() + 4, args.end(), f) != args.end(); };
  sluice::StreamingContext ssc(ctx, sluice::Milliseconds(batch_ms));
  auto lines = flag("plain") ? ssc.socketTextStream(args[0], port) : ssc.reliableSocketTextStream(args[0], port);
  auto seqs = lines.map([](const std::string& line) { return line.substr(0, line.find(' ')); });
  seqs.saveAsTextFiles(args[3]);
  if (flag("stateful")) {
    seqs.map([](const std::string&) { return std::make_pair(std::string("records"), int64_t{1}); })
        .updateStateByKey<int64_t>([](std::vector<int64_t> ones, std::optional<int64_t> total) {
          return std::optional<int64_t>(total.value_or(0) + static_cast<int64_t>(ones.size()));
        })
        .map([](const std::pair<std::string, int64_t>& kv) { return std::to_string(kv.second); })
        .saveAsTextFiles(args[3] + ".state");
  }
  if (flag("hold")) {
    std::string hold = args[3] + ".hold";
    seqs.foreachRDD([hold](const sluice::RDD<std::string>&, sluice::Time) {
      while (std::filesystem::exists(hold)) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    });
  }
  ssc.start();
  ssc.awaitTermination();
  return 0;
}
