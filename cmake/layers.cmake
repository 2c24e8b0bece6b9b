# The library's layers (docs/architecture.md, "Layers"), bottom first. Each
# layer is an OBJECT library that sees the include folders of its own layer
# and of the layers below it only — through a directory of symlinks in the
# build tree — so an #include that points upward fails to compile. The
# strata library is the union of their objects.
#
#   value    error, unicode, value, codec,    values and their encoding
#            crypto
#   storage  keys, json, mvcc, storage,       what a shard holds and how keys,
#            events, runs, io, vector         documents, logs and vectors are laid
#                                             out; vector indexes as data structures
#   log      commit, wal, snapshot, recovery  commits as records; one apply path
#   actors   actors                           shards, coordinator, WAL writer
#   engine   engine, vector_store, ops, txn,  operations and their drivers, the
#            compaction                       derived vector indexes
#   api      api, session, recorder           Database, Strata, Session, Recorder
#   cli      cli                              build/strata (not in the library)
set(STRATA_LAYERS value storage log actors engine api cli)
set(STRATA_LAYER_value   src/error src/unicode src/value src/codec src/crypto)
set(STRATA_LAYER_storage src/keys src/json src/mvcc src/storage src/events src/runs src/io src/vector)
set(STRATA_LAYER_log     src/commit src/wal src/snapshot src/recovery)
set(STRATA_LAYER_actors  actors)
set(STRATA_LAYER_engine  src/engine src/vector_store src/ops src/txn src/compaction)
set(STRATA_LAYER_api     src/api src/session src/recorder)
set(STRATA_LAYER_cli     src/cli)

# strata_layer_view(LAYER OUT_DIR): the include directory of LAYER (its own
# folders and those of every layer below, as symlinks).
function(strata_layer_view layer out)
  set(view ${CMAKE_BINARY_DIR}/layers/${layer})
  file(REMOVE_RECURSE ${view})
  file(MAKE_DIRECTORY ${view})
  foreach(l ${STRATA_LAYERS})
    foreach(dir ${STRATA_LAYER_${l}})
      get_filename_component(name ${dir} NAME)
      file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${dir} ${view}/${name} SYMBOLIC)
    endforeach()
    if(l STREQUAL layer)
      break()
    endif()
  endforeach()
  set(${out} ${view} PARENT_SCOPE)
endfunction()

# strata_layer_sources(LAYER OUT_LIST): the .cpp files of LAYER's folders.
function(strata_layer_sources layer out)
  set(globs "")
  foreach(dir ${STRATA_LAYER_${layer}})
    list(APPEND globs ${PROJECT_SOURCE_DIR}/${dir}/*.cpp)
  endforeach()
  file(GLOB sources CONFIGURE_DEPENDS ${globs})
  set(${out} ${sources} PARENT_SCOPE)
endfunction()
