// sluice-gen-text: writes a synthetic text corpus for the word-count benchmark.
//
//   sluice-gen-text --lines 10000000 --vocab 10000 --seed 1 --out input.txt
//   sluice-gen-text --bytes 200m --out input.txt
//
// Every line holds 1..12 words (uniform), each drawn uniformly from a vocabulary of
// --vocab words "w0" .. "w<V-1>", separated by one space. The output depends only on
// --vocab and --seed (and where it stops), never on the machine: the generator is
// xoshiro256** seeded by splitmix64, and draws use Lemire's multiply-shift reduction.
//
// Stops after --lines lines or before the line that would take the file past --bytes,
// whichever comes first. Exit codes: 0 done, 1 I/O error, 2 bad arguments.
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

namespace po = boost::program_options;

namespace {

constexpr int kMaxWordsPerLine = 12;
constexpr size_t kBufferBytes = 1 << 20;

// xoshiro256** (Blackman & Vigna), state filled by splitmix64 from the seed.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& s : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      s = z ^ (z >> 31);
    }
  }
  uint64_t next() {
    uint64_t result = rotl(s_[1] * 5, 7) * 9;
    uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n) for n < 2^32 (bias below 2^-32 * n, irrelevant here).
  uint32_t below(uint32_t n) { return static_cast<uint32_t>(((next() >> 32) * n) >> 32); }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// "200m", "1g", "4096" -> bytes; -1 when malformed.
int64_t parseBytes(const std::string& text) {
  if (text.empty()) return -1;
  size_t used = 0;
  double value;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    return -1;
  }
  std::string unit = text.substr(used);
  double mult = 1;
  if (unit.empty() || unit == "b") mult = 1;
  else if (unit == "k" || unit == "K") mult = 1024.0;
  else if (unit == "m" || unit == "M") mult = 1024.0 * 1024;
  else if (unit == "g" || unit == "G") mult = 1024.0 * 1024 * 1024;
  else return -1;
  if (value < 0) return -1;
  return static_cast<int64_t>(value * mult);
}

// The vocabulary as one byte string plus offsets, so that a word copy is one memcpy.
struct Vocabulary {
  std::string bytes;
  std::vector<uint32_t> begin;  // size V + 1
  explicit Vocabulary(uint32_t v) {
    begin.reserve(v + 1);
    for (uint32_t i = 0; i < v; ++i) {
      begin.push_back(static_cast<uint32_t>(bytes.size()));
      bytes += 'w';
      bytes += std::to_string(i);
    }
    begin.push_back(static_cast<uint32_t>(bytes.size()));
  }
};

}  // namespace

int main(int argc, char** argv) {
  int64_t lines = -1;
  uint32_t vocab = 10000;
  uint64_t seed = 1;
  std::string out_path = "-";
  std::string bytes_text;
  po::options_description desc("Usage: sluice-gen-text (--lines N | --bytes B) [options]\nOptions");
  desc.add_options()("help,h", "show this help")
      ("lines", po::value(&lines), "number of lines to write")
      ("bytes", po::value(&bytes_text), "stop before the file exceeds this size (e.g. 200m, 1g)")
      ("vocab", po::value(&vocab)->default_value(10000), "vocabulary size (words w0 .. w<V-1>)")
      ("seed", po::value(&seed)->default_value(1), "random seed; same seed, same output")
      ("out", po::value(&out_path)->default_value("-"), "output file, - for stdout");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "sluice-gen-text: " << e.what() << "\n" << desc << "\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return 0;
  }
  int64_t max_bytes = std::numeric_limits<int64_t>::max();
  if (!bytes_text.empty()) {
    max_bytes = parseBytes(bytes_text);
    if (max_bytes < 0) {
      std::cerr << "sluice-gen-text: --bytes '" << bytes_text << "' is not a size (e.g. 4096, 200m, 1g)\n";
      return 2;
    }
  }
  if (lines < 0 && bytes_text.empty()) {
    std::cerr << "sluice-gen-text: give --lines N or --bytes B\n" << desc << "\n";
    return 2;
  }
  if (lines < 0) lines = std::numeric_limits<int64_t>::max();
  if (vocab == 0) {
    std::cerr << "sluice-gen-text: --vocab must be at least 1\n";
    return 2;
  }

  FILE* out = out_path == "-" ? stdout : std::fopen(out_path.c_str(), "wb");
  if (!out) {
    std::cerr << "sluice-gen-text: cannot open " << out_path << ": " << std::strerror(errno) << "\n";
    return 1;
  }
  auto start = std::chrono::steady_clock::now();
  Vocabulary words(vocab);
  Rng rng(seed);
  size_t longest = 0;
  for (uint32_t i = 0; i < vocab; ++i) longest = std::max<size_t>(longest, words.begin[i + 1] - words.begin[i]);
  const size_t max_line = kMaxWordsPerLine * (longest + 1);
  std::vector<char> buf(kBufferBytes + max_line);
  size_t used = 0;
  int64_t written = 0, done = 0;
  const char* vocab_bytes = words.bytes.data();
  bool io_ok = true;
  while (done < lines) {
    // Build the line in place; it is committed only if it fits under --bytes.
    char* line = buf.data() + used;
    char* p = line;
    int n = 1 + static_cast<int>(rng.below(kMaxWordsPerLine));
    for (int w = 0; w < n; ++w) {
      uint32_t k = rng.below(vocab);
      uint32_t b = words.begin[k], e = words.begin[k + 1];
      std::memcpy(p, vocab_bytes + b, e - b);
      p += e - b;
      *p++ = ' ';
    }
    p[-1] = '\n';
    auto len = static_cast<int64_t>(p - line);
    if (written + len > max_bytes) break;
    written += len;
    used += static_cast<size_t>(len);
    ++done;
    if (used >= kBufferBytes) {
      if (std::fwrite(buf.data(), 1, used, out) != used) { io_ok = false; break; }
      used = 0;
    }
  }
  if (io_ok && used > 0 && std::fwrite(buf.data(), 1, used, out) != used) io_ok = false;
  if (out != stdout) {
    if (std::fclose(out) != 0) io_ok = false;
  } else if (std::fflush(out) != 0) {
    io_ok = false;
  }
  if (!io_ok) {
    std::cerr << "sluice-gen-text: cannot write " << out_path << ": " << std::strerror(errno) << "\n";
    return 1;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cerr << "sluice-gen-text: wrote " << done << " lines, " << written << " bytes in " << seconds << " s ("
            << (seconds > 0 ? static_cast<double>(written) / seconds / 1e6 : 0.0) << " MB/s)\n";
  return 0;
}
