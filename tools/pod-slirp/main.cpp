// pod-slirp: the user-mode network helper. Until its issue lands it says so and exits 125.
#include "tools/common/not_implemented.hpp"

int main() { pod::tools::exit_not_implemented("pod-slirp", "the user-mode network helper"); }
