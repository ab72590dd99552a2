# shellcheck shell=bash
# Helpers for the end-to-end tests: run Slurm commands as the unprivileged test user and check what they print.
# Sourced by run-tests.sh. Every test is a function named test_*; it fails by calling fail (or through an assert).

: "${TEST_USER:=jpxtest}"
: "${E2E_IMAGE:?E2E_IMAGE (the test image, a squashfs file) must be set}"
: "${SLURM_CONF:?SLURM_CONF must be set}"
: "${RUNTIME:=enroot}"

TEST_HOME=$(getent passwd "$TEST_USER" | cut -d: -f6)
TEST_UID=$(id -u "$TEST_USER")
# the plugin's default image_cache (docs/runtimes.md#the-image-cache)
IMAGE_CACHE=/var/tmp/jpyxis-cache
WORK=$TEST_HOME/e2e-work
OUT= ERR= RC=

# The cluster: its nodes and the node helpers of e2e/cluster/lib.sh (node_exec, node_pids, node_path, ...).
STATE_DIR=$(dirname "$SLURM_CONF")
# shellcheck source=../cluster/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../cluster/lib.sh"
load_cluster_env || { echo "e2e: no $STATE_DIR/cluster.env: start the cluster with e2e/cluster/start-cluster.sh" >&2; exit 1; }
# shellcheck disable=SC2206
NODE_NAMES=($CLUSTER_NODES)
# What the real cluster did in each multi-node case, one JSON object per line (record_case)
RECORD_FILE=${E2E_RECORD_FILE:-$STATE_DIR/multinode-cases.jsonl}

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

# figure TEXT: a measurement the run prints even when the test passes
figure() { echo "figure: $*"; }

skip() {
    echo "    SKIP: $*"
    return 3
}

# known_gap TEXT: the test found a behaviour the issue asks for that jpyxis does not have yet, and that needs a change
# outside the e2e harness (named in TEXT and in docs/e2e.md). Reported loudly, not as a failure, unless E2E_STRICT=1.
known_gap() {
    echo "    KNOWN GAP: $*"
    [ "${E2E_STRICT:-0}" = 1 ] && return 1
    return 4
}

# needs_nodes N: skips the calling test where the cluster has fewer than N nodes.
needs_nodes() {
    [ "${#NODE_NAMES[@]}" -ge "$1" ] || skip "needs $1 nodes, the cluster has ${#NODE_NAMES[@]}"
}

# needs_runtime: skips the calling test where no container runtime is installed.
needs_runtime() {
    [ "$RUNTIME" != none ] || skip "no container runtime is installed on this machine"
}

assert_rc() { [ "$RC" -eq "$1" ] || fail "exit status $RC, expected $1"; }
assert_ok() { assert_rc 0; }
assert_out() { [ "$OUT" = "$1" ] || fail "stdout is not exactly: $1"; }
assert_out_has() { grep -qF -- "$1" <<<"$OUT" || fail "stdout lacks: $1"; }
assert_err_has() { grep -qF -- "$1" <<<"$ERR" || fail "stderr lacks: $1"; }
assert_err_lacks() { ! grep -qF -- "$1" <<<"$ERR" || fail "stderr has: $1"; }
assert_out_lacks() { ! grep -qF -- "$1" <<<"$OUT" || fail "stdout has: $1"; }

# The directory holding the test user's containers on a node, as the host sees it (the node may be down).
container_dir() {
    local dir
    case $RUNTIME in
        enroot)
            # enroot.conf's value, expanded by the user's shell as enroot does (e.g. /tmp/enroot-data/user-$(id -u))
            dir=$(cat /usr/local/etc/enroot/enroot.conf /usr/local/etc/enroot/enroot.conf.d/*.conf \
                /etc/enroot/enroot.conf /etc/enroot/enroot.conf.d/*.conf 2>/dev/null \
                | awk '$1 == "ENROOT_DATA_PATH" {sub(/^[^ \t]+[ \t]+/, ""); print}' | tail -1)
            [ -n "$dir" ] || dir='${XDG_DATA_HOME:-$HOME/.local/share}/enroot'
            dir=$(as_user sh -c "echo $dir") ;;
        charliecloud) dir=/var/tmp/$TEST_USER.jpyxis ;;
        *) return 0 ;;
    esac
    node_path "$1" "$dir"
}

# containers_on NODE: the runtime's containers of the test user on one node, one name per line (`enroot list`
# lists the directories of its data path; jpyxis's Charliecloud containers are the directories of its storage).
containers_on() {
    local dir
    dir=$(container_dir "$1")
    [ -n "$dir" ] && [ -d "$dir" ] || return 0
    find "$dir" -mindepth 1 -maxdepth 1 -type d ! -name '.*' -printf '%f\n' | sort
}
# containers: the test user's containers on every node, one name per line.
containers() {
    local node
    for node in "${NODE_NAMES[@]}"; do containers_on "$node"; done | sort -u
}
assert_no_container() { ! containers | grep -qx -- "$1" || fail "container $1 still exists on $(nodes_with "$1")"; }
assert_container() { containers | grep -qx -- "$1" || fail "container $1 does not exist"; }
# nodes_with NAME -> the nodes that have the container NAME
nodes_with() {
    local node
    for node in "${NODE_NAMES[@]}"; do containers_on "$node" | grep -qx -- "$1" && printf '%s ' "$node"; done
    return 0
}
remove_container() {
    local node dir
    for node in "${NODE_NAMES[@]}"; do
        dir=$(container_dir "$node")
        [ -n "$dir" ] && [ -d "$dir/$1" ] || continue
        chmod -R u+rwX "$dir/$1" 2>/dev/null || true
        rm -rf "${dir:?}/$1"
    done
}

# user_processes_on NODE: the test user's processes on a node, "PID COMMAND LINE" per line.
user_processes_on() {
    local pid
    for pid in $(node_pids "$1"); do
        [ "$(stat -c %u "/proc/$pid" 2>/dev/null)" = "$TEST_UID" ] || continue
        echo "$pid $(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)"
    done
}
# wait_no_user_processes NODE...: waits (bounded) until the test user has no process left on these nodes;
# fails naming what is left.
wait_no_user_processes() {
    local i node left
    for ((i = 0; i < 50; i++)); do
        left=
        for node in "$@"; do
            [ -z "$(user_processes_on "$node")" ] || left="$left $node"
        done
        if [ -z "$left" ]; then
            [ "$i" -lt 5 ] || echo "    NOTE: the test user's processes took $((i / 5)) s to end on $*"
            return 0
        fi
        sleep 0.2
    done
    for node in $left; do echo "    $node: $(user_processes_on "$node" | tr '\n' ';')" >&2; done
    fail "the test user still has processes on$left"
}

# node_mounts_have TEXT: whether a mount of any node (or of the host) names TEXT
node_mounts_have() {
    local node init
    grep -qF -- "$1" /proc/mounts && return 0
    for node in "${NODE_NAMES[@]}"; do
        init=$(node_init_pid "$node")
        [ -n "$init" ] && grep -qF -- "$1" "/proc/$init/mounts" && return 0
    done
    return 1
}

# ---- what the real cluster did, for comparison with the simulator (docs/e2e.md, "Case records")
declare -A LOG_MARK=() CONTAINERS_AT_MARK=()
# mark_logs: remembers where each node's slurmd log ends and which containers the test user has on it; record_case
# reports what the nodes logged since, and what the case added or removed.
mark_logs() {
    local node
    for node in "${NODE_NAMES[@]}"; do
        LOG_MARK[$node]=$(stat -c %s "$STATE_DIR/log/slurmd.$node.log" 2>/dev/null || echo 0)
        CONTAINERS_AT_MARK[$node]=$(containers_on "$node")
    done
}
# log_since_mark NODE: what the node's slurmd and slurmstepds logged since mark_logs
log_since_mark() {
    tail -c +"$((${LOG_MARK[$1]:-0} + 1))" "$STATE_DIR/log/slurmd.$1.log" 2>/dev/null || true
}
# starts_since_mark NODE [JOB]: how many containers the node started since mark_logs (of JOB's steps only)
starts_since_mark() {
    log_since_mark "$1" | grep -c "\] \[${2:-[0-9]*}\.[^]]*\] pyxis: starting container" || true
}

# record_case CASE COMMAND: appends one JSON line to RECORD_FILE for the last `run` (its exit status and stderr),
# with each node's containers at mark_logs and now, and what each node's slurmd log says since mark_logs (container
# creations, starts, removals, leftovers removed, pyxis lines). The simulator's scenarios playing CASE are compared
# with these records (docs/simulator.md#checked-against-the-real-cluster).
record_case() {
    local case=$1 command=$2 dir node
    dir=$(mktemp -d)
    printf '%s' "$ERR" > "$dir/stderr"
    for node in "${NODE_NAMES[@]}"; do
        log_since_mark "$node" > "$dir/log.$node"
        printf '%s\n' "${CONTAINERS_AT_MARK[$node]:-}" > "$dir/before.$node"
        containers_on "$node" > "$dir/containers.$node"
        user_processes_on "$node" | wc -l > "$dir/processes.$node"
    done
    python3 - "$dir" "$case" "$RUNTIME" "$command" "$RC" "$WORK" "${NODE_NAMES[@]}" >> "$RECORD_FILE" <<'PY'
import json, re, sys, time
d, case, runtime, command, rc, work, *nodes = sys.argv[1:]
stderr = open(f"{d}/stderr", errors="replace").read().splitlines()
def pyxis(lines):
    return [l[l.index("pyxis:"):] for l in lines if "pyxis:" in l]
def step(line):
    found = re.search(r"\] \[([^]]+)\] ", line)
    return found.group(1) if found else None
record = {"case": case, "runtime": runtime, "nodes": nodes, "command": command, "exit": int(rc) if rc.lstrip("-").isdigit() else rc,
          "jobs": [], "creates": {}, "starts": {}, "removes": {}, "leftovers_removed": {},
          "containers_before": {}, "containers_after": {}, "user_processes_after": {}, "pyxis_messages": pyxis(stderr),
          "node_messages": {}, "stderr": stderr, "work_dir": work, "time": time.strftime("%Y-%m-%dT%H:%M:%S")}
jobs = set()
for node in nodes:
    log = open(f"{d}/log.{node}", errors="replace").read().splitlines()
    jobs.update(int(m.group(1)) for m in (re.search(r"\] \[(\d+)\.", l) for l in log) if m)
    count = lambda text: sum(1 for l in log if text in l)
    # "starting container" is logged just before the start configuration; a step whose configuration then failed
    # (a missing mount source) did not start it
    unstarted = {step(l) for l in log if "start configuration script" in l and "pyxis: couldn't create" in l}
    record["creates"][node] = count("pyxis: creating container filesystem")
    record["starts"][node] = sum(1 for l in log if "pyxis: starting container" in l and step(l) not in unstarted)
    record["removes"][node] = count("pyxis: removing container filesystem")
    record["leftovers_removed"][node] = count("pyxis: removing leftover container")
    record["node_messages"][node] = pyxis(log)
    record["containers_before"][node] = open(f"{d}/before.{node}").read().split()
    record["containers_after"][node] = open(f"{d}/containers.{node}").read().split()
    record["user_processes_after"][node] = int(open(f"{d}/processes.{node}").read().strip() or 0)
record["jobs"] = sorted(jobs)
print(json.dumps(record, sort_keys=False))
PY
    rm -rf "$dir"
}

# clear_image_cache: the test user's cached images go on every node, so that the next docker:// step imports (and says so).
clear_image_cache() {
    local node
    for node in "${NODE_NAMES[@]}"; do rm -rf "$(node_path "$node" "${IMAGE_CACHE:?}")/$(id -u "$TEST_USER")"; done
}

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
