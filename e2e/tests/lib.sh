# shellcheck shell=bash
# Helpers for the end-to-end tests: run Slurm commands as the unprivileged test user and check what they print.
# Sourced by run-tests.sh. Every test is a function named test_*; it fails by calling fail (or through an assert).

: "${TEST_USER:=jpxtest}"
: "${E2E_IMAGE:?E2E_IMAGE (the test image, a squashfs file) must be set}"
: "${SLURM_CONF:?SLURM_CONF must be set}"
: "${RUNTIME:=enroot}"

TEST_HOME=$(getent passwd "$TEST_USER" | cut -d: -f6)
# the plugin's default image_cache (docs/runtimes.md#the-image-cache)
IMAGE_CACHE=/var/tmp/jpyxis-cache
WORK=$TEST_HOME/e2e-work
OUT= ERR= RC=

# as_user COMMAND...: runs a command as the test user, in $WORK, with a plain login-like environment and a time
# limit. Extra variables for the command: USER_ENV="NAME=value ...".
as_user() {
    # shellcheck disable=SC2086
    (cd "$WORK" && timeout "${STEP_TIMEOUT:-120}" runuser -u "$TEST_USER" -- env -i \
        PATH=/usr/local/bin:/usr/bin:/bin HOME="$TEST_HOME" USER="$TEST_USER" LOGNAME="$TEST_USER" LANG=C.UTF-8 PWD="$WORK" \
        SLURM_CONF="$SLURM_CONF" ${USER_ENV:-} "$@")
}

# run COMMAND...: as_user, capturing stdout in $OUT, stderr in $ERR and the exit status in $RC. Never fails.
run() {
    local out err
    out=$(mktemp) err=$(mktemp)
    RC=0
    as_user "$@" >"$out" 2>"$err" || RC=$?
    OUT=$(cat "$out") ERR=$(cat "$err")
    rm -f "$out" "$err"
}

fail() {
    echo "    FAIL: $*" >&2
    echo "    --- stdout:" >&2; printf '%s\n' "$OUT" | sed 's/^/    | /' >&2
    echo "    --- stderr:" >&2; printf '%s\n' "$ERR" | sed 's/^/    | /' >&2
    echo "    --- exit status: $RC" >&2
    return 1
}

skip() {
    echo "    SKIP: $*"
    return 3
}

# needs_runtime: skips the calling test where no container runtime is installed.
needs_runtime() {
    [ "$RUNTIME" != none ] || skip "no container runtime is installed on this machine"
}

# supports FEATURE: whether the runtime under test has a feature Charliecloud lacks (entrypoint, mount options).
supports() {
    [ "$RUNTIME" = enroot ]
}

assert_rc() { [ "$RC" -eq "$1" ] || fail "exit status $RC, expected $1"; }
assert_ok() { assert_rc 0; }
assert_out() { [ "$OUT" = "$1" ] || fail "stdout is not exactly: $1"; }
assert_out_has() { grep -qF -- "$1" <<<"$OUT" || fail "stdout lacks: $1"; }
assert_err_has() { grep -qF -- "$1" <<<"$ERR" || fail "stderr lacks: $1"; }
assert_err_lacks() { ! grep -qF -- "$1" <<<"$ERR" || fail "stderr has: $1"; }

# The runtime's containers of the test user, one name per line.
containers() {
    case $RUNTIME in
        enroot) as_user enroot list 2>/dev/null ;;
        charliecloud) as_user ls -1 "/var/tmp/$TEST_USER.jpyxis" 2>/dev/null ;;
    esac
}
assert_no_container() { ! containers | grep -qx -- "$1" || fail "container $1 still exists"; }
assert_container() { containers | grep -qx -- "$1" || fail "container $1 does not exist"; }
remove_container() {
    case $RUNTIME in
        enroot) as_user enroot remove -f "$1" >/dev/null 2>&1 || true ;;
        charliecloud) as_user sh -c 'chmod -R u+rwX "$1" && rm -rf "$1"' rm "/var/tmp/$TEST_USER.jpyxis/$1" \
            >/dev/null 2>&1 || true ;;
    esac
}

# clear_image_cache: the test user's cached images go, so that the next docker:// step imports (and says so).
clear_image_cache() { rm -rf "${IMAGE_CACHE:?}/$(id -u "$TEST_USER")"; }

# The job id srun reports with -v, or the last job id of the user.
last_job_id() { SLURM_CONF=$SLURM_CONF squeue -h -u "$TEST_USER" -t all -o %i 2>/dev/null | sort -n | tail -1; }

wait_for_job() {
    local job=$1 i
    for ((i = 0; i < 600; i++)); do
        SLURM_CONF=$SLURM_CONF squeue -h -j "$job" 2>/dev/null | grep -q . || return 0
        sleep 0.2
    done
    return 1
}
