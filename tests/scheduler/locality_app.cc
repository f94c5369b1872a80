// locality: a streaming job over one rate receiver whose batches count their blocks; it
// reports where the block tasks ran, for the locality test.
//
//   sluice-submit --master sluice://... liblocality_app.so <seconds>
//
// Prints "block tasks <n> process_local <p> node_local <q> any <r> hosts <h>", where block
// tasks are the tasks with a preferred location and hosts is how many hosts ran them.
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <sluice/sluice.h>

namespace {

class LocalityCounter : public sluice::SchedulerListener {
 public:
  void onTaskEnd(const sluice::TaskEnd& end) override {
    if (end.locality == sluice::TaskLocality::kNoPref) return;
    if (end.state == sluice::rpc::TaskState::kFailed || end.state == sluice::rpc::TaskState::kKilled) return;
    std::lock_guard<std::mutex> lock(mu_);
    ++by_level_[end.locality];
    std::string host = end.executor_endpoint;
    if (auto p = host.find("://"); p != std::string::npos) host = host.substr(p + 3);
    hosts_.insert(host.substr(0, host.rfind(':')));
  }
  void print() {
    std::lock_guard<std::mutex> lock(mu_);
    int total = 0;
    for (auto& [level, n] : by_level_) total += n;
    std::cout << "block tasks " << total << " process_local " << by_level_[sluice::TaskLocality::kProcessLocal]
              << " node_local " << by_level_[sluice::TaskLocality::kNodeLocal] << " any "
              << by_level_[sluice::TaskLocality::kAny] << " hosts " << hosts_.size() << std::endl;
  }

 private:
  std::mutex mu_;
  std::map<sluice::TaskLocality, int> by_level_;
  std::set<std::string> hosts_;
};

}  // namespace

SLUICE_APP(ctx, args) {
  int seconds = args.empty() ? 5 : std::stoi(args[0]);
  LocalityCounter counter;
  ctx.addListener(&counter);
  {
    sluice::StreamingContext ssc(ctx, sluice::Seconds(1));
    ssc.rateStream(2000, 20).foreachRDD([](const sluice::RDD<std::string>& rdd) { rdd.count(); }, "count");
    ssc.start();
    ssc.awaitTermination(std::chrono::seconds(seconds));
    ssc.stop(false, false);
  }
  counter.print();
  ctx.stop();
  return 0;
}
