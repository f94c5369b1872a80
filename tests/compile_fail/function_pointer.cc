// Must NOT compile: a function pointer's address differs in every process.
#include <sluice/sluice.h>

static int twice(int x) { return 2 * x; }

SLUICE_APP(ctx, args) {
  return static_cast<int>(ctx.parallelize(std::vector<int>{1, 2}).map(&twice).count());
}
