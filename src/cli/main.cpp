// Placeholder until the command layer lands; replaced by the CLI.
#include <strata/strata.hpp>
int main() { return 0; }
