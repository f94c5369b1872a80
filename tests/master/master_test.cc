// The master in-process on loopback, with fake workers and drivers: Transports that speak
// the standalone protocol and record what the master sends them.
#include "master/master.h"

#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

namespace sluice::master {
namespace {

using namespace std::chrono_literals;
using rpc::MessageTag;

// A DEALER-side peer of the master whose handler queues everything it receives.
class FakePeer {
 public:
  FakePeer(std::string name, std::string master_endpoint)
      : master_(rpc::Peer::dealer(std::move(master_endpoint))), transport_(std::move(name)) {
    transport_.setHandler([this](const rpc::Peer&, rpc::Envelope&& env) {
      std::lock_guard<std::mutex> lock(mu_);
      inbox_.push_back(std::move(env));
      cv_.notify_all();
    });
    transport_.start();
  }

  template <class Reply, class M>
  Reply call(const M& msg) {
    auto env = transport_.call(master_, msg, 5000ms);
    REQUIRE(env);
    auto reply = rpc::decodeAs<Reply>(*env);
    REQUIRE(reply);
    return *reply;
  }
  template <class M>
  void send(const M& msg) { transport_.send(master_, msg); }
  void sendRaw(std::string frame) { transport_.send(master_, std::move(frame)); }

  // Takes the first received message of type M, waiting up to `limit` for it.
  template <class M>
  std::optional<M> take(std::chrono::milliseconds limit = 5000ms) {
    std::unique_lock<std::mutex> lock(mu_);
    std::optional<M> out;
    cv_.wait_for(lock, limit, [&] {
      for (auto it = inbox_.begin(); it != inbox_.end(); ++it) {
        if (it->tag != M::kTag) continue;
        auto m = rpc::decodeAs<M>(*it);
        inbox_.erase(it);
        if (m) out = std::move(*m);
        return true;
      }
      return false;
    });
    return out;
  }

 private:
  rpc::Peer master_;
  rpc::Transport transport_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<rpc::Envelope> inbox_;
};

// Heartbeats for a worker until destroyed.
class Heartbeater {
 public:
  Heartbeater(FakePeer& peer, std::string worker_id, std::chrono::milliseconds every)
      : thread_([this, &peer, worker_id, every] {
          std::unique_lock<std::mutex> lock(mu_);
          while (!cv_.wait_for(lock, every, [&] { return stop_; })) peer.send(rpc::WorkerHeartbeat{worker_id});
        }) {}
  ~Heartbeater() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = 5000ms) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

MasterOptions testOptions(const std::string& recovery_dir = "", const char* worker_timeout = "1s") {
  MasterOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  o.webui_port = 0;
  o.recovery_dir = recovery_dir;
  o.conf.set("worker.timeout", worker_timeout);
  return o;
}

rpc::RegisterWorker workerRequest(const std::string& id, int cores, int64_t memory_mb) {
  rpc::RegisterWorker r;
  r.worker_id = id;
  r.host = "127.0.0.1";
  r.endpoint = "tcp://127.0.0.1:1";  // never contacted in these tests
  r.web_port = 8081;
  r.cores = cores;
  r.memory_mb = memory_mb;
  return r;
}

rpc::RegisterApplication appRequest(int executor_cores, int64_t memory_mb, int max_cores) {
  rpc::RegisterApplication r;
  r.name = "test app";
  r.user = "alice";
  r.driver_endpoint = "tcp://127.0.0.1:2";
  r.executor_cores = executor_cores;
  r.executor_memory_mb = memory_mb;
  r.max_cores = max_cores;
  return r;
}

nlohmann::json getJson(const Master& master) {
  httplib::Client client(master.webUrl());
  client.set_read_timeout(5, 0);
  auto res = client.Get("/json");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  return nlohmann::json::parse(res->body);
}

TEST_CASE("master: workers, applications, executors, worker loss, web UI, bad input", "[master]") {
  Master master(testOptions());
  REQUIRE(master.start());
  CHECK_THAT(master.url(), Catch::StartsWith("sluice://127.0.0.1:"));
  CHECK_THAT(master.webUrl(), Catch::StartsWith("http://127.0.0.1:"));

  FakePeer worker("fake-worker", master.endpoint());
  auto reg = worker.call<rpc::RegisterWorkerReply>(workerRequest("w1", 4, 4096));
  REQUIRE(reg.ok);
  CHECK(reg.master_url == master.url());
  CHECK(reg.heartbeat_ms == 250);  // worker.timeout / 4
  auto beats = std::make_unique<Heartbeater>(worker, "w1", 100ms);

  // A second worker with the same id is refused while w1 is alive.
  FakePeer impostor("impostor", master.endpoint());
  auto dup = impostor.call<rpc::RegisterWorkerReply>(workerRequest("w1", 2, 1024));
  CHECK_FALSE(dup.ok);
  CHECK(dup.error == "duplicate worker id w1");

  // A heartbeat from a worker the master does not know asks it to register.
  impostor.send(rpc::WorkerHeartbeat{"nobody"});
  REQUIRE(impostor.take<rpc::ReconnectWorker>());

  // An application asking for 2-core executors gets two on the 4-core worker.
  FakePeer driver("fake-driver", master.endpoint());
  auto app = driver.call<rpc::RegisterApplicationReply>(appRequest(2, 1024, 0));
  REQUIRE(app.ok);
  CHECK_THAT(app.app_id, Catch::Matches("app-[0-9]{14}-[0-9]{4}"));
  std::set<std::string> exec_ids;
  for (int i = 0; i < 2; ++i) {
    auto launch = worker.take<rpc::LaunchExecutor>();
    REQUIRE(launch);
    CHECK(launch->app_id == app.app_id);
    CHECK(launch->cores == 2);
    CHECK(launch->memory_mb == 1024);
    CHECK(launch->driver_endpoint == "tcp://127.0.0.1:2");
    exec_ids.insert(launch->executor_id);
    auto added = driver.take<rpc::ExecutorAdded>();
    REQUIRE(added);
    CHECK(added->worker_id == "w1");
    CHECK(added->cores == 2);
  }
  CHECK(exec_ids == std::set<std::string>{"0", "1"});
  CHECK_FALSE(worker.take<rpc::LaunchExecutor>(100ms));  // no room for a third

  // The driver's re-registration keeps its id and does not add executors; it carries the
  // driver UI's URL once that serves, which the master's page then links to.
  auto again_req = appRequest(2, 1024, 0);
  again_req.app_id = app.app_id;
  again_req.app_ui_url = "http://127.0.0.1:4040";
  auto again = driver.call<rpc::RegisterApplicationReply>(again_req);
  CHECK(again.ok);
  CHECK(again.app_id == app.app_id);
  CHECK(master.inspect([](const MasterState& s) { return s.apps.begin()->second.desc.app_ui_url; }) ==
        "http://127.0.0.1:4040");

  // Executor 0 reports RUNNING: forwarded to the driver.
  rpc::ExecutorStateChanged running{app.app_id, "0", "w1", "127.0.0.1", rpc::ExecutorState::kRunning, "", 0};
  worker.send(running);
  auto fwd = driver.take<rpc::ExecutorStateChanged>();
  REQUIRE(fwd);
  CHECK(fwd->state == rpc::ExecutorState::kRunning);

  // The web UI's JSON.
  auto json = getJson(master);
  CHECK(json["url"] == master.url());
  CHECK(json["status"] == "ALIVE");
  CHECK(json["aliveworkers"] == 1);
  CHECK(json["cores"] == 4);
  CHECK(json["coresused"] == 4);
  CHECK(json["memory"] == 4096);
  CHECK(json["memoryused"] == 2048);
  REQUIRE(json["workers"].size() == 1);
  const auto& w = json["workers"][0];
  CHECK(w["id"] == "w1");
  CHECK(w["host"] == "127.0.0.1");
  CHECK(w["webuiaddress"] == "http://127.0.0.1:8081");
  CHECK(w["coresfree"] == 0);
  CHECK(w["memoryfree"] == 2048);
  CHECK(w["state"] == "ALIVE");
  CHECK(w["lastheartbeat"].get<int64_t>() > 1600000000000);
  REQUIRE(json["activeapps"].size() == 1);
  const auto& a = json["activeapps"][0];
  CHECK(a["id"] == app.app_id);
  CHECK(a["name"] == "test app");
  CHECK(a["cores"] == 4);
  CHECK(a["memoryperslave"] == 1024);
  CHECK(a["state"] == "RUNNING");
  for (const char* key : {"starttime", "user", "submitdate", "duration"}) CHECK(a.contains(key));
  CHECK(a["user"] == "alice");  // the user the driver reported
  CHECK(json["completedapps"].empty());
  CHECK(json["activedrivers"].empty());
  CHECK(json["completeddrivers"].empty());
  {
    httplib::Client client(master.webUrl());
    auto page = client.Get("/");
    REQUIRE(page);
    CHECK_THAT(page->body, Catch::Contains("Workers") && Catch::Contains("w1") && Catch::Contains(app.app_id));
  }

  // Garbage, a bad payload and an unexpected message do not stop the master.
  worker.sendRaw("this is not a frame");
  worker.sendRaw(rpc::encodeFrame(MessageTag::kRegisterWorker, "\x05\x01"));
  worker.sendRaw(rpc::encodeFrame(MessageTag::kLaunchTask, ""));
  auto status = worker.call<rpc::DriverStatusReply>(rpc::DriverStatusRequest{"driver-none"});
  CHECK_FALSE(status.found);

  // The worker goes silent: after worker.timeout it is DEAD and the driver learns that
  // its executors are lost.
  beats.reset();
  std::set<std::string> lost;
  for (int i = 0; i < 2; ++i) {
    auto change = driver.take<rpc::ExecutorStateChanged>(5000ms);
    REQUIRE(change);
    CHECK(change->state == rpc::ExecutorState::kLost);
    CHECK(change->message == "worker w1 lost");
    lost.insert(change->executor_id);
  }
  CHECK(lost == exec_ids);
  json = getJson(master);
  CHECK(json["aliveworkers"] == 0);
  CHECK(json["workers"][0]["state"] == "DEAD");
  CHECK(json["activeapps"][0]["cores"] == 0);

  // The dead worker may register again; the waiting application gets executors on it
  // with fresh ids.
  auto back = worker.call<rpc::RegisterWorkerReply>(workerRequest("w1", 4, 4096));
  CHECK(back.ok);
  auto relaunch = worker.take<rpc::LaunchExecutor>();
  REQUIRE(relaunch);
  CHECK((relaunch->executor_id == "2" || relaunch->executor_id == "3"));

  // Unregistering kills the app's executors and completes it.
  worker.send(rpc::WorkerHeartbeat{"w1"});
  driver.send(rpc::UnregisterApplication{app.app_id, false});
  REQUIRE(worker.take<rpc::KillExecutor>());
  REQUIRE(eventually([&] { return getJson(master)["completedapps"].size() == 1; }));
  json = getJson(master);
  CHECK(json["completedapps"][0]["state"] == "FINISHED");
  master.stop();
}

TEST_CASE("master: cluster-mode driver is placed, fetched, reported and killed", "[master]") {
  Master master(testOptions());
  REQUIRE(master.start());
  FakePeer worker("fake-worker", master.endpoint());
  REQUIRE(worker.call<rpc::RegisterWorkerReply>(workerRequest("w1", 4, 4096)).ok);
  Heartbeater beats(worker, "w1", 100ms);

  FakePeer submit("fake-submit", master.endpoint());
  rpc::SubmitDriver req;
  req.app_name = "wc";
  req.app_file_name = "libwc.so";
  req.app_bytes = std::string(3000, 'a') + std::string(2000, 'b');
  req.app_args = {"x"};
  req.driver_cores = 1;
  req.driver_memory_mb = 512;
  auto sub = submit.call<rpc::SubmitDriverReply>(req);
  REQUIRE(sub.ok);
  CHECK_THAT(sub.driver_id, Catch::Matches("driver-[0-9]{14}-[0-9]{4}"));

  auto launch = worker.take<rpc::LaunchDriver>();
  REQUIRE(launch);
  CHECK(launch->driver_id == sub.driver_id);
  CHECK(launch->app_size == 5000);
  CHECK(launch->app_args == std::vector<std::string>{"x"});
  std::string fetched;
  while (static_cast<int64_t>(fetched.size()) < launch->app_size) {
    auto chunk = worker.call<rpc::FetchDriverAppReply>(
        rpc::FetchDriverApp{sub.driver_id, static_cast<int64_t>(fetched.size()), 1024});
    REQUIRE(chunk.error.empty());
    REQUIRE_FALSE(chunk.bytes.empty());
    fetched += chunk.bytes;
  }
  CHECK(fetched == req.app_bytes);
  CHECK_FALSE(worker.call<rpc::FetchDriverAppReply>(rpc::FetchDriverApp{"driver-x", 0, 10}).error.empty());

  auto status = submit.call<rpc::DriverStatusReply>(rpc::DriverStatusRequest{sub.driver_id});
  CHECK(status.found);
  CHECK(status.state == rpc::DriverState::kRunning);
  CHECK(status.worker_id == "w1");

  auto kill = submit.call<rpc::KillDriverReply>(rpc::KillDriver{sub.driver_id});
  CHECK(kill.ok);
  REQUIRE(worker.take<rpc::KillDriver>());
  worker.send(rpc::DriverStateChanged{sub.driver_id, rpc::DriverState::kKilled, "killed by request", 0});
  REQUIRE(eventually([&] {
    return submit.call<rpc::DriverStatusReply>(rpc::DriverStatusRequest{sub.driver_id}).state ==
           rpc::DriverState::kKilled;
  }));
  CHECK_FALSE(submit.call<rpc::KillDriverReply>(rpc::KillDriver{sub.driver_id}).ok);
  auto json = getJson(master);
  REQUIRE(json["completeddrivers"].size() == 1);
  CHECK(json["completeddrivers"][0]["state"] == "KILLED");
  CHECK(json["completeddrivers"][0]["mainclass"] == "libwc.so");
  CHECK(json["workers"][0]["coresused"] == 0);
}

TEST_CASE("master: a restarted master recovers workers, applications and executors", "[master]") {
  namespace fs = std::filesystem;
  std::string tmpl = (fs::temp_directory_path() / "sluice-master-recovery-XXXXXX").string();
  const std::string dir = ::mkdtemp(tmpl.data());
  std::string app_id;
  {
    // A long timeout: recovery must end by the workers' and driver's return, not by it.
    Master first(testOptions(dir, "5s"));
    REQUIRE(first.start());
    FakePeer worker("fake-worker", first.endpoint());
    REQUIRE(worker.call<rpc::RegisterWorkerReply>(workerRequest("w1", 2, 4096)).ok);
    FakePeer driver("fake-driver", first.endpoint());
    auto app = driver.call<rpc::RegisterApplicationReply>(appRequest(1, 512, 0));
    REQUIRE(app.ok);
    app_id = app.app_id;
    REQUIRE(worker.take<rpc::LaunchExecutor>());
    REQUIRE(worker.take<rpc::LaunchExecutor>());
    first.stop();
  }
  Master second(testOptions(dir, "5s"));
  REQUIRE(second.start());
  CHECK(second.inspect([](const MasterState& s) {
    return s.workers.at("w1").state == rpc::WorkerState::kUnknown && s.apps.size() == 1;
  }));
  FakePeer worker("fake-worker-2", second.endpoint());
  worker.send(rpc::WorkerHeartbeat{"w1"});
  REQUIRE(worker.take<rpc::ReconnectWorker>());
  auto req = workerRequest("w1", 2, 4096);
  req.executor_keys = {app_id + "/0", app_id + "/1", "app-gone/0"};
  REQUIRE(worker.call<rpc::RegisterWorkerReply>(req).ok);
  auto kill = worker.take<rpc::KillExecutor>();  // the executor of an unknown app
  REQUIRE(kill);
  CHECK(kill->app_id == "app-gone");

  FakePeer driver("fake-driver-2", second.endpoint());
  auto rereg_req = appRequest(1, 512, 0);
  rereg_req.app_id = app_id;
  REQUIRE(driver.call<rpc::RegisterApplicationReply>(rereg_req).ok);
  // Both executors are kept, so nothing new is launched; the next id is 2.
  CHECK_FALSE(worker.take<rpc::LaunchExecutor>(200ms));
  CHECK(second.inspect([&](const MasterState& s) {
    const ApplicationInfo& a = s.apps.at(app_id);
    const WorkerInfo& w = s.workers.at("w1");
    return a.executors.size() == 2 && a.next_executor_id == 2 && w.state == rpc::WorkerState::kAlive &&
           w.cores_used == 2;
  }));
  second.stop();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sluice::master
