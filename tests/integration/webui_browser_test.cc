// The web UIs in a real browser: network_word_count on a standalone cluster against
// sluice-gen; its Streaming tab, a batch page, the master's page and the worker's log links
// are loaded in headless Chromium and checked on the rendered DOM. Without a chromium
// binary (scripts/install-deps.sh installs Debian's `chromium`) the cases say so and pass.
//
// With SLUICE_WEBUI_SHOTS=<dir>, the pages are also saved there as PNG screenshots.
#include <pwd.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <optional>
#include <regex>

#include "tests/integration/http_json.h"
#include "tests/integration/local_standalone_cluster.h"
#include "tests/integration/process_util.h"
#include "tests/integration/text_generator.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;

namespace {

// $SLUICE_CHROMIUM, else the first of chromium, chromium-browser, google-chrome on $PATH;
// none: a WARN line saying the test is skipped, and nullopt.
std::optional<std::string> chromiumBinary() {
  if (const char* set = std::getenv("SLUICE_CHROMIUM")) return std::string(set);
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    size_t begin = 0;
    while (begin <= dirs.size()) {
      size_t end = dirs.find(':', begin);
      if (end == std::string::npos) end = dirs.size();
      std::string candidate = dirs.substr(begin, end - begin) + "/" + name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
      begin = end + 1;
    }
  }
  WARN("SKIPPED: no chromium binary on $PATH (install Debian's `chromium`: scripts/install-deps.sh)");
  return std::nullopt;
}

// Headless Chromium, one process per page, each with its own profile dir under tmp.
class Browser {
 public:
  Browser(std::string binary, const TempDir& tmp) : binary_(std::move(binary)), tmp_(tmp) {}

  // The DOM of url once loaded and its scripts ran (for virtual_ms of page time when set).
  std::string dom(const std::string& url, int virtual_ms = 0) {
    std::vector<std::string> args{"--dump-dom", url};
    if (virtual_ms > 0) args.insert(args.begin(), "--virtual-time-budget=" + std::to_string(virtual_ms));
    Child c(argv(args), tmp_ / next("dom"));
    REQUIRE(c.started());
    auto exit = c.wait(90s);
    INFO(url << "\n" << c.err());
    REQUIRE(exit.has_value());
    REQUIRE(exit->exit_code == 0);
    return c.out();
  }
  // Saves a PNG of url to $SLUICE_WEBUI_SHOTS/<name>.png when that is set.
  void screenshot(const std::string& url, const std::string& name, int height = 1600) {
    const char* dir = std::getenv("SLUICE_WEBUI_SHOTS");
    if (!dir) return;
    Child c(argv({"--hide-scrollbars", "--window-size=1400," + std::to_string(height),
                  "--screenshot=" + std::string(dir) + "/" + name + ".png", url}),
            tmp_ / next("shot"));
    CHECK(c.wait(90s).has_value());
  }

 private:
  std::vector<std::string> argv(std::vector<std::string> args) {
    std::vector<std::string> out{binary_,          "--headless",
                                 "--no-sandbox",   "--disable-gpu",
                                 "--no-first-run", "--user-data-dir=" + tmp_ / next("profile")};
    out.insert(out.end(), args.begin(), args.end());
    return out;
  }
  std::string next(const std::string& what) {
    return "chromium-" + what + "-" + std::to_string(++n_);
  }

  std::string binary_;
  const TempDir& tmp_;
  int n_ = 0;
};

// The first <svg ...> element of html whose tag has css_class, or "".
std::string svgWithClass(const std::string& html, const std::string& css_class) {
  std::smatch m;
  std::regex re("<svg[^>]*class=\"[^\"]*\\b" + css_class + "\\b[^\"]*\"[^>]*>[\\s\\S]*?</svg>");
  return std::regex_search(html, m, re) ? m.str() : "";
}

// The element <table class="data <css_class>"> ... </table> of html, or "".
std::string tableWithClass(const std::string& html, const std::string& css_class) {
  std::smatch m;
  std::regex re("<table class=\"data " + css_class + "\">[\\s\\S]*?</table>");
  return std::regex_search(html, m, re) ? m.str() : "";
}

int dataPoints(const std::string& svg) {
  std::string n = firstCapture(svg, "data-points=\"([0-9]+)\"");
  return n.empty() ? -1 : std::stoi(n);
}

std::string currentUser() {
  struct passwd* pw = ::getpwuid(::getuid());
  return pw ? pw->pw_name : "";
}

std::string unescapeAmp(std::string s) { return std::regex_replace(s, std::regex("&amp;"), "&"); }

// A standalone cluster (one worker, two 1-core executors) running network_word_count
// against sluice-gen, with the driver UI on any port.
struct StreamingCluster {
  LocalStandaloneCluster cluster;
  std::unique_ptr<TextGenerator> gen;
  std::unique_ptr<StreamingDriverProcess> app;

  StreamingCluster(const std::string& name, int64_t rate, int batch_ms) : cluster(name) {
    cluster.startMaster();
    cluster.startWorker("worker-a", "127.0.0.1", 2, "2g");
    REQUIRE(cluster.waitAliveWorkers(1));
    gen = std::make_unique<TextGenerator>(cluster.tmp(), rate, 0);
    app = std::make_unique<StreamingDriverProcess>(
        submitArgv(
            cluster.url(),
            {"--name", "webui-word-count", "--executor-cores", "1", "--conf", "ui.port=0", "--conf",
             "streaming.blockInterval=50", libDir() + "/libnetwork_word_count.so", "127.0.0.1",
             std::to_string(gen->port), std::to_string(batch_ms), "0", cluster.tmp() / "out"}),
        cluster.tmp() / "app");
  }
  std::string uiUrl() const { return "http://127.0.0.1:" + std::to_string(app->ui_port); }
  std::string masterUrl() const {
    return "http://" + cluster.masterHost() + ":" + std::to_string(cluster.webPort());
  }
  // The page of a completed batch that had records and tasks (waits up to 30 s for one).
  std::string completedBatchHref() const {
    std::string href;
    REQUIRE(waitFor(
        [&] {
          for (const json& b : app->streaming("batches?status=COMPLETED")) {
            if (b["inputSize"].get<int64_t>() > 0 && !b["tasksByLocality"].empty()) {
              href = "/streaming/batch?id=" + std::to_string(b["batchId"].get<int64_t>());
              return true;
            }
          }
          return false;
        },
        30s));
    return href;
  }
};

}  // namespace

TEST_CASE(
    "web UI in Chromium: the Streaming tab of a running app charts its batches and the master page "
    "links to it",
    "[integration][webui]") {
  auto chromium = chromiumBinary();
  if (!chromium) return;  // skipped, with the WARN line chromiumBinary() gave
  StreamingCluster sc("webui-browser", 2000, 500);
  Browser browser(*chromium, sc.cluster.tmp());
  // Enough completed batches with records for every chart to have points.
  REQUIRE(waitFor(
      [&] {
        json s = sc.app->streaming("statistics");
        return s["numTotalCompletedBatches"].get<int64_t>() >= 6 &&
               s["numProcessedRecords"].get<int64_t>() > 0;
      },
      60s));

  // A completed batch that had records and tasks, for its page below.
  const std::string batch_href = sc.completedBatchHref();
  // A streaming application's UI lands on its Streaming page.
  const std::string page = browser.dom(sc.uiUrl() + "/");
  INFO(page.substr(page.find("<main")).substr(0, 3000));
  CHECK(page.find("<h1>Streaming Statistics</h1>") != std::string::npos);
  CHECK(page.find("Running batches of 500 ms") != std::string::npos);
  for (const char* metric : {"input-rate", "scheduling-delay", "processing-time", "total-delay"}) {
    INFO(metric);
    const std::string timeline = svgWithClass(page, std::string("timeline-") + metric);
    const std::string histogram = svgWithClass(page, std::string("histogram-") + metric);
    REQUIRE(!timeline.empty());
    REQUIRE(!histogram.empty());
    CHECK(dataPoints(timeline) >= 6);
    CHECK(countOf(timeline, "<circle") >= 6);
    CHECK(countOf(firstCapture(timeline, "<path class=\"line\" d=\"([^\"]*)\""), " L") >= 5);
    CHECK(countOf(histogram, "<rect class=\"bar\"") >= 1);
  }
  // Records came in: the input rate's average is a number of records per second.
  CHECK(std::regex_search(page, std::regex("avg [0-9,.]+ records/s")));
  const std::string receivers = tableWithClass(page, "receivers");
  CHECK(countOf(receivers, "<tr>") == 2);  // the header and one receiver
  CHECK(receivers.find(">ACTIVE</td>") != std::string::npos);
  CHECK(receivers.find("127.0.0.1") != std::string::npos);

  // After its auto-refresh swapped the content in (every 5 s), the page is whole, once.
  const std::string refreshed = browser.dom(sc.uiUrl() + "/streaming/", 12000);
  CHECK(countOf(refreshed, "<h1>Streaming Statistics</h1>") == 1);
  CHECK(countOf(refreshed, "id=\"content\"") == 1);
  CHECK(countOf(refreshed, "<path class=\"line\"") == 4);

  // Its page, linked from the Streaming tab.
  CHECK(page.find("href=\"" + batch_href + "\"") != std::string::npos);
  const std::string batch = browser.dom(sc.uiUrl() + batch_href);
  CHECK(batch.find("Details of batch at") != std::string::npos);
  CHECK(countOf(tableWithClass(batch, "output-ops"), "<tr>") ==
        3);  // with an output prefix, two output ops
  CHECK(countOf(tableWithClass(batch, "jobs"), "<tr>") >= 2);
  CHECK(batch.find("PROCESS_LOCAL") != std::string::npos);

  // The master's page: the running app, linked to the driver's UI, with its user and cores.
  REQUIRE(waitFor(
      [&] {
        httplib::Client http(sc.cluster.masterHost(), sc.cluster.webPort());
        auto res = http.Get("/");
        return res && res->body.find("href=\"" + sc.uiUrl() + "\"") != std::string::npos;
      },
      20s));
  const std::string master = browser.dom(sc.masterUrl());
  const std::string apps = tableWithClass(master, "running-apps");
  INFO(apps);
  CHECK(apps.find("<a href=\"" + sc.uiUrl() + "\">webui-word-count</a>") != std::string::npos);
  CHECK(apps.find(sc.app->app_id) != std::string::npos);
  CHECK(apps.find("<td>" + currentUser() + "</td>") != std::string::npos);
  CHECK(apps.find("<td class=\"num\">2</td>") != std::string::npos);  // two 1-core executors

  // The worker's page links each executor's logs; a log opens.
  const std::string worker_url =
      "http://127.0.0.1:" + std::to_string(sc.cluster.workerWebPort("worker-a"));
  const std::string worker = browser.dom(worker_url);
  const std::string log_href =
      unescapeAmp(firstCapture(worker, "href=\"(/logPage\\?[^\"]*logType=stderr)\""));
  REQUIRE(!log_href.empty());
  const std::string log = browser.dom(worker_url + log_href);
  CHECK(log.find("<pre class=\"log\">") != std::string::npos);
  CHECK(log.find("stderr of executor " + sc.app->app_id) != std::string::npos);

  browser.screenshot(sc.uiUrl() + "/streaming/", "streaming-healthy", 2000);
  browser.screenshot(sc.uiUrl() + batch_href, "batch-page", 1100);
  // The Jobs page, in the same look, with the Streaming tab in its header.
  const std::string jobs = browser.dom(sc.uiUrl() + "/jobs/");
  CHECK(jobs.find("<h1>Jobs</h1>") != std::string::npos);
  CHECK(jobs.find("href=\"/streaming/\"") != std::string::npos);
  CHECK(jobs.find("streaming-batch-") != std::string::npos);  // the batches' jobs, in their job groups
  browser.screenshot(sc.uiUrl() + "/jobs/", "jobs", 1100);
  browser.screenshot(sc.masterUrl(), "master", 1000);
  browser.screenshot(worker_url, "worker", 900);
  browser.screenshot(worker_url + log_href, "worker-log", 900);
}

TEST_CASE("web UI in Chromium: an app that cannot keep up with a 5 ms interval is shown overloaded",
          "[integration][webui]") {
  auto chromium = chromiumBinary();
  if (!chromium) return;  // skipped, with the WARN line chromiumBinary() gave
  // Two jobs per batch on a cluster take far longer than 5 ms: batches pile up.
  StreamingCluster sc("webui-overload", 20000, 5);
  Browser browser(*chromium, sc.cluster.tmp());
  REQUIRE(waitFor(
      [&] { return sc.app->streaming("statistics")["numActiveBatches"].get<int64_t>() >= 20; },
      60s));
  // A completed batch that had records and tasks, for its page below.
  const std::string batch_href = sc.completedBatchHref();
  const std::string page = browser.dom(sc.uiUrl() + "/streaming/");
  CHECK(page.find("class=\"summary bad\"") != std::string::npos);
  CHECK(std::regex_search(page, std::regex("Overloaded: [0-9]+ batches queued")));
  CHECK(page.find("Page 1 of") != std::string::npos);  // the active batches span pages
  browser.screenshot(sc.uiUrl() + "/streaming/", "streaming-overloaded", 2000);
}
