// SLUICE_APP: the one entry point of an application library.
//
//   SLUICE_APP(ctx, args) {
//     auto counts = ctx.textFile(args.at(0)).flatMap(...).reduceByKey(...);
//     counts.saveAsTextFile(args.at(1));
//     return 0;
//   }
//
// sluice-submit loads the library, creates the Context for --master and calls the body
// with the program arguments. The returned value is the driver's exit code.
#pragma once

#include <string>
#include <vector>

#include "driver/context.h"

#define SLUICE_APP(ctx_name, args_name)                                                       \
  static int sluiceAppBody(::sluice::Context& ctx_name, const std::vector<std::string>& args_name); \
  extern "C" __attribute__((visibility("default"))) const char* sluice_app_abi() { return "sluice-app-1"; } \
  extern "C" __attribute__((visibility("default"))) int sluice_app_main(::sluice::Context* ctx,    \
                                                                         const std::vector<std::string>* args) { \
    return sluiceAppBody(*ctx, *args);                                                         \
  }                                                                                           \
  static int sluiceAppBody(::sluice::Context& ctx_name, const std::vector<std::string>& args_name)

namespace sluice {
using AppMainFn = int (*)(Context*, const std::vector<std::string>*);
}  // namespace sluice
