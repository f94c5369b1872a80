// sluice-kafka-mock: librdkafka's mock Kafka cluster as a process, so that Kafka streams,
// the examples and the tests run without a Kafka installation. It starts the brokers,
// creates the topics, prints "bootstrap <host:port,...>" on stdout (and into
// --bootstrap-file), optionally produces a generated stream of word lines, and runs until
// SIGTERM or SIGINT.
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <boost/program_options.hpp>
#include <spdlog/spdlog.h>

#include "common/logging.h"
#include "common/signals.h"
#include "streaming/kafka/kafka_producer.h"
#include "streaming/kafka/mock_cluster.h"

namespace po = boost::program_options;
using namespace sluice;

namespace {

struct Generated {
  std::string topic;
  int64_t rate = 0;     // records per second, 0: as fast as the producer goes
  int64_t records = 0;  // 0: until stopped
  int words = 10;       // per record
  int vocabulary = 1000;
};

// Records "w<N> w<M> ..." keyed by their sequence number, at rate, until stop or the count.
void produce(const std::string& bootstrap, const Generated& g, const std::atomic<bool>& stop) {
  auto producer = kafka::KafkaProducer::open({{"bootstrap.servers", bootstrap}, {"linger.ms", "5"}});
  if (!producer) {
    spdlog::error("{}", producer.status().message());
    return;
  }
  using Clock = std::chrono::steady_clock;
  auto start = Clock::now();
  uint64_t seed = 88172645463325252ull;
  std::string line;
  for (int64_t i = 0; !stop && (g.records == 0 || i < g.records); ++i) {
    if (g.rate > 0) {
      auto due = start + std::chrono::microseconds(i * 1000000 / g.rate);
      if (due > Clock::now()) std::this_thread::sleep_until(due);
    }
    line.clear();
    for (int w = 0; w < g.words; ++w) {
      seed ^= seed << 13;
      seed ^= seed >> 7;
      seed ^= seed << 17;
      if (w) line += ' ';
      line += 'w' + std::to_string(seed % static_cast<uint64_t>(g.vocabulary));
    }
    if (Status st = (*producer)->send(g.topic, std::to_string(i), line); !st) {
      spdlog::error("{}", st.message());
      return;
    }
  }
  if (Status st = (*producer)->flush(); !st) spdlog::error("{}", st.message());
  spdlog::info("produced {} records to {}", (*producer)->delivered(), g.topic);
}

}  // namespace

int main(int argc, char** argv) {
  blockShutdownSignals();
  int brokers = 1;
  std::vector<std::string> topics;
  std::string bootstrap_file, log_level = "info";
  Generated g;
  po::options_description desc(
      "Usage: sluice-kafka-mock [--brokers N] [--topic NAME:PARTITIONS]... [--produce TOPIC --rate R --records N]\n"
      "Runs librdkafka's mock Kafka cluster until SIGTERM/SIGINT; prints \"bootstrap <servers>\" first");
  desc.add_options()("help,h", "show this help")
      ("brokers", po::value(&brokers)->default_value(1), "brokers to start")
      ("topic", po::value(&topics)->composing(), "a topic to create, NAME:PARTITIONS (NAME alone: 1 partition)")
      ("bootstrap-file", po::value(&bootstrap_file), "also write the bootstrap servers into this file")
      ("produce", po::value(&g.topic), "produce generated word lines to this topic")
      ("rate", po::value(&g.rate)->default_value(0), "records per second to produce (0: as fast as possible)")
      ("records", po::value(&g.records)->default_value(0), "records to produce (0: until stopped)")
      ("words", po::value(&g.words)->default_value(10), "words per record")
      ("vocabulary", po::value(&g.vocabulary)->default_value(1000), "distinct words")
      ("log-level", po::value(&log_level), "trace, debug, info, warn, error");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    if (vm.count("help")) {
      std::cout << desc << "\n";
      return 0;
    }
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "sluice-kafka-mock: " << e.what() << "\n" << desc << "\n";
    return 2;
  }
  initLogging("sluice-kafka-mock", log_level);
  auto cluster = kafka::MockKafkaCluster::start(brokers);
  if (!cluster) {
    spdlog::error("{}", cluster.status().message());
    return 1;
  }
  for (const std::string& spec : topics) {
    auto colon = spec.rfind(':');
    std::string name = colon == std::string::npos ? spec : spec.substr(0, colon);
    int partitions = 1;
    try {
      if (colon != std::string::npos) partitions = std::stoi(spec.substr(colon + 1));
    } catch (const std::exception&) {
      partitions = 0;
    }
    if (Status st = (*cluster)->createTopic(name, partitions); !st) {
      std::cerr << "sluice-kafka-mock: --topic " << spec << ": " << st.message() << "\n";
      return 2;
    }
  }
  std::string bootstrap = (*cluster)->bootstrap();
  if (!bootstrap_file.empty()) {
    std::ofstream(bootstrap_file + ".tmp") << bootstrap << "\n";
    std::rename((bootstrap_file + ".tmp").c_str(), bootstrap_file.c_str());
  }
  std::cout << "bootstrap " << bootstrap << std::endl;
  spdlog::info("mock Kafka cluster: {} broker(s) at {}, {} topic(s)", brokers, bootstrap, topics.size());
  std::atomic<bool> stop{false};
  std::thread producer;
  if (!g.topic.empty()) producer = std::thread([&] { produce(bootstrap, g, stop); });
  awaitShutdownSignal("stopping the mock Kafka cluster");
  stop = true;
  if (producer.joinable()) producer.join();
  return 0;
}
