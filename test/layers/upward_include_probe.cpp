// Compiled by the test "layers_upward_include_fails" with the include view of
// the storage layer (cmake/layers.cmake): the actors layer sits above it, so
// this include must not be found — the test expects the compile to fail.
#include "actors/coordinator.hpp"
