// Definitions of RDD<T>'s actions and shuffle-based narrow helpers (included by rdd.h).
#pragma once

#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>

#include "rdd/text.h"

namespace sluice {

// Runs one job over parts of rdd and decodes each partition's records.
template <class U>
std::vector<std::vector<U>> runJobAndDecode(const RDD<U>& rdd, const std::vector<int>& parts) {
  auto results = rdd.context()->runJob(rdd.node(), parts);
  std::vector<std::vector<U>> out(results.size());
  for (size_t i = 0; i < results.size(); ++i) {
    Status st = fromBytes(results[i], out[i]);
    if (!st) throw JobFailedError("cannot decode the result of partition " + std::to_string(parts[i]) + ": " + st.message());
  }
  return out;
}

inline std::vector<int> allPartitions(int n) {
  std::vector<int> parts(n);
  for (int i = 0; i < n; ++i) parts[i] = i;
  return parts;
}

template <class T>
std::vector<std::vector<T>> RDD<T>::runAndDecode(const RDD<T>& rdd, const std::vector<int>& parts) const {
  return runJobAndDecode(rdd, parts);
}

template <class T>
std::vector<T> RDD<T>::collect() const {
  std::vector<T> out;
  for (auto& part : runAndDecode(*this, allPartitions(numPartitions()))) {
    for (auto& x : part) out.push_back(std::move(x));
  }
  return out;
}

template <class T>
int64_t RDD<T>::count() const {
  auto counts = partitions<int64_t>([](int, PartitionSource<T> source, Emit<int64_t> emit) {
    int64_t n = 0;
    source([&](T&&) { ++n; });
    emit(std::move(n));
  });
  int64_t total = 0;
  for (auto& part : runJobAndDecode(counts, allPartitions(numPartitions()))) {
    for (int64_t n : part) total += n;
  }
  return total;
}

template <class T>
std::map<T, int64_t> RDD<T>::countByValue() const {
  auto counted = map([](T&& x) { return std::pair<T, int64_t>(std::move(x), 1); })
                     .reduceByKey([](int64_t a, int64_t b) { return a + b; });
  std::map<T, int64_t> out;
  for (auto& [k, n] : counted.collect()) out[k] += n;
  return out;
}

template <class T>
template <class F>
T RDD<T>::reduce(F f) const {
  checkShippable<F>();
  auto partials = partitions<T>([f](int, PartitionSource<T> source, Emit<T> emit) mutable {
    std::optional<T> acc;
    source([&](T&& x) { acc = acc ? f(std::move(*acc), std::move(x)) : std::move(x); });
    if (acc) emit(std::move(*acc));
  });
  std::optional<T> acc;
  for (auto& part : runJobAndDecode(partials, allPartitions(numPartitions()))) {
    for (auto& x : part) acc = acc ? f(std::move(*acc), std::move(x)) : std::move(x);
  }
  if (!acc) throw JobFailedError("reduce of an empty RDD");
  return std::move(*acc);
}

// As Spark: scan one partition, then four times as many each round, until n records.
template <class T>
std::vector<T> RDD<T>::take(int n) const {
  std::vector<T> out;
  int total = numPartitions();
  int scanned = 0;
  int batch = 1;
  while (static_cast<int>(out.size()) < n && scanned < total) {
    int64_t left = n - static_cast<int64_t>(out.size());
    auto limited = partitions<T>([left](int, PartitionSource<T> source, Emit<T> emit) {
      int64_t taken = 0;
      source([&](T&& x) {
        if (taken++ < left) emit(std::move(x));
      });
    });
    std::vector<int> parts;
    for (int p = scanned; p < std::min(total, scanned + batch); ++p) parts.push_back(p);
    for (auto& part : runJobAndDecode(limited, parts)) {
      for (auto& x : part) {
        if (static_cast<int>(out.size()) < n) out.push_back(std::move(x));
      }
    }
    scanned += static_cast<int>(parts.size());
    batch *= 4;
  }
  return out;
}

template <class T>
T RDD<T>::first() const {
  auto rows = take(1);
  if (rows.empty()) throw JobFailedError("first() of an empty RDD");
  return std::move(rows.front());
}

template <class T>
template <class F>
void RDD<T>::foreach(F f) const {
  checkShippable<F>();
  auto done = partitions<char>([f](int, PartitionSource<T> source, Emit<char>) mutable {
    source([&](T&& x) { f(static_cast<const T&>(x)); });
  });
  runJobAndDecode(done, allPartitions(numPartitions()));
}

namespace detail {
// The output commit of saveAsTextFile (Spark's FileOutputCommitter, one job at a time):
// prepareOutputDir creates dir and dir/_temporary (JobFailedError if dir exists); each task
// writes its part through writeTextPart; commitOutputDir removes _temporary and writes
// _SUCCESS; abortOutputDir removes dir and all in it, so that a failed job leaves nothing
// behind and a rerun starts clean. A task still running after the abort fails to write,
// since _temporary is gone.
void prepareOutputDir(const std::string& dir);
// Writes one partition as text under dir, through a temporary file renamed into place, so
// that a re-run attempt replaces the file rather than duplicating it.
void writeTextPart(const std::string& dir, int split, FunctionRef<void(std::ostream&)> write_lines);
void commitOutputDir(const std::string& dir);
void abortOutputDir(const std::string& dir);
}  // namespace detail

template <class T>
void RDD<T>::saveAsTextFile(const std::string& path_given) const {
  // Executors write from their own work dirs: they get the path as the driver sees it.
  const std::string path = ctx_->absolutePath(path_given);
  detail::prepareOutputDir(path);
  // The path travels as a broadcast: a std::string capture is not shippable.
  auto dir = Broadcast<std::string>(ctx_->newBroadcast(toBytes(path), std::make_shared<std::string>(path)));
  auto written = partitions<char>([dir](int split, PartitionSource<T> source, Emit<char>) {
    detail::writeTextPart(dir.value(), split, [&](std::ostream& os) {
      source([&](T&& x) { os << toText(x) << '\n'; });
    });
  });
  // Only this job reads the broadcast: drop it when the job ends, whatever the outcome.
  struct DropBroadcast {
    JobContext* ctx;
    int64_t id;
    ~DropBroadcast() { ctx->cleanup(CleanupRequest::broadcast(id)); }
  } drop{ctx_, dir.id()};
  try {
    runJobAndDecode(written, allPartitions(numPartitions()));
  } catch (...) {
    detail::abortOutputDir(path);
    throw;
  }
  detail::commitOutputDir(path);
}

template <class T>
RDD<T> RDD<T>::coalesce(int num_partitions, bool shuffle) const {
  if (!shuffle) {
    return RDD<T>(ctx_, std::make_shared<CoalescedRDD<T>>(ctx_->newRddId(), node_, num_partitions));
  }
  // Spread each partition's records round-robin over the new partitions, starting at a
  // position that depends on the partition, as Spark's distributePartition.
  int n = std::max(1, num_partitions);
  auto keyed = partitions<std::pair<int, T>>([n](int split, PartitionSource<T> source, Emit<std::pair<int, T>> emit) {
    int position = static_cast<int>(mix64(static_cast<uint64_t>(split)) % static_cast<uint64_t>(n));
    source([&](T&& x) {
      std::pair<int, T> kv(position, std::move(x));
      position = (position + 1) % n;
      emit(std::move(kv));
    });
  });
  // Position p must go to partition p (Spark's HashPartitioner does this, an Int's hash being
  // itself); hashKey() would scatter the positions and leave partitions empty. Range bounds
  // 0..n-2 map each position to itself.
  std::vector<int> bounds(static_cast<size_t>(n - 1));
  for (int i = 0; i < n - 1; ++i) bounds[static_cast<size_t>(i)] = i;
  return keyed.partitionBy(Partitioner<int>::range(std::move(bounds), true)).values();
}

template <class T>
RDD<T> RDD<T>::distinct(int num_partitions) const {
  return map([](T&& x) { return std::pair<T, char>(std::move(x), 0); })
      .reduceByKey([](char a, char) { return a; }, resolvePartitions(num_partitions))
      .keys();
}

}  // namespace sluice
