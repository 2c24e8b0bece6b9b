// The positive control of "layers_upward_include_fails": the same compile
// with a header of the storage layer itself must succeed, so that the failure
// above can only come from the layer rule.
#include "storage/shard_store.hpp"
