// kafka_numbered_app: the application of the Kafka recovery test. Reads a topic with a
// direct Kafka stream from its earliest offsets and saves each record's value, one per line,
// under <output-prefix>-<batch-ms>/, so that a test can count every record after killing the
// driver. Each batch, once saved, waits while the file <output-prefix>.hold exists, so that a
// test can kill the driver while a batch whose output is written has not completed.
//
//   kafka_numbered_app <bootstrap-servers> <topic> <batch-ms> <output-prefix>
//
// Runs until SIGTERM (with streaming.stopGracefullyOnShutdown=true it stops gracefully).
#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

#include <sluice/sluice.h>

SLUICE_APP(ctx, args) {
  if (args.size() < 4) {
    std::cerr << "usage: kafka_numbered_app <bootstrap-servers> <topic> <batch-ms> <output-prefix>\n";
    return 2;
  }
  sluice::StreamingContext ssc(ctx, sluice::Milliseconds(std::stoi(args[2])));
  auto values = sluice::KafkaUtils::createDirectValueStream(
      ssc, {{"bootstrap.servers", args[0]}, {"auto.offset.reset", "earliest"}}, {args[1]});
  values.saveAsTextFiles(args[3]);
  std::string hold = args[3] + ".hold";
  values.foreachRDD([hold](const sluice::RDD<std::string>&, sluice::Time) {
    while (std::filesystem::exists(hold)) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  });
  ssc.start();
  ssc.awaitTermination();
  return 0;
}
