// updateStateByKey and mapWithState on the manual clock: the literal cases of Spark's
// BasicOperationsSuite (updateStateByKey) and MapWithStateSuite.
#include <catch2/catch.hpp>

#include "tests/streaming/test_input_stream.h"

using namespace sluice;
using namespace sluice::testing;
using SI = std::pair<std::string, int>;
using SL = std::pair<std::string, int64_t>;

namespace {

const Seqs<std::string> kInput{{"a"}, {"a", "b"}, {"a", "b", "c"}, {"a", "b"}, {"a"}, {}};
auto ones(DStream<std::string> s) { return s.map([](const std::string& w) { return SI(w, 1); }); }
auto runningSum = [](std::vector<int>&& values, std::optional<int>&& state) {
  int sum = state.value_or(0);
  for (int v : values) sum += v;
  return std::optional<int>(sum);
};

}  // namespace

TEST_CASE("updateStateByKey", "[streaming][state]") {
  auto out = testOperation(kInput, [](DStream<std::string> s) { return ones(s).updateStateByKey<int>(runningSum); }, 6);
  CHECK(out == Seqs<SI>{{{"a", 1}},
                        {{"a", 2}, {"b", 1}},
                        {{"a", 3}, {"b", 2}, {"c", 1}},
                        {{"a", 4}, {"b", 3}, {"c", 1}},
                        {{"a", 5}, {"b", 3}, {"c", 1}},
                        {{"a", 5}, {"b", 3}, {"c", 1}}});
}

TEST_CASE("updateStateByKey - simple with initial value RDD", "[streaming][state]") {
  auto out = testOperation(kInput, [](DStream<std::string> s) {
    auto* ctx = &s.context()->context();
    return ones(s).updateStateByKey<int>(runningSum, 2, ctx->parallelize(std::vector<SI>{{"a", 1}, {"c", 2}}));
  }, 6);
  CHECK(out == Seqs<SI>{{{"a", 2}, {"c", 2}},
                        {{"a", 3}, {"b", 1}, {"c", 2}},
                        {{"a", 4}, {"b", 2}, {"c", 3}},
                        {{"a", 5}, {"b", 3}, {"c", 3}},
                        {{"a", 6}, {"b", 3}, {"c", 3}},
                        {{"a", 6}, {"b", 3}, {"c", 3}}});
}

TEST_CASE("updateStateByKey - testing time stamps as input", "[streaming][state]") {
  auto out = testOperation(kInput, [](DStream<std::string> s) {
    auto* ctx = &s.context()->context();
    auto update = [](Time t, const std::string&, std::vector<int>&& values, std::optional<int64_t>&& state) {
      // Update only if we receive values for this key during the batch.
      return std::optional<int64_t>(values.empty() ? state.value_or(0) : t + state.value_or(0));
    };
    return ones(s).updateStateByKey<int64_t>(update, 2, ctx->parallelize(std::vector<SL>{{"a", 0}, {"c", 0}}));
  }, 6);
  CHECK(out == Seqs<SL>{{{"a", 1000}, {"c", 0}},
                        {{"a", 3000}, {"b", 2000}, {"c", 0}},
                        {{"a", 6000}, {"b", 5000}, {"c", 3000}},
                        {{"a", 10000}, {"b", 9000}, {"c", 3000}},
                        {{"a", 15000}, {"b", 9000}, {"c", 3000}},
                        {{"a", 15000}, {"b", 9000}, {"c", 3000}}});
}

namespace {
struct StateObject {
  int counter = 0;
  int expire_counter = 0;
  template <class A>
  void serialize(A& ar) { ar(counter, expire_counter); }
  bool operator<(const StateObject& o) const { return counter < o.counter; }
};
}  // namespace

TEST_CASE("updateStateByKey - object lifecycle, state removed by returning nothing", "[streaming][state]") {
  // Batches 2, 5 and 6 have no input RDD at all (Spark's null input).
  auto out = testOperation(Seqs<std::string>{{"a", "b"}, {}, {"a", "c", "a"}, {"c"}, {}, {}}, [](DStream<std::string> s) {
    // Clears a state seen without new values twice in a row.
    auto update = [](std::vector<int>&& values, std::optional<StateObject>&& state) -> std::optional<StateObject> {
      StateObject obj = state.value_or(StateObject{});
      int sum = 0;
      for (int v : values) sum += v;
      if (sum == 0) {
        obj.expire_counter += 1;
      } else {
        obj.counter += sum;
        obj.expire_counter = 0;
      }
      if (obj.expire_counter == 2) return std::nullopt;
      return obj;
    };
    return ones(s).updateStateByKey<StateObject>(update).mapValues([](StateObject&& o) { return o.counter; });
  }, 6, {2, 5, 6});
  CHECK(out == Seqs<SI>{{{"a", 1}, {"b", 1}}, {{"a", 1}, {"b", 1}}, {{"a", 3}, {"c", 1}}, {{"a", 3}, {"c", 2}},
                        {{"c", 2}}, {}});
}

TEST_CASE("updateStateByKey calls the function once per key and batch", "[streaming][state]") {
  // Every key with a state is called each batch, also without values; two output
  // operations on the state stream do not call it twice.
  auto ctx = manualContext();
  StreamingContext ssc(*ctx, Seconds(1));
  auto s = testInputStream(ssc, Seqs<std::string>{{"a", "a"}, {"b"}, {}});
  auto calls = ones(s).updateStateByKey<std::vector<int>>(
      [](std::vector<int>&& values, std::optional<std::vector<int>>&& state) {
        std::vector<int> seen = state.value_or(std::vector<int>{});
        seen.push_back(static_cast<int>(values.size()));
        return std::optional<std::vector<int>>(seen);
      });
  using Calls = std::pair<std::string, std::vector<int>>;
  BatchCollector<Calls> first, second;
  first.attach(calls);
  second.attach(calls);
  runBatches(ssc, 3);
  Seqs<Calls> expected{{{"a", {2}}}, {{"a", {2, 0}}, {"b", {1}}}, {{"a", {2, 0, 0}}, {"b", {1, 0}}}};
  CHECK(first.batches() == expected);
  CHECK(second.batches() == expected);
}

// ---- mapWithState ----

TEST_CASE("MapWithState state - get, exists, update, remove", "[streaming][state]") {
  State<int> state;
  auto check = [&](std::optional<int> expected, bool updated, bool removed, bool timing_out) {
    if (expected) {
      CHECK(state.exists());
      CHECK(state.get() == *expected);
      CHECK(state.getOption() == expected);
      CHECK(state.getOption().value_or(-1) == *expected);
    } else {
      CHECK_FALSE(state.exists());
      CHECK_THROWS_AS(state.get(), std::out_of_range);
      CHECK(state.getOption() == std::nullopt);
      CHECK(state.getOption().value_or(-1) == -1);
    }
    CHECK(state.isTimingOut() == timing_out);
    if (timing_out) {
      CHECK_THROWS_AS(state.remove(), std::invalid_argument);
      CHECK_THROWS_AS(state.update(-1), std::invalid_argument);
    }
    CHECK(state.isUpdated() == updated);
    CHECK(state.isRemoved() == removed);
    if (removed) {
      CHECK_THROWS_AS(state.remove(), std::invalid_argument);
      CHECK_THROWS_AS(state.update(-1), std::invalid_argument);
    }
  };
  check(std::nullopt, false, false, false);
  state.wrap(std::nullopt);
  check(std::nullopt, false, false, false);
  state.wrap(1);
  check(1, false, false, false);
  state.update(2);
  check(2, true, false, false);
  state = State<int>();
  state.update(2);
  check(2, true, false, false);
  state.remove();
  check(std::nullopt, false, true, false);
  state.wrapTimingOutState(3);
  check(3, false, false, true);
}

namespace {

const Seqs<std::string> kMwsInput{{}, {"a"}, {"a", "b"}, {"a", "b", "c"}, {"a", "b"}, {"a"}, {}};
const Seqs<SI> kRunningCounts{{},
                              {{"a", 1}},
                              {{"a", 2}, {"b", 1}},
                              {{"a", 3}, {"b", 2}, {"c", 1}},
                              {{"a", 4}, {"b", 3}, {"c", 1}},
                              {{"a", 5}, {"b", 3}, {"c", 1}},
                              {{"a", 5}, {"b", 3}, {"c", 1}}};

// Spark's getOperationOutput: the mapped outputs and the state snapshots of each batch.
template <class F, class Configure>
auto mapWithStateOutput(const Seqs<std::string>& input, F f, Configure configure, int num_batches) {
  auto ctx = manualContext();
  StreamingContext ssc(*ctx, Seconds(1));
  auto spec = StateSpec(f);
  configure(spec, *ctx);
  auto stream = ones(testInputStream(ssc, input)).mapWithState(spec);
  using E = typename decltype(spec)::E;
  using KS = std::pair<std::string, typename decltype(spec)::S>;
  auto outputs = std::make_shared<BatchCollector<E>>();
  auto snapshots = std::make_shared<BatchCollector<KS>>();
  outputs->attach(stream);
  snapshots->attach(stream.stateSnapshots());
  runBatches(ssc, num_batches);
  return std::make_pair(outputs->batches(), snapshots->batches());
}

auto noConfig = [](auto&, Context&) {};

}  // namespace

TEST_CASE("mapWithState - basic operations with simple API", "[streaming][state]") {
  // The state keeps a running count; the updated count is returned.
  auto [out, states] = mapWithStateOutput(kMwsInput, [](const std::string&, std::optional<int> value, State<int>& state) {
    int sum = value.value_or(0) + state.getOption().value_or(0);
    state.update(sum);
    return sum;
  }, noConfig, 7);
  CHECK(out == Seqs<int>{{}, {1}, {1, 2}, {1, 2, 3}, {3, 4}, {5}, {}});
  CHECK(states == kRunningCounts);
}

TEST_CASE("mapWithState - basic operations with advanced API", "[streaming][state]") {
  auto [out, states] = mapWithStateOutput(
      kMwsInput, [](Time, const std::string& key, std::optional<int> value, State<int>& state) {
        int sum = value.value_or(0) + state.getOption().value_or(0);
        state.update(sum);
        return std::optional<std::string>(key + key);
      }, noConfig, 7);
  CHECK(out == Seqs<std::string>{{}, {"aa"}, {"aa", "bb"}, {"aa", "bb", "cc"}, {"aa", "bb"}, {"aa"}, {}});
  CHECK(states == kRunningCounts);
}

TEST_CASE("mapWithState - states as mapped data", "[streaming][state]") {
  auto [out, states] = mapWithStateOutput(
      kMwsInput, [](Time, const std::string& key, std::optional<int> value, State<int>& state) {
        int sum = value.value_or(0) + state.getOption().value_or(0);
        state.update(sum);
        return std::optional<SI>(SI(key, sum));
      }, noConfig, 7);
  CHECK(out == Seqs<SI>{{}, {{"a", 1}}, {{"a", 2}, {"b", 1}}, {{"a", 3}, {"b", 2}, {"c", 1}}, {{"a", 4}, {"b", 3}},
                        {{"a", 5}}, {}});
  CHECK(states == kRunningCounts);
}

TEST_CASE("mapWithState - initial states, with nothing returned as from mapping function", "[streaming][state]") {
  auto [out, states] = mapWithStateOutput(
      kMwsInput, [](Time, const std::string&, std::optional<int> value, State<int>& state) {
        int sum = value.value_or(0) + state.getOption().value_or(0);
        state.update(sum);
        return std::optional<int>();
      },
      [](auto& spec, Context& ctx) {
        spec.initialState(ctx.parallelize(std::vector<SI>{{"a", 5}, {"b", 10}, {"c", -20}, {"d", 0}}));
      },
      7);
  CHECK(out == Seqs<int>(7));
  CHECK(states == Seqs<SI>{{{"a", 5}, {"b", 10}, {"c", -20}, {"d", 0}},
                           {{"a", 6}, {"b", 10}, {"c", -20}, {"d", 0}},
                           {{"a", 7}, {"b", 11}, {"c", -20}, {"d", 0}},
                           {{"a", 8}, {"b", 12}, {"c", -19}, {"d", 0}},
                           {{"a", 9}, {"b", 13}, {"c", -19}, {"d", 0}},
                           {{"a", 10}, {"b", 13}, {"c", -19}, {"d", 0}},
                           {{"a", 10}, {"b", 13}, {"c", -19}, {"d", 0}}});
}

TEST_CASE("mapWithState - state removing", "[streaming][state]") {
  Seqs<std::string> input{{}, {"a"}, {"a", "b"}, {"a", "b", "c"}, {"a", "b", "c"}, {"a", "b"}, {"a"}, {}};
  // Returns the keys whose state it removed.
  auto [out, states] = mapWithStateOutput(
      input, [](Time, const std::string& key, std::optional<int> value, State<int>& state) -> std::optional<std::string> {
        if (state.exists()) {
          state.remove();
          return key;
        }
        state.update(*value);
        return std::nullopt;
      },
      [](auto& spec, Context&) { spec.numPartitions(1); }, 8);
  CHECK(out == Seqs<std::string>{{}, {}, {"a"}, {"b"}, {"a", "c"}, {"b"}, {"a"}, {}});
  CHECK(states == Seqs<SI>{{}, {{"a", 1}}, {{"b", 1}}, {{"a", 1}, {"c", 1}}, {{"b", 1}}, {{"a", 1}}, {}, {}});
}

TEST_CASE("mapWithState - state timing out", "[streaming][state]") {
  Seqs<std::string> input{{"a", "b", "c"}, {"a", "b"}, {"a"}, {}, {}, {"a"}};
  for (int i = 0; i < 20; ++i) input.push_back({"a"});  // a stays active
  auto [out, states] = mapWithStateOutput(
      input, [](Time, const std::string& key, std::optional<int> value, State<int>& state) -> std::optional<std::string> {
        if (value) state.update(1);
        if (state.isTimingOut()) return key;
        return std::nullopt;
      },
      [](auto& spec, Context&) { spec.timeout(Seconds(3)); }, 20);
  // b and c are returned once each, when they time out.
  std::vector<std::string> flat;
  for (auto& b : out) flat.insert(flat.end(), b.begin(), b.end());
  std::sort(flat.begin(), flat.end());
  CHECK(flat == std::vector<std::string>{"b", "c"});
  CHECK(std::find(states.begin(), states.end(), std::vector<SI>{{"a", 1}, {"b", 1}, {"c", 1}}) != states.end());
  CHECK(states.back() == std::vector<SI>{{"a", 1}});
  // As in Spark, timed-out keys are looked for in the batches that checkpoint the state
  // (every 10 intervals): b and c time out together at 10 s.
  CHECK(out[9] == std::vector<std::string>{"b", "c"});
  for (size_t i = 0; i < out.size(); ++i)
    if (i != 9) CHECK(out[i].empty());
}

TEST_CASE("mapWithState calls the function once per record, the timeout call with no value", "[streaming][state]") {
  // The state records every call: the value seen, or -1 for the timeout call, which comes
  // in the first batch that checkpoints the state (10 s) after the timeout (2 s) passed.
  auto [out, states] = mapWithStateOutput(
      Seqs<std::string>{{"a", "a"}},
      [](Time t, const std::string& key, std::optional<int> value, State<std::vector<int>>& state) {
        std::vector<int> seen = state.getOption().value_or(std::vector<int>{});
        seen.push_back(value.value_or(-1));
        if (!state.isTimingOut()) state.update(seen);
        return std::optional<std::string>(key + "@" + std::to_string(t) + ":" + std::to_string(seen.size()));
      },
      [](auto& spec, Context&) { spec.timeout(Seconds(2)); }, 10);
  Seqs<std::string> expected(10);
  expected[0] = {"a@1000:1", "a@1000:2"};
  expected[9] = {"a@10000:3"};
  CHECK(out == expected);
  using KV = std::pair<std::string, std::vector<int>>;
  Seqs<KV> expected_states(9, std::vector<KV>{{"a", {1, 1}}});
  expected_states.push_back({});
  CHECK(states == expected_states);
}

TEST_CASE("updateStateByKey and mapWithState keep their state across lineage cuts", "[streaming][state]") {
  // 25 batches: the state RDDs are copied without lineage every 10 batches.
  Seqs<std::string> input;
  for (int i = 1; i <= 25; ++i) input.push_back(i % 3 == 0 ? std::vector<std::string>{"a", "b"} : std::vector<std::string>{"a"});
  auto ctx = manualContext();
  StreamingContext ssc(*ctx, Seconds(1));
  auto pairs = ones(testInputStream(ssc, input));
  BatchCollector<SI> updated, mapped;
  updated.attach(pairs.updateStateByKey<int>(runningSum));
  auto spec = StateSpec([](const std::string& key, std::optional<int> value, State<int>& state) {
    state.update(state.getOption().value_or(0) + value.value_or(0));
    return SI(key, state.get());
  });
  mapped.attach(pairs.mapWithState(spec).stateSnapshots());
  runBatches(ssc, 25);
  auto u = updated.batches();
  auto m = mapped.batches();
  REQUIRE(u.size() == 25);
  for (int i = 1; i <= 25; ++i) {
    std::vector<SI> expected{{"a", i}};
    if (i >= 3) expected.emplace_back("b", i / 3);
    CHECK(u[i - 1] == expected);
    CHECK(m[i - 1] == expected);
  }
}

TEST_CASE("State streams have the requested number of partitions", "[streaming][state]") {
  auto ctx = manualContext();
  StreamingContext ssc(*ctx, Seconds(1));
  auto pairs = ones(testInputStream(ssc, kInput));
  BatchCollector<int> updated, mapped;
  auto partitions = [](const auto& stream) {
    return stream.transform([](const auto& rdd) { return rdd.glom().map([](auto&&) { return 1; }); });
  };
  updated.attach(partitions(pairs.updateStateByKey<int>(runningSum, 3)));
  auto spec = StateSpec([](const std::string&, std::optional<int>, State<int>&) { return 0; });
  spec.numPartitions(5);
  mapped.attach(partitions(pairs.mapWithState(spec).stateSnapshots()));
  runBatches(ssc, 2);
  CHECK(updated.batches() == Seqs<int>{{1, 1, 1}, {1, 1, 1}});
  CHECK(mapped.batches() == Seqs<int>{{1, 1, 1, 1, 1}, {1, 1, 1, 1, 1}});
}
