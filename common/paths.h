// Paths a user gives (application arguments, --files, path-valued configuration) resolved as
// the user meant them: against the directory sluice-submit ran in, not against the work
// directory of whichever process (a cluster-mode driver, an executor) reads them.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace sluice {

// path made absolute against base (an absolute directory; empty: this process's working
// directory) and lexically normalized. An absolute path is only normalized; "" stays "".
std::string resolvePath(const std::string& path, const std::string& base = "");

// The whole content of the file a configuration key names (a secret, a users file);
// InvalidArgument "<key>: cannot read <path>" when it cannot be read.
StatusOr<std::string> readKeyFile(const char* key, const std::string& path);

// A comma-separated list ("a,b,c", as --files and the `files` key take it) split into its
// non-empty items.
std::vector<std::string> splitPathList(const std::string& list);

}  // namespace sluice
