// sluice-gen: serves generated text lines over TCP, the input of socketTextStream demos,
// tests and benchmarks (like `nc -lk` fed by a generator).
//
//   sluice-gen --port 9999 --rate 100000 [--count N] [--host 127.0.0.1] [--rate-steps 20s:500000,40s:100000]
//
// Accepts one connection at a time and writes --rate lines per second to it (0: as fast as
// the peer reads), each of 1 to --max-words words from a vocabulary of --vocabulary words
// ("w0", "w1", ...), drawn from a fixed seed. With --count it stops after N lines, closes
// the connection and exits. Progress goes to stderr every second; the totals go to stdout
// as one machine-readable line when it ends (at --count, SIGINT or SIGTERM):
//
//   sluice-gen sent_lines=N sent_words=W
//
// --rate-steps changes the rate while a connection is served: "20s:500000,40s:100000" is
// --rate for its first 20 s, 500000 lines/s from 20 s on and 100000 from 40 s on (a step
// input for bench/adaptive_step.sh). Each step is logged to stderr with the wall-clock time
// it took effect at, in milliseconds since the epoch (batch times are on that clock):
//
//   sluice-gen: rate 500000 lines/s from epoch_ms=1700000000000
//
// --numbered turns on the acknowledged protocol of reliable receivers: line i is
// "<i> <words...>" (i = 0, 1, ...), and the client writes "ACK <i>\n" lines back, each
// meaning "every line up to i is stored". When a connection ends, the next one resumes
// after the last acknowledged line, sending the unacknowledged ones again. With --count N
// it exits once line N-1 is acknowledged (sent_lines counts distinct lines; the end line
// adds acked=<last acked + 1> resent_lines=<lines sent again>).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <boost/program_options.hpp>

namespace {

std::atomic<bool> g_stop{false};

void onSignal(int) { g_stop = true; }

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  int64_t rate = 0;
  int64_t count = 0;
  int vocabulary = 10000;
  int max_words = 12;
  uint64_t seed = 42;
  bool numbered = false;
  std::string rate_steps;
};

// A rate that changes at given seconds into a connection (--rate-steps).
struct RateSchedule {
  struct Step {
    double at_s;
    int64_t rate;
  };
  int64_t initial = 0;
  std::vector<Step> steps;  // by at_s

  // "20s:500000,40s:100000" (seconds, an optional trailing s); false when it does not read.
  static bool parse(const std::string& text, int64_t initial, RateSchedule* out) {
    out->initial = initial;
    size_t start = 0;
    while (start < text.size()) {
      size_t comma = text.find(',', start);
      std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      size_t colon = item.find(':');
      if (colon == std::string::npos) return false;
      std::string at = item.substr(0, colon);
      if (!at.empty() && at.back() == 's') at.pop_back();
      try {
        Step s{std::stod(at), std::stoll(item.substr(colon + 1))};
        if (s.at_s < 0 || s.rate <= 0 || (!out->steps.empty() && s.at_s <= out->steps.back().at_s)) return false;
        out->steps.push_back(s);
      } catch (const std::exception&) {
        return false;
      }
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return true;
  }
  // Lines due by elapsed seconds into the connection: the rate integrated over time.
  double linesBy(double elapsed) const {
    double lines = 0, from = 0;
    int64_t rate = initial;
    for (const Step& s : steps) {
      if (elapsed <= s.at_s) break;
      lines += static_cast<double>(rate) * (s.at_s - from);
      from = s.at_s;
      rate = s.rate;
    }
    return lines + static_cast<double>(rate) * (elapsed - from);
  }
  // Index of the step in force at elapsed seconds, -1 before the first.
  int stepAt(double elapsed) const {
    int k = -1;
    for (size_t i = 0; i < steps.size(); ++i)
      if (elapsed > steps[i].at_s) k = static_cast<int>(i);
    return k;
  }
};

RateSchedule g_schedule;

int64_t epochMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A pool of generated lines, cycled through so that generation never limits the rate.
struct LinePool {
  std::vector<std::string> lines;  // each ends with '\n'
  std::vector<int> words;

  LinePool(const Options& o) {
    std::mt19937_64 rng(o.seed);
    std::uniform_int_distribution<int> nwords(1, o.max_words), word(0, o.vocabulary - 1);
    for (int i = 0; i < 65536; ++i) {
      int n = nwords(rng);
      std::string line;
      for (int k = 0; k < n; ++k) {
        if (k) line += ' ';
        line += 'w';
        line += std::to_string(word(rng));
      }
      line += '\n';
      lines.push_back(std::move(line));
      words.push_back(n);
    }
  }
};

struct Totals {
  int64_t lines = 0;
  int64_t words = 0;
  int64_t acked = 0;  // --numbered: lines below this are acknowledged
  int64_t resent = 0;
};

// Writes all of buf to fd; false when the peer went away or we are stopping.
bool writeAll(int fd, const std::string& buf) {
  size_t off = 0;
  while (off < buf.size()) {
    if (g_stop) return false;
    pollfd p{fd, POLLOUT, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    ssize_t n = send(fd, buf.data() + off, buf.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

// Serves one connection until it closes, the count is reached or a signal arrives.
// Lines count as sent once the kernel accepted them.
void serve(int fd, const Options& o, const LinePool& pool, Totals& totals) {
  using Clock = std::chrono::steady_clock;
  auto start = Clock::now(), last_report = start;
  int64_t start_lines = totals.lines;
  size_t next = static_cast<size_t>(totals.lines) % pool.lines.size();
  std::string buf;
  int step = -1;
  std::cerr << "sluice-gen: rate " << o.rate << " lines/s from epoch_ms=" << epochMs() << std::endl;
  while (!g_stop && (o.count == 0 || totals.lines < o.count)) {
    auto now = Clock::now();
    double elapsed = std::chrono::duration<double>(now - start).count();
    if (int k = g_schedule.stepAt(elapsed); k != step) {
      step = k;
      std::cerr << "sluice-gen: rate " << g_schedule.steps[k].rate << " lines/s from epoch_ms=" << epochMs()
                << std::endl;
    }
    int64_t due = o.rate > 0 ? static_cast<int64_t>(g_schedule.linesBy(elapsed)) - (totals.lines - start_lines)
                             : 4096;
    if (o.count > 0) due = std::min(due, o.count - totals.lines);
    if (due <= 0) {
      std::this_thread::sleep_for(std::chrono::microseconds(500));
      continue;
    }
    buf.clear();
    int64_t words = 0;
    for (int64_t i = 0; i < due; ++i) {
      buf += pool.lines[next];
      words += pool.words[next];
      next = (next + 1) % pool.lines.size();
    }
    if (!writeAll(fd, buf)) {
      std::cerr << "sluice-gen: connection closed by the peer\n";
      return;
    }
    totals.lines += due;
    totals.words += words;
    if (now - last_report >= std::chrono::seconds(1)) {
      last_report = now;
      std::cerr << "sluice-gen: sent " << totals.lines << " lines, " << totals.words << " words\n";
    }
  }
}

// Reads whatever the peer sent: "ACK <i>" lines raise totals.acked to i + 1. False when the
// peer closed the connection.
bool readAcks(int fd, std::string& partial, Totals& totals) {
  char buf[4096];
  ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
  if (n == 0) return false;
  if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
  partial.append(buf, static_cast<size_t>(n));
  size_t start = 0;
  for (size_t nl; (nl = partial.find('\n', start)) != std::string::npos; start = nl + 1) {
    std::string line = partial.substr(start, nl - start);
    if (line.rfind("ACK ", 0) == 0) {
      try {
        totals.acked = std::max<int64_t>(totals.acked, std::stoll(line.substr(4)) + 1);
      } catch (const std::exception&) {
        std::cerr << "sluice-gen: ignored a bad acknowledgement: " << line << "\n";
      }
    }
  }
  partial.erase(0, start);
  return true;
}

// --numbered: serves one connection from the first unacknowledged line on, until it
// closes, every line is acknowledged, or a signal arrives.
void serveNumbered(int fd, const Options& o, const LinePool& pool, Totals& totals) {
  using Clock = std::chrono::steady_clock;
  auto start = Clock::now(), last_report = start;
  int64_t next = totals.acked, sent_here = 0;
  if (next < totals.lines) std::cerr << "sluice-gen: resuming at line " << next << "\n";
  std::string buf, partial;
  while (!g_stop && (o.count == 0 || totals.acked < o.count)) {
    if (!readAcks(fd, partial, totals)) {
      std::cerr << "sluice-gen: connection closed by the peer (acknowledged " << totals.acked << ")\n";
      return;
    }
    auto now = Clock::now();
    double elapsed = std::chrono::duration<double>(now - start).count();
    int64_t due = o.rate > 0 ? static_cast<int64_t>(elapsed * o.rate) - sent_here : 4096;
    if (o.count > 0) due = std::min(due, o.count - next);
    if (due <= 0) {
      pollfd p{fd, POLLIN, 0};
      poll(&p, 1, 1);
      continue;
    }
    buf.clear();
    for (int64_t i = 0; i < due; ++i, ++next) {
      size_t k = static_cast<size_t>(next) % pool.lines.size();
      buf += std::to_string(next);
      buf += ' ';
      buf += pool.lines[k];
      if (next < totals.lines) {
        ++totals.resent;
      } else {
        totals.lines = next + 1;
        totals.words += pool.words[k];
      }
    }
    sent_here += due;
    if (!writeAll(fd, buf)) {
      std::cerr << "sluice-gen: connection closed by the peer (acknowledged " << totals.acked << ")\n";
      return;
    }
    if (now - last_report >= std::chrono::seconds(1)) {
      last_report = now;
      std::cerr << "sluice-gen: sent " << totals.lines << " lines, acknowledged " << totals.acked << "\n";
    }
  }
}

int listenOn(const Options& o) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(o.port));
  if (inet_pton(AF_INET, o.host.c_str(), &addr.sin_addr) != 1) {
    std::cerr << "sluice-gen: --host must be an IPv4 address, got " << o.host << "\n";
    return -1;
  }
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, 4) != 0) {
    std::cerr << "sluice-gen: cannot listen on " << o.host << ":" << o.port << ": " << strerror(errno) << "\n";
    close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  namespace po = boost::program_options;
  Options o;
  po::options_description desc("sluice-gen: serves generated text lines over TCP\nOptions");
  desc.add_options()("help", "show this help")("host", po::value(&o.host)->default_value(o.host), "address to bind")(
      "port", po::value(&o.port)->required(), "TCP port to listen on (0: any free port, printed)")(
      "rate", po::value(&o.rate)->default_value(0), "lines per second (0: as fast as the reader takes them)")(
      "count", po::value(&o.count)->default_value(0), "stop after this many lines (0: never)")(
      "vocabulary", po::value(&o.vocabulary)->default_value(o.vocabulary), "distinct words")(
      "max-words", po::value(&o.max_words)->default_value(o.max_words), "words per line: 1 to this")(
      "seed", po::value(&o.seed)->default_value(o.seed), "random seed")(
      "numbered", po::bool_switch(&o.numbered), "number the lines and resend what the client did not acknowledge")(
      "rate-steps", po::value(&o.rate_steps)->default_value(""),
      "rate changes into each connection, e.g. 20s:500000,40s:100000 (needs --rate > 0; not with --numbered)");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    if (vm.count("help")) {
      std::cout << desc << "\n";
      return 0;
    }
    po::notify(vm);
    if (o.vocabulary < 1 || o.max_words < 1 || o.rate < 0 || o.count < 0)
      throw po::error("--vocabulary and --max-words must be positive, --rate and --count not negative");
    if (!RateSchedule::parse(o.rate_steps, o.rate, &g_schedule))
      throw po::error("--rate-steps must read like 20s:500000,40s:100000 (increasing times, positive rates)");
    if (!g_schedule.steps.empty() && (o.rate <= 0 || o.numbered))
      throw po::error("--rate-steps needs --rate > 0 and no --numbered");
  } catch (const po::error& e) {
    std::cerr << "sluice-gen: " << e.what() << " (see --help)\n";
    return 2;
  }
  signal(SIGINT, onSignal);
  signal(SIGTERM, onSignal);
  int server = listenOn(o);
  if (server < 0) return 1;
  sockaddr_in bound{};
  socklen_t len = sizeof bound;
  getsockname(server, reinterpret_cast<sockaddr*>(&bound), &len);
  std::cerr << "sluice-gen: listening on " << o.host << ":" << ntohs(bound.sin_port) << std::endl;
  LinePool pool(o);
  Totals totals;
  auto finished = [&] { return o.count > 0 && (o.numbered ? totals.acked >= o.count : totals.lines >= o.count); };
  while (!g_stop && !finished()) {
    pollfd p{server, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    int fd = accept(server, nullptr, nullptr);
    if (fd < 0) continue;
    std::cerr << "sluice-gen: client connected\n";
    if (o.numbered) {
      serveNumbered(fd, o, pool, totals);
    } else {
      serve(fd, o, pool, totals);
    }
    close(fd);
  }
  close(server);
  std::cout << "sluice-gen sent_lines=" << totals.lines << " sent_words=" << totals.words;
  if (o.numbered) std::cout << " acked=" << totals.acked << " resent_lines=" << totals.resent;
  std::cout << std::endl;
  return 0;
}
