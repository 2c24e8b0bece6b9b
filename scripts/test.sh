#!/usr/bin/env bash
# test.sh — build and run the whole StrataDB test suite; what CI runs.
#
# Stages (each in its own build directory, -j2, ccache when installed):
#   release  ./build       Release; every test except label "stress" (run those with ctest -L stress)
#   asan     ./build-asan  Debug, ASan+UBSan, -Werror; every test except label "stress"
#   tsan     ./build-tsan  RelWithDebInfo, TSan; the tests labelled "concurrency"
#   install  cmake --install build into a temp prefix, then configure, build
#            and run test/install/consumer against it (find_package(strata))
# STRATA_TEST_STAGES=release,asan,... runs a subset (default: all four).
#
# Every stage runs even when an earlier one failed, so one run reports every
# problem. The script prints a summary, exits non-zero on any failure, and its
# last line is "N passed, N failed" (tests across all stages; a stage that
# fails outside ctest — configure, build, install — counts as one failure).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

PACKAGES=(build-essential cmake ccache libboost1.81-dev libboost-json1.81-dev
          libboost-test1.81-dev libboost-container1.81-dev python3)
STAGES=${STRATA_TEST_STAGES:-release,asan,tsan,install}
JOBS=2
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$ROOT}  # cache hits across checkouts
export CTEST_OUTPUT_ON_FAILURE=1

TOTAL_PASSED=0
TOTAL_FAILED=0
SUMMARY=()

# Installs the packages that are not installed yet (nothing when all are).
ensure_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  echo "==> installing missing packages: ${missing[*]}"
  local sudo=()
  [[ $(id -u) -ne 0 ]] && sudo=(sudo)
  "${sudo[@]}" apt-get update &&
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
}

banner() { printf '\n==================== %s ====================\n' "$*"; }

# record STAGE STATUS DETAIL SECONDS
record() {
  SUMMARY+=("$(printf '%-8s %-4s %-46s %4dm%02ds' "$1" "$2" "$3" $(($4 / 60)) $(($4 % 60)))")
}

# configure_and_build DIR [cmake args...] -- [build targets...]
configure_and_build() {
  local dir=$1; shift
  local args=() targets=()
  while [[ $# -gt 0 && $1 != -- ]]; do args+=("$1"); shift; done
  [[ $# -gt 0 ]] && shift
  targets=("$@")
  cmake -S "$ROOT" -B "$dir" "${args[@]}" || return 1
  if [[ ${#targets[@]} -gt 0 ]]; then
    cmake --build "$dir" -j"$JOBS" --target "${targets[@]}"
  else
    cmake --build "$dir" -j"$JOBS"
  fi
}

# run_ctest STAGE DIR START [ctest args...]: runs ctest, adds its counts to
# the totals and records the stage.
run_ctest() {
  local stage=$1 dir=$2 start=$3; shift 3
  local log="$dir/strata-ctest.log" status passed=0 failed=0 total=0
  # shellcheck disable=SC2086  # CTEST_WRAPPER is a word list, e.g. "setarch x86_64 -R"
  ${CTEST_WRAPPER:-} ctest --test-dir "$dir" -j"$JOBS" --output-on-failure "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  local line
  line=$(grep -Eo '[0-9]+ tests? failed out of [0-9]+' "$log" | tail -1)
  if [[ -n $line ]]; then
    failed=$(awk '{print $1}' <<<"$line")
    total=$(awk '{print $NF}' <<<"$line")
    passed=$((total - failed))
  fi
  # ctest failing without a failed test (e.g. it could not run) still fails.
  [[ $status -ne 0 && $failed -eq 0 ]] && failed=1
  TOTAL_PASSED=$((TOTAL_PASSED + passed))
  TOTAL_FAILED=$((TOTAL_FAILED + failed))
  local verdict=PASS
  [[ $failed -ne 0 ]] && verdict=FAIL
  local detail="$passed passed, $failed failed"
  [[ $verdict == FAIL ]] && detail+=" (see $dir/strata-ctest.log)"
  record "$stage" "$verdict" "$detail" $((SECONDS - start))
}

# stage_failed STAGE START WHAT: a failure outside ctest.
stage_failed() {
  TOTAL_FAILED=$((TOTAL_FAILED + 1))
  record "$1" FAIL "$3" $((SECONDS - $2))
}

stage_release() {
  local start=$SECONDS
  banner "release: Release build in ./build, all tests except label stress"
  configure_and_build build -DCMAKE_BUILD_TYPE=Release || { stage_failed release "$start" "configure/build failed"; return; }
  # The stress label (hundreds of crash/kill cycles) is run on demand:
  #   ctest --test-dir build -L stress
  run_ctest release build "$start" -LE stress
}

stage_asan() {
  local start=$SECONDS
  banner "asan: Debug + ASan/UBSan + -Werror in ./build-asan, all tests except label stress"
  configure_and_build build-asan -DCMAKE_BUILD_TYPE=Debug -DSTRATA_SANITIZE=address -DSTRATA_WERROR=ON \
    -DSTRATA_BUILD_BENCH=OFF || { stage_failed asan "$start" "configure/build failed"; return; }
  ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_stack_use_after_return=1} \
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    run_ctest asan build-asan "$start" -LE stress
}

# Names of the tests labelled "concurrency" (= their executables' targets).
concurrency_tests() {
  ctest --test-dir build-tsan -N -L concurrency | sed -nE 's/^ *Test +#[0-9]+: +([^ ]+).*/\1/p'
}

stage_tsan() {
  local start=$SECONDS
  banner "tsan: ThreadSanitizer in ./build-tsan, tests labelled concurrency"
  cmake -S "$ROOT" -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTRATA_SANITIZE=thread \
    -DSTRATA_BUILD_BENCH=OFF -DSTRATA_BUILD_EXAMPLES=OFF || { stage_failed tsan "$start" "configure failed"; return; }
  local tests
  mapfile -t tests < <(concurrency_tests)
  if [[ ${#tests[@]} -eq 0 ]]; then
    record tsan PASS "no tests labelled concurrency" $((SECONDS - start))
    return
  fi
  # Only the library and the concurrency tests: the rest would not run here.
  cmake --build build-tsan -j"$JOBS" --target strata "${tests[@]}" || { stage_failed tsan "$start" "build failed"; return; }
  # TSan needs a predictable address layout on recent kernels; disable ASLR
  # for the run (inherited by ctest's children) when the environment allows.
  local norandom=()
  setarch "$(uname -m)" -R true 2>/dev/null && norandom=(setarch "$(uname -m)" -R)
  TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1} \
    CTEST_WRAPPER="${norandom[*]}" run_ctest tsan build-tsan "$start" -L concurrency
}

stage_install() {
  local start=$SECONDS
  banner "install: cmake --install build, then find_package(strata) from test/install/consumer"
  local tmp
  tmp=$(mktemp -d)
  # shellcheck disable=SC2064  # expand $tmp now
  trap "rm -rf '$tmp'" RETURN
  configure_and_build build -DCMAKE_BUILD_TYPE=Release -- strata strata_cli || { stage_failed install "$start" "build failed"; return; }
  cmake --install build --prefix "$tmp/prefix" || { stage_failed install "$start" "cmake --install failed"; return; }
  cmake -S test/install/consumer -B "$tmp/consumer" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$tmp/prefix" &&
    cmake --build "$tmp/consumer" -j"$JOBS" || { stage_failed install "$start" "consumer configure/build failed"; return; }
  "$tmp/consumer/strata_consumer" || { stage_failed install "$start" "consumer run failed"; return; }
  TOTAL_PASSED=$((TOTAL_PASSED + 1))
  record install PASS "1 passed, 0 failed (consumer built and ran)" $((SECONDS - start))
}

main() {
  ensure_packages || { echo "could not install the build dependencies" >&2; echo "0 passed, 1 failed"; exit 1; }
  local s
  for s in ${STAGES//,/ }; do
    case $s in
      release | asan | tsan | install) "stage_$s" ;;
      *) echo "unknown stage '$s' in STRATA_TEST_STAGES" >&2; TOTAL_FAILED=$((TOTAL_FAILED + 1)) ;;
    esac
  done
  banner "summary"
  printf '%s\n' "${SUMMARY[@]}"
  local verdict="ALL PASSED"
  [[ $TOTAL_FAILED -ne 0 ]] && verdict="FAILURES"
  printf 'total %s, %dm%02ds\n' "$verdict" $((SECONDS / 60)) $((SECONDS % 60))
  echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
  [[ $TOTAL_FAILED -eq 0 ]]
}

main
