// numbered_lines_app: the application of the recovery tests. Reads sluice-gen --numbered
// lines with reliableSocketTextStream (or plain socketTextStream with "plain") and saves
// each line's sequence number, one per line, under <output-prefix>-<batch-ms>/, so that a
// test can count every record by its number after killing processes.
//
//   numbered_lines_app <host> <port> <batch-ms> <output-prefix> [reliable|plain]
//
// Runs until SIGTERM (with streaming.stopGracefullyOnShutdown=true it stops gracefully).
#include <iostream>

#include <sluice/sluice.h>

SLUICE_APP(ctx, args) {
  if (args.size() < 4) {
    std::cerr << "usage: numbered_lines_app <host> <port> <batch-ms> <output-prefix> [reliable|plain]\n";
    return 2;
  }
  int port = std::stoi(args[1]);
  int batch_ms = std::stoi(args[2]);
  bool plain = args.size() > 4 && args[4] == "plain";
  sluice::StreamingContext ssc(ctx, sluice::Milliseconds(batch_ms));
  auto lines = plain ? ssc.socketTextStream(args[0], port) : ssc.reliableSocketTextStream(args[0], port);
  lines.map([](const std::string& line) { return line.substr(0, line.find(' ')); }).saveAsTextFiles(args[3]);
  ssc.start();
  ssc.awaitTermination();
  return 0;
}
