# Guide snippets: every ```cpp block of the guides listed below is a complete
# program that checks its own results. At configure time each block is
# extracted into <build>/test/docs_snippets/<guide>_<n>.cpp, compiled against
# strata::strata with the project's warning and sanitizer flags, and run as
# the CTest test docs_<guide>_<n> (labels "unit;docs"), so the guides cannot
# show code that no longer compiles or no longer does what the text says.
# How to write a block: test/docs/README.md.

set(STRATA_DOC_GUIDES events runs branches replay state json transactions vectors)
set(snippet_dir ${CMAKE_CURRENT_BINARY_DIR}/docs_snippets)
file(MAKE_DIRECTORY ${snippet_dir})

# One target builds every snippet: cmake --build <dir> --target docs_snippets
add_custom_target(docs_snippets)

# Writes `content` to `path` only when it differs, so reconfiguring does not
# touch unchanged snippets (and does not rebuild them).
function(strata_write_if_changed path content)
  file(WRITE ${path}.tmp "${content}")
  file(COPY_FILE ${path}.tmp ${path} ONLY_IF_DIFFERENT)
  file(REMOVE ${path}.tmp)
endfunction()

function(strata_doc_snippet guide index code)
  set(name ${guide}_${index})
  set(source ${snippet_dir}/${name}.cpp)
  strata_write_if_changed(${source} "// Generated from docs/guides/${guide}.md, C++ block ${index}. Edit the guide, not this file.\n${code}")
  set(target docs_snippet_${name})
  add_executable(${target} ${source})
  target_link_libraries(${target} PRIVATE strata::strata strata_build_flags)
  add_dependencies(docs_snippets ${target})
  # Each test runs in a directory of its own, so a snippet that opens a
  # database directory (durability examples) cannot collide with another.
  set(workdir ${snippet_dir}/run_${name})
  file(MAKE_DIRECTORY ${workdir})
  add_test(NAME docs_${name} COMMAND ${target} WORKING_DIRECTORY ${workdir})
  set_tests_properties(docs_${name} PROPERTIES LABELS "unit;docs" TIMEOUT 60)
endfunction()

foreach(guide ${STRATA_DOC_GUIDES})
  set(md ${PROJECT_SOURCE_DIR}/docs/guides/${guide}.md)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${md})
  file(READ ${md} text)
  # C++ is full of ';' (CMake's list separator) and '[' ']' (which suppress
  # list splitting when unbalanced), so they are masked before the blocks
  # become list items and restored in each block afterwards.
  string(REPLACE ";" "@SNIPPET_SEMICOLON@" text "${text}")
  string(REPLACE "[" "@SNIPPET_LBRACKET@" text "${text}")
  string(REPLACE "]" "@SNIPPET_RBRACKET@" text "${text}")
  # A block: an opening fence line "```cpp" up to the next "```". Blocks may
  # therefore not contain a backtick (README.md's rule, too).
  string(REGEX MATCHALL "```cpp\n[^`]*```" blocks "${text}")
  list(LENGTH blocks count)
  if(count EQUAL 0)
    message(FATAL_ERROR "docs/guides/${guide}.md has no ```cpp block; test/docs/guide_snippets.cmake expects some")
  endif()
  # A block holding a backtick would not match and silently go untested:
  # every opening fence must have produced a block.
  string(REGEX MATCHALL "```cpp\n" fences "${text}")
  list(LENGTH fences fence_count)
  if(NOT fence_count EQUAL count)
    message(FATAL_ERROR "docs/guides/${guide}.md: ${fence_count} ```cpp fences but ${count} extractable "
                        "blocks; a block may not contain a backtick (test/docs/README.md)")
  endif()
  set(index 0)
  foreach(block IN LISTS blocks)
    math(EXPR index "${index} + 1")
    string(REGEX REPLACE "^```cpp\n" "" code "${block}")
    string(REGEX REPLACE "```$" "" code "${code}")
    string(REPLACE "@SNIPPET_SEMICOLON@" ";" code "${code}")
    string(REPLACE "@SNIPPET_LBRACKET@" "[" code "${code}")
    string(REPLACE "@SNIPPET_RBRACKET@" "]" code "${code}")
    if(NOT code MATCHES "int main\\(")
      message(FATAL_ERROR "docs/guides/${guide}.md, C++ block ${index}: not a complete program (no main); "
                          "every ```cpp block of this guide is compiled and run (test/docs/README.md)")
    endif()
    strata_doc_snippet(${guide} ${index} "${code}")
  endforeach()
endforeach()
