// pod-copy: copies images between transports. Until its issue lands it says so and exits 125.
#include "tools/common/not_implemented.hpp"

int main() { pod::tools::exit_not_implemented("pod-copy", "copies images between transports"); }
