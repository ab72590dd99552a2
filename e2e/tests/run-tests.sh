#!/usr/bin/env bash
# Runs the end-to-end tests against a running cluster of e2e/cluster/start-cluster.sh with the plugin installed.
# Usage: run-tests.sh [TEST_NAME_PATTERN]
# Needs (env): SLURM_CONF, E2E_IMAGE, RUNTIME (enroot|charliecloud), TEST_USER; PLUGSTACK (the plugstack.conf
# the tests may rewrite) and PLUGSTACK_LINE (the plugin's line) for the tests that change the configuration;
# E2E_PYTORCH_IMAGE and E2E_MPI_IMAGE (the test image's other flavours) for the multi-node tests.
# E2E_STRICT=1 counts a known gap (known_gap in lib.sh) as a failure; E2E_SHOW_PASSED=1 shows what passing tests said;
# E2E_REPEAT=N runs each chosen test N times in a row (a race's test, say).
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
for file in "$HERE"/test_*.sh; do
    # shellcheck disable=SC1090
    . "$file"
done

install -d -o "$TEST_USER" -m 755 "$WORK"
cp "$E2E_IMAGE" "$WORK/img.sqsh" && chown "$TEST_USER" "$WORK/img.sqsh"

# the tests whose name contains one of the |-separated texts, or all
IFS='|' read -r -a patterns <<<"${1:-}"
wanted() {
    [ "${#patterns[@]}" -eq 0 ] && return 0
    local p
    for p in "${patterns[@]}"; do [[ $1 == *"$p"* ]] && return 0; done
    return 1
}
passed=0 failed=0 skipped=0 gaps=0 failures=() gap_tests=()
started=$SECONDS
for test in $(declare -F | awk '{print $3}' | grep '^test_' | sort); do
    wanted "$test" || continue
    for ((round = 1; round <= ${E2E_REPEAT:-1}; round++)); do
        printf '%s [%s] ... ' "$test" "$RUNTIME"
        t0=$SECONDS
        ( set -e; "$test" ) >"$WORK/.last.log" 2>&1
        status=$?
        case $status in
            0) echo "ok ($((SECONDS - t0))s)"; passed=$((passed + 1))
               if [ "${E2E_SHOW_PASSED:-0}" = 1 ]; then sed 's/^/  /' "$WORK/.last.log"
               else grep '^figure: ' "$WORK/.last.log" | sed 's/^/  /'; fi ;;
            3) echo "skipped"; sed 's/^/  /' "$WORK/.last.log"; skipped=$((skipped + 1)) ;;
            4) echo "KNOWN GAP ($((SECONDS - t0))s)"; sed 's/^/  /' "$WORK/.last.log"; gaps=$((gaps + 1)); gap_tests+=("$test") ;;
            *) echo "FAILED"; cat "$WORK/.last.log"; failed=$((failed + 1)); failures+=("$test") ;;
        esac
    done
done
echo
echo "e2e [$RUNTIME]: $passed passed, $failed failed, $skipped skipped, $gaps known gaps in $((SECONDS - started))s"
[ "$gaps" -eq 0 ] || printf '!!! known gap (needs a change outside e2e, see docs/e2e.md): %s\n' "${gap_tests[@]}"
[ "$failed" -eq 0 ] || { printf 'failed: %s\n' "${failures[@]}"; exit 1; }
