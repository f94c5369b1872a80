#include "bench/tune/tune_options.h"

#include <boost/program_options.hpp>
#include <sstream>

#include "common/auth_secret.h"
#include "common/conf.h"

namespace po = boost::program_options;

namespace sluice::tune {
namespace {

constexpr const char* kUsage = R"(Usage: sluice-tune [options] <app.so> [app arguments]

Runs your streaming application, as sluice-submit runs it, once per point of a grid of
batch intervals (and, for a source with receivers, input rates), and tells you the
shortest batch interval that keeps up and the highest rate each interval sustains.

For every point and repeat it starts sluice-submit (client mode) with
  --conf streaming.batchDuration=<interval>        (the interval from configuration)
  --conf streaming.receiver.maxRate=<rate>         (only with --rates)
  --conf ui.port=0                                 (the driver's REST API on a free port)
waits for the driver's REST API and its first batch, lets it run --warmup, measures
--measure, reads every batch's metrics (/api/v1/applications/<id>/streaming/batches),
and stops it (SIGTERM, SIGKILL after --stop-timeout). Ctrl-C stops the run in progress
and writes what was measured so far.

The application's arguments may hold placeholders, replaced for each run:
  {interval_ms}    the interval in milliseconds ("250"), for apps that take it as an argument
  {interval}       the interval as a duration ("250ms", "1s")
  {rate}           the rate of the point (records/s; 0 without --rates)
  {interval_ms/N}  the interval divided by N, at least 1 (e.g. a block interval)
The same placeholders work in --conf values, e.g. --conf streaming.blockInterval={interval_ms/2}.

The rate grid: maxRate limits each receiver (socketTextStream, rateStream, custom
receivers), so --rates needs a receiver-based source that can deliver at least the
highest rate (e.g. sluice-gen --rate 0, which sends as fast as the receiver reads).
The rate offered is the rate times the number of receivers.

A run is stable when, over its measured batches: the least-squares trend of scheduling
delay, times the measured span, is at most --trend-tolerance x the interval (the queue
does not grow); no batch is still queued a whole interval after its batch time at the
end; the p99 total delay is below the interval; at least --min-batches batches were
measured; and, with a rate, the records of the measured batches per second of stream
are at least --min-sustained of the offered records/s. A point is stable when every
repeat of it is. A point that contradicts its neighbours (stable at a shorter interval
but not at a longer one at the same rate, or at a higher rate but not a lower one at
the same interval) is measured once more, and flagged if it still contradicts. The
answer for a rate is the shortest interval from which every longer one was stable (for
an interval, the highest rate below which every rate was): a stable point below an
unstable one is not taken, and the verdict line flags it.

During each run a thread pinned to each CPU wakes every millisecond: a gap of an
interval or more means the machine itself paused that CPU (a shared virtual machine's
host does so when all its CPUs are busy). An unstable run's reason counts those pauses,
since no application keeps a batch on time through them (summary.csv: machine_stalls).

It writes into --out DIR: batches.csv (every batch of every run), summary.csv (one row
per run with its verdict and why), plots/*.png (gnuplot: total delay against interval
per rate, records/s processed against offered, each run's delay timeline), report.html (all
of it, with relative links), verdicts.txt and logs/ (each driver's stdout and stderr).
On stdout: "shortest stable interval at R records/s: X ms" per rate and, with --rates,
"highest sustainable rate at interval I ms: R records/s" per interval. Progress goes to
stderr.

Example (network_word_count against sluice-gen on a standalone master):
  sluice-gen --port 9999 --rate 0 &
  sluice-tune --intervals 250ms,500ms,1s --rates 100000,200000 --repeat 2 \
      --warmup 5s --measure 20s --out tune-nwc --master sluice://127.0.0.1:7077 \
      libnetwork_word_count.so 127.0.0.1 9999

Options)";

Status invalid(const std::string& m) { return Status::invalidArgument(m); }

// Options end at the first argument that is neither an option nor an option's value.
int splitAtApp(int argc, const char* const* argv, const po::options_description& desc) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind('-', 0) != 0) return i;
    if (arg == "--") return i;  // "--" ends the options; the app follows it
    if (arg.find('=') != std::string::npos) continue;
    const auto* opt = desc.find_nothrow(arg.substr(arg.find_first_not_of('-')), false);
    if (opt && opt->semantic()->max_tokens() > 0) ++i;
  }
  return argc;
}

StatusOr<std::chrono::milliseconds> positiveDuration(const std::string& flag,
                                                     const std::string& text) {
  auto d = parseDuration(text);
  if (!d) return invalid("--" + flag + ": " + d.status().message());
  if (d->count() <= 0) return invalid("--" + flag + " must be positive, not '" + text + "'");
  return *d;
}

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    auto b = item.find_first_not_of(' '), e = item.find_last_not_of(' ');
    if (b != std::string::npos) items.push_back(item.substr(b, e - b + 1));
  }
  return items;
}

// The key of "k=v" without Conf's optional "spark." or "sluice." prefix.
std::string confKey(const std::string& kv) {
  std::string key = kv.substr(0, kv.find('='));
  for (const char* prefix : {"spark.", "sluice."})
    if (key.rfind(prefix, 0) == 0) return key.substr(std::string(prefix).size());
  return key;
}

}  // namespace

StatusOr<std::vector<int64_t>> parseIntervalList(const std::string& text) {
  std::vector<int64_t> out;
  for (const auto& item : splitList(text)) {
    auto d = positiveDuration("intervals", item);
    if (!d) return d.status();
    out.push_back(d->count());
  }
  if (out.empty()) return invalid("--intervals: no interval in '" + text + "'");
  return out;
}

StatusOr<std::vector<int64_t>> parseRateList(const std::string& text) {
  std::vector<int64_t> out;
  for (const auto& item : splitList(text)) {
    size_t used = 0;
    int64_t r = 0;
    try {
      r = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || r <= 0)
      return invalid("--rates: '" + item + "' is not a positive number of records/s");
    out.push_back(r);
  }
  if (out.empty()) return invalid("--rates: no rate in '" + text + "'");
  return out;
}

StatusOr<ParsedCommandLine> parseTuneOptions(int argc, const char* const* argv) {
  ParsedCommandLine parsed;
  TuneOptions& o = parsed.options;
  std::string intervals = "100ms,250ms,500ms,1s", rates, warmup = "10s", measure = "30s",
              start_timeout = "120s", stop_timeout = "30s";
  po::options_description desc(kUsage);
  desc.add_options()("help,h", "show this help")("intervals",
                                                 po::value(&intervals)->default_value(intervals),
                                                 "batch intervals to try, comma-separated")(
      "rates", po::value(&rates),
      "records/s per receiver to try, comma-separated (applied as streaming.receiver.maxRate); "
      "default: not limited")("repeat", po::value(&o.repeat)->default_value(o.repeat),
                              "runs per point")(
      "warmup", po::value(&warmup)->default_value(warmup),
      "time from the first completed batch to the measured period")(
      "measure", po::value(&measure)->default_value(measure), "length of the measured period")(
      "out", po::value(&o.out_dir)->default_value(o.out_dir),
      "directory for the CSVs, plots, report and logs")(
      "trend-tolerance",
      po::value(&o.criteria.trend_tolerance)->default_value(o.criteria.trend_tolerance, "0.5"),
      "largest growth of scheduling delay over the measured period, in intervals")(
      "min-batches", po::value(&o.criteria.min_batches)->default_value(o.criteria.min_batches),
      "fewest measured batches for a stable verdict")(
      "min-sustained",
      po::value(&o.criteria.min_sustained)->default_value(o.criteria.min_sustained, "0.9"),
      "fraction of the offered records/s that must get through (with --rates)")(
      "no-remeasure",
      "do not measure a point that contradicts its neighbours again (only flag it)")(
      "start-timeout", po::value(&start_timeout)->default_value(start_timeout),
      "longest wait from launch to the first completed batch")(
      "stop-timeout", po::value(&stop_timeout)->default_value(stop_timeout),
      "wait after SIGTERM before SIGKILL")(
      "submit", po::value(&o.submit_path),
      "sluice-submit to run (default: the one next to sluice-tune, then $PATH)")(
      "gnuplot", po::value(&o.gnuplot)->default_value(o.gnuplot), "gnuplot to run for the plots")(
      "no-plots", "write no plots (no gnuplot needed)")(
      "master", po::value(&o.master)->default_value(o.master),
      "passed to sluice-submit: local[N], local-cluster[W,C,M] or sluice://host:port")(
      "conf", po::value(&o.confs), "passed to sluice-submit: key=value configuration (repeatable)")(
      "properties-file", po::value<std::string>(), "passed to sluice-submit")(
      "executor-cores", po::value<std::string>(), "passed to sluice-submit")(
      "executor-memory", po::value<std::string>(), "passed to sluice-submit")(
      "total-executor-cores", po::value<std::string>(), "passed to sluice-submit")(
      "name", po::value<std::string>(), "passed to sluice-submit");
  std::ostringstream help;
  help << desc;
  parsed.help_text = help.str();
  for (int i = 0; i < argc; ++i) o.command_line += (i ? " " : "") + std::string(argv[i]);

  int app_index = splitAtApp(argc, argv, desc);
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(app_index, argv, desc), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    return invalid(e.what());
  }
  if (vm.count("help")) {
    parsed.help = true;
    return parsed;
  }
  for (const char* flag :
       {"properties-file", "executor-cores", "executor-memory", "total-executor-cores", "name"})
    if (vm.count(flag)) {
      o.submit_flags.push_back(std::string("--") + flag);
      o.submit_flags.push_back(vm[flag].as<std::string>());
    }
  if (app_index < argc && std::string(argv[app_index]) == "--") ++app_index;
  if (app_index >= argc)
    return invalid("no application library given (sluice-tune [options] <app.so> [app arguments])");
  o.app_path = argv[app_index];
  for (int i = app_index + 1; i < argc; ++i) o.app_args.push_back(argv[i]);

  auto ivs = parseIntervalList(intervals);
  if (!ivs) return ivs.status();
  o.intervals_ms = *ivs;
  if (!rates.empty()) {
    auto rs = parseRateList(rates);
    if (!rs) return rs.status();
    o.rates = *rs;
  }
  if (o.repeat < 1) return invalid("--repeat must be at least 1");
  for (auto [flag, text, dest] :
       {std::tuple{"warmup", &warmup, &o.warmup}, std::tuple{"measure", &measure, &o.measure},
        std::tuple{"start-timeout", &start_timeout, &o.start_timeout},
        std::tuple{"stop-timeout", &stop_timeout, &o.stop_timeout}}) {
    auto d = positiveDuration(flag, *text);
    if (!d) return d.status();
    *dest = *d;
  }
  if (o.criteria.trend_tolerance < 0) return invalid("--trend-tolerance must not be negative");
  if (o.criteria.min_sustained < 0 || o.criteria.min_sustained > 1)
    return invalid("--min-sustained must be in [0, 1]");
  o.remeasure = vm.count("no-remeasure") == 0;
  o.plots = vm.count("no-plots") == 0;
  for (const auto& kv : o.confs) {
    if (kv.find('=') == std::string::npos)
      return invalid("--conf expects key=value, not '" + kv + "'");
    std::string key = confKey(kv);
    if (key == "streaming.batchDuration" || key == "streaming.receiver.maxRate")
      return invalid("--conf " + key +
                     ": sluice-tune sets it for each run (use --intervals / --rates)");
    if (key == "ui.enabled" && kv.substr(kv.find('=') + 1) == "false")
      return invalid(
          "--conf ui.enabled=false: sluice-tune reads the metrics from the driver's REST API");
  }
  Conf conf;
  for (const auto& kv : o.confs) {
    if (Status st = conf.setPair(kv); !st) return invalid("--conf: " + st.message());
  }
  auto secret = auth::clusterSecret(conf);
  if (!secret) return invalid(secret.status().message());
  o.ui_secret = *secret;
  return parsed;
}

}  // namespace sluice::tune
