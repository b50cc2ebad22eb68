// pod-build: a Containerfile builder. Until its issue lands it says so and exits 125.
#include "tools/common/not_implemented.hpp"

int main() { pod::tools::exit_not_implemented("pod-build", "a Containerfile builder"); }
