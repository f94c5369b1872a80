// Checking a configuration at a process's start, as Spark fails SparkConf at start-up: every
// value set for a declared key (common/config_keys.h) must parse as the key's type and lie in
// its range; a key that is not declared gets one warning (unknown, or a Spark key Sluice does
// not implement). sluice-submit (client, cluster and local mode), sluice-master and
// sluice-worker call checkAtStart once after reading their --conf and --properties-file,
// and sluice-executor on its few --conf values; executors and cluster-mode drivers get an
// application configuration that sluice-submit has checked.
// Conf::get itself does not check: a value that does not parse reads as the default.
//
// THREADING: free functions over const arguments; safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "common/conf.h"
#include "common/config_key.h"

namespace sluice::keys {

// What a value of the key looks like, for error messages and --help-conf:
// "a duration > 0, such as 250ms, 3s, 2min or 1h", "an integer >= 1", "one of FIFO, FAIR".
std::string expectedForm(const KeyInfo& key);

// OK when value parses as the key's type within its range; otherwise InvalidArgument with
// one line naming the key, the value and the expected form:
// "config streaming.blockInterval='0' is invalid: expected a duration > 0, such as ...".
Status checkValue(const KeyInfo& key, const std::string& value);

// checkValue for every declared key the conf sets; the first bad one in keys::all()'s order.
Status validate(const Conf& conf);

// One line for each key the conf sets that is neither declared nor a job property
// (Context::setLocalProperty's names): a Spark key Sluice does not implement, or an unknown
// key. Both are ignored by Sluice. In the conf's (sorted) order.
std::vector<std::string> warnings(const Conf& conf);

// At a process's start: logs each of warnings() once at WARN and returns validate(conf),
// then whether auth.enabled has a secret (common/auth_secret.h).
Status checkAtStart(const Conf& conf);

// Every key, with its type, accepted values, default and meaning: sluice-submit --help-conf.
std::string describeAll();

}  // namespace sluice::keys
