// The configuration key table (common/config_keys.h): well formed, complete, read through
// Conf with its defaults, and shown exactly by the README's configuration table.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/conf.h"
#include "common/config_keys.h"

using namespace sluice;
using namespace std::chrono_literals;

namespace {

std::string readSource(const std::string& relative) {
  std::ifstream in(std::string(SLUICE_SOURCE_DIR) + "/" + relative);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The README row of a key: fixed defaults as code (a value one can write), run-dependent
// ones as the prose the declaration gives.
std::string readmeRow(const KeyInfo& key) {
  std::string def = key.run_dependent ? key.default_text
                    : key.default_text.empty() ? "`\"\"`"
                                               : "`" + key.default_text + "`";
  return "| `" + std::string(key.name) + "` | " + def + " | " + key.meaning + " |";
}

// The rows of the README table under the header `| key | default | meaning |`.
std::vector<std::string> readmeTableRows() {
  std::vector<std::string> all = lines(readSource("README.md"));
  auto header = std::find(all.begin(), all.end(), "| key | default | meaning |");
  REQUIRE(header != all.end());
  std::vector<std::string> rows;
  for (auto it = header + 2; it != all.end() && !it->empty() && it->front() == '|'; ++it) rows.push_back(*it);
  return rows;
}

}  // namespace

TEST_CASE("config keys: unique names, a meaning and a default each", "[common][config-keys]") {
  std::set<std::string> names;
  for (const KeyInfo& key : keys::all()) {
    INFO(key.name);
    std::string name = key.name;
    CHECK(names.insert(name).second);
    CHECK(std::regex_match(name, std::regex("[a-z][A-Za-z]*(\\.[a-z][A-Za-z]*)*")));
    CHECK(name.rfind("spark.", 0) != 0);  // Conf strips these prefixes
    CHECK(name.rfind("sluice.", 0) != 0);
    std::string meaning = key.meaning;
    CHECK_FALSE(meaning.empty());
    CHECK(meaning.find_first_of("|\n") == std::string::npos);
    if (key.run_dependent) {
      CHECK_FALSE(key.default_text.empty());
      CHECK(key.default_text.find_first_of("|\n") == std::string::npos);
      continue;
    }
    // A fixed default is shown as text that Conf reads as a value of the key's type.
    const std::string& def = key.default_text;
    switch (key.type) {
      case KeyType::kString: break;
      case KeyType::kBool: CHECK((def == "true" || def == "false")); break;
      case KeyType::kInt: CHECK(std::regex_match(def, std::regex("-?[0-9]+"))); break;
      case KeyType::kDouble: CHECK(std::regex_match(def, std::regex("-?[0-9.]+"))); break;
      case KeyType::kDuration: CHECK(parseDuration(def).isOk()); break;
      case KeyType::kBytes: CHECK(parseBytes(def).isOk()); break;
    }
  }
  CHECK(names.size() > 60);
}

TEST_CASE("config keys: every declaration in config_keys.h is in keys::all()", "[common][config-keys]") {
  std::regex declaration("^inline constexpr [A-Za-z<>:]+ k[A-Za-z]+\\{\\s*\"([^\"]+)\"");
  std::vector<std::string> declared;
  for (const std::string& line : lines(readSource("common/config_keys.h"))) {
    std::smatch m;
    if (std::regex_search(line, m, declaration)) declared.push_back(m[1]);
  }
  std::vector<std::string> listed;
  for (const KeyInfo& key : keys::all()) listed.push_back(key.name);
  CHECK(declared == listed);
}

TEST_CASE("config keys: durations and sizes format as text that parses back", "[common][config-keys]") {
  for (auto ms : {0ms, 100ms, 1500ms, 3000ms, 60000ms, 1800000ms, 604800000ms}) {
    INFO(ms.count());
    CHECK(*parseDuration(formatDuration(ms)) == ms);
  }
  CHECK(formatDuration(3s) == "3s");
  CHECK(formatDuration(30min) == "30min");
  CHECK(formatDuration(1500ms) == "1500ms");
  for (int64_t bytes : {int64_t{0}, int64_t{1000}, int64_t{64} << 20, int64_t{3} << 30, (int64_t{1} << 30) + 1}) {
    INFO(bytes);
    CHECK(*parseBytes(formatBytes(bytes)) == bytes);
  }
  CHECK(formatBytes(int64_t{256} << 20) == "256m");
  CHECK(formatBytes(1000) == "1000");
}

TEST_CASE("config keys: Conf reads a key's value, else its default", "[common][config-keys]") {
  Conf conf;
  CHECK(conf.get(keys::kTaskMaxFailures) == 4);
  CHECK(conf.get(keys::kLocalityWait) == 3s);
  CHECK(conf.get(keys::kRpcMaxFrameBytes) == (int64_t{256} << 20));
  CHECK(conf.get(keys::kSchedulerMode) == "FIFO");
  CHECK(conf.get(keys::kSpeculationQuantile) == 0.75);
  CHECK(conf.get(keys::kWorkerCleanupEnabled));
  CHECK(conf.get(keys::kLocalityWaitNode, 42ms) == 42ms);  // run-dependent: the caller's
  CHECK_FALSE(conf.contains(keys::kLocalityWaitNode));

  conf.set("spark.task.maxFailures", "7");
  conf.set("locality.wait", "250ms");
  conf.set("locality.wait.node", "1s");
  conf.set("rpc.maxFrameBytes", "1g");
  conf.set("scheduler.mode", "FAIR");
  conf.set("speculation.quantile", "0.5");
  conf.set("worker.cleanup.enabled", "false");
  CHECK(conf.get(keys::kTaskMaxFailures) == 7);
  CHECK(conf.get(keys::kLocalityWait) == 250ms);
  CHECK(conf.get(keys::kLocalityWaitNode, 42ms) == 1000ms);
  CHECK(conf.contains(keys::kLocalityWaitNode));
  CHECK(conf.get(keys::kRpcMaxFrameBytes) == (int64_t{1} << 30));
  CHECK(conf.get(keys::kSchedulerMode) == "FAIR");
  CHECK(conf.get(keys::kSpeculationQuantile) == 0.5);
  CHECK_FALSE(conf.get(keys::kWorkerCleanupEnabled));

  // A value that does not parse reads as the default (keys::validate refuses it at start).
  conf.set("task.maxFailures", "many");
  conf.set("speculation.quantile", "most");
  conf.set("locality.wait", "soon");
  CHECK(conf.get(keys::kTaskMaxFailures) == 4);
  CHECK(conf.get(keys::kSpeculationQuantile) == 0.75);
  CHECK(conf.get(keys::kLocalityWait) == 3s);
}

TEST_CASE("config keys: the README's configuration table lists exactly the declared keys",
          "[common][config-keys]") {
  std::vector<std::string> expected;
  for (const KeyInfo& key : keys::all()) expected.push_back(readmeRow(key));
  std::vector<std::string> rows = readmeTableRows();
  std::string table;
  for (const std::string& row : expected) table += row + "\n";
  // On a mismatch, the table to paste under the README's header, in the declarations' order.
  INFO("README.md's table should read:\n| key | default | meaning |\n|---|---|---|\n" + table);
  CHECK(rows == expected);
}

TEST_CASE("config keys: converted folders read no key through a string literal", "[common][config-keys]") {
  // Every folder of the engine, the benchmarks and the examples.
  const char* folders[] = {"common", "rpc",    "wal",    "rdd",   "scheduler", "driver",  "deploy",
                           "executor", "streaming", "master", "worker", "bench", "examples"};
  std::regex literal_read(
      "conf[A-Za-z_]*(\\(\\))?(\\.|->)(get|getInt|getBool|getDouble|getDuration|getBytes|contains|set)\\(\\s*\"");
  for (const char* folder : folders) {
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(std::string(SLUICE_SOURCE_DIR) + "/" + folder)) {
      auto ext = entry.path().extension();
      if (ext != ".cc" && ext != ".h") continue;
      std::string path = std::filesystem::relative(entry.path(), SLUICE_SOURCE_DIR).string();
      std::vector<std::string> text = lines(readSource(path));
      for (size_t i = 0; i < text.size(); ++i) {
        INFO(path << ":" << i + 1 << ": " << text[i]);
        CHECK_FALSE(std::regex_search(text[i], literal_read));
      }
    }
  }
}
