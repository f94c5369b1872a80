// word_count: counts the words of a text file or directory.
//
//   sluice-submit --master local[2] libword_count.so input.txt out/
//
// Writes "word count" lines to out/part-NNNNN (omit out/ to print the 20 most frequent).
#include <algorithm>
#include <iostream>

#include <sluice/sluice.h>

SLUICE_APP(ctx, args) {
  if (args.empty()) {
    std::cerr << "usage: word_count <input> [output-dir]\n";
    return 2;
  }
  auto counts = ctx.textFile(args[0])
                    .flatMap([](const std::string& line) { return sluice::split(line, ' '); })
                    .map([](std::string&& w) { return std::pair<std::string, int64_t>(std::move(w), 1); })
                    .reduceByKey([](int64_t a, int64_t b) { return a + b; });
  if (args.size() > 1) {
    counts.map([](std::pair<std::string, int64_t>&& kv) { return kv.first + " " + std::to_string(kv.second); })
        .saveAsTextFile(args[1]);
    return 0;
  }
  auto all = counts.collect();
  std::sort(all.begin(), all.end(), [](auto& a, auto& b) { return a.second > b.second; });
  for (size_t i = 0; i < std::min<size_t>(20, all.size()); ++i) std::cout << all[i].second << " " << all[i].first << "\n";
  return 0;
}
