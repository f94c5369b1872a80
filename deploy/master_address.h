// How a client of a standalone master (a driver, sluice-submit --status/--kill, a worker)
// reaches it: the URL's host is resolved before anything is sent, so that a name that does
// not exist fails at once with the resolver's reason instead of a silent ZeroMQ retry, and
// a master that does not answer is named in the user's terms (its URL, the wait), not by
// the messages exchanged.
#pragma once

#include <chrono>
#include <string>

#include "common/status.h"

namespace sluice {

struct MasterAddress {
  std::string url;   // as given: sluice://host:port
  std::string host;  // as given: a name or a dotted quad
  std::string ip;    // host resolved (IPv4)
  int port = 7077;

  // tcp://host:port, with the host as given (ZeroMQ resolves it again on reconnects).
  std::string endpoint() const { return "tcp://" + host + ":" + std::to_string(port); }
};

// Parses url (sluice://host[:port]) and resolves its host. InvalidArgument for another
// form of URL; NotFound "cannot resolve master host 'nohost': <reason>" for a host the
// resolver does not know. Blocks on DNS as long as the system resolver takes.
StatusOr<MasterAddress> resolveMasterAddress(const std::string& url);

// The error for a request to the master at url that failed with call after waiting up to
// timeout: Unavailable "no master answered at <url> within 10 s" for a timeout, else
// Unavailable "cannot reach master <url>: <call's message>".
Status masterNotAnswering(const std::string& url, const Status& call, std::chrono::milliseconds timeout);

// A wait as a user reads it: "10 s" for whole seconds, else "1500 ms".
std::string describeWait(std::chrono::milliseconds wait);

}  // namespace sluice
