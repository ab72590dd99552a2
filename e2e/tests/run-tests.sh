#!/usr/bin/env bash
# Runs the end-to-end tests against a running single-node Slurm with the plugin installed.
# Usage: run-tests.sh [TEST_NAME_PATTERN]
# Needs (env): SLURM_CONF, E2E_IMAGE, RUNTIME (enroot|charliecloud), TEST_USER; PLUGSTACK (the plugstack.conf
# the tests may rewrite) and PLUGSTACK_LINE (the plugin's line) for the tests that change the configuration.
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

pattern=${1:-}
passed=0 failed=0 skipped=0 failures=()
started=$SECONDS
for test in $(declare -F | awk '{print $3}' | grep '^test_' | sort); do
    [ -n "$pattern" ] && [[ $test != *$pattern* ]] && continue
    printf '%s [%s] ... ' "$test" "$RUNTIME"
    t0=$SECONDS
    ( set -e; "$test" ) >"$WORK/.last.log" 2>&1
    status=$?
    case $status in
        0) echo "ok ($((SECONDS - t0))s)"; passed=$((passed + 1)) ;;
        3) echo "skipped"; sed 's/^/  /' "$WORK/.last.log"; skipped=$((skipped + 1)) ;;
        *) echo "FAILED"; cat "$WORK/.last.log"; failed=$((failed + 1)); failures+=("$test") ;;
    esac
done
echo
echo "e2e [$RUNTIME]: $passed passed, $failed failed, $skipped skipped in $((SECONDS - started))s"
[ "$failed" -eq 0 ] || { printf 'failed: %s\n' "${failures[@]}"; exit 1; }
