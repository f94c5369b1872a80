// sales_report: a join-heavy example. Orders are joined with users (shuffle join), users
// with countries (broadcast lookup), then revenue is summed per country and sorted.
//
//   sluice-submit --master local[2] libsales_report.so [orders] [users] [output-dir]
//
// With no arguments it generates 200,000 orders over 5,000 users and prints the report.
// orders lines: "order_id,user_id,amount_cents"; users lines: "user_id,name,country_code".
#include <cstdio>
#include <iostream>
#include <sstream>

#include <sluice/sluice.h>

namespace {

std::vector<std::string> splitCsv(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream ss(line);
  std::string f;
  while (std::getline(ss, f, ',')) fields.push_back(f);
  return fields;
}

}  // namespace

SLUICE_APP(ctx, args) {
  using sluice::RDD;
  RDD<std::pair<int64_t, int64_t>> orders(nullptr, nullptr);  // user -> amount
  RDD<std::pair<int64_t, std::string>> users(nullptr, nullptr);  // user -> country code
  if (args.size() >= 2) {
    orders = ctx.textFile(args[0]).map([](const std::string& line) {
      auto f = splitCsv(line);
      return std::pair<int64_t, int64_t>(std::stoll(f.at(1)), std::stoll(f.at(2)));
    });
    users = ctx.textFile(args[1]).map([](const std::string& line) {
      auto f = splitCsv(line);
      return std::pair<int64_t, std::string>(std::stoll(f.at(0)), f.at(2));
    });
  } else {
    std::vector<int64_t> ids(200000);
    for (size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<int64_t>(i);
    orders = ctx.parallelize(ids, 8).map([](int64_t id) {
      return std::pair<int64_t, int64_t>((id * 7919) % 5000, 100 + (id * 31) % 9900);
    });
    std::vector<int64_t> user_ids(5000);
    for (size_t i = 0; i < user_ids.size(); ++i) user_ids[i] = static_cast<int64_t>(i);
    users = ctx.parallelize(user_ids, 4).map([](int64_t id) {
      static const char* kCodes[] = {"DE", "FR", "JP", "BR", "US", "IN", "NG"};
      return std::pair<int64_t, std::string>(id, kCodes[id % 7]);
    });
  }
  auto countries = ctx.broadcast(std::map<std::string, std::string>{
      {"DE", "Germany"}, {"FR", "France"}, {"JP", "Japan"}, {"BR", "Brazil"},
      {"US", "United States"}, {"IN", "India"}, {"NG", "Nigeria"}});

  // (user, (amount, code)) -> (country, amount)
  auto by_country = orders.join(users).map([countries](std::pair<int64_t, std::pair<int64_t, std::string>>&& r) {
    const auto& names = countries.value();
    auto it = names.find(r.second.second);
    return std::pair<std::string, int64_t>(it == names.end() ? "unknown" : it->second, r.second.first);
  });
  auto revenue = by_country.reduceByKey([](int64_t a, int64_t b) { return a + b; });
  auto orders_per_country = by_country.mapValues([](int64_t) { return int64_t{1}; })
                                .reduceByKey([](int64_t a, int64_t b) { return a + b; });
  // Users without orders, via a left outer join.
  auto idle_users = users.leftOuterJoin(orders.reduceByKey([](int64_t a, int64_t b) { return a + b; }))
                        .filter([](const std::pair<int64_t, std::pair<std::string, std::optional<int64_t>>>& r) {
                          return !r.second.second.has_value();
                        })
                        .count();
  auto report = revenue.join(orders_per_country).sortByKey();
  if (args.size() >= 3) {
    report.map([](std::pair<std::string, std::pair<int64_t, int64_t>>&& r) {
      return r.first + "," + std::to_string(r.second.first) + "," + std::to_string(r.second.second);
    }).saveAsTextFile(args[2]);
  } else {
    for (auto& [country, v] : report.collect()) {
      std::printf("%s: revenue %lld.%02lld in %lld orders\n", country.c_str(), static_cast<long long>(v.first / 100),
                  static_cast<long long>(v.first % 100), static_cast<long long>(v.second));
    }
  }
  std::cout << "users without orders: " << idle_users << "\n";
  return 0;
}
