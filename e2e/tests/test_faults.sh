# shellcheck shell=bash
# Faults on the real cluster (docs/lifecycle.md#faults): another user squatting on the user's storage, a stopped or
# killed step engine, scancel during an import and during a running step, two steps racing for one new named
# container, a user's broken storage at the job epilog. After each: no container of the fault's job, no process of the
# user, no stray file, and the node idle, not drained. Every step runs on FAULT_NODE.

FAULT_NODE=node1
SECOND_USER=${SECOND_USER:-jpxtest2}

# node_state: Slurm's state of FAULT_NODE (idle, mixed, allocated, drained, ...).
node_state() { SLURM_CONF=$SLURM_CONF sinfo -h -n "$FAULT_NODE" -o %T 2>/dev/null | head -1; }

# assert_node_in_service: the node is not drained (waits for its jobs to end, bounded). "planned" is an idle node the
# backfill scheduler has set aside for a pending job: in service too.
assert_node_in_service() {
    local i state
    for ((i = 0; i < 100; i++)); do
        state=$(node_state)
        case $state in idle | planned) return 0 ;; esac
        case $state in drain* | *drain) break ;; esac
        sleep 0.2
    done
    fail "node $FAULT_NODE is $state, not idle"
}

# new_engine_of_user BEFORE: the pid of a step engine of the test user that is not among the pids BEFORE (waits up to
# 10 s), or nothing. BEFORE: what `step_engines` said before the step was started.
step_engines() { pgrep -u "$TEST_USER" -f 'dev.jpyxis.dist.engine.EngineMain step' || true; }
new_engine_of_user() {
    local i pid
    for ((i = 0; i < 100; i++)); do
        for pid in $(step_engines); do
            grep -qx -- "$pid" <<<"$1" || { echo "$pid"; return 0; }
        done
        sleep 0.1
    done
}

# background_step OUTFILE ARGS...: srun ARGS as the test user in the background; its pid in BG_PID.
background_step() {
    local out=$1
    shift
    as_user srun -w "$FAULT_NODE" "$@" >"$out" 2>&1 &
    BG_PID=$!
}

# plugstack_with KEY=VALUE...: the plugin's line with these keys for the steps that follow; plugstack_reset undoes it.
plugstack_with() { printf '%s %s\n' "$PLUGSTACK_LINE" "$*" > "$PLUGSTACK"; }
plugstack_reset() { printf '%s\n' "$PLUGSTACK_LINE" > "$PLUGSTACK"; }

# sweep: a step of the user on the node, which removes the leftovers of dead steps (docs/lifecycle.md).
sweep() { as_user srun -w "$FAULT_NODE" --container-image=./img.sqsh true >/dev/null 2>&1 || true; }

test_faults_another_user_squatting_on_the_containers_directory_is_refused() {
    needs_runtime
    [ "$RUNTIME" = charliecloud ] || skip "enroot's data path is enroot's own configuration"
    "$(dirname "${BASH_SOURCE[0]}")/../cluster/add-test-user.sh" "$SECOND_USER" 5100 >/dev/null
    local dir saved
    dir=$(container_dir "$FAULT_NODE")
    saved=$dir.saved-by-faults
    [ ! -e "$dir" ] || mv "$dir" "$saved"
    # the squatter plants a container under the name the victim will ask for, with a script that leaves a mark
    runuser -u "$SECOND_USER" -- sh -c "umask 022; mkdir -p '$dir/pyxis_planted/bin' '$dir/pyxis_planted/tmp'"
    run srun -w "$FAULT_NODE" --container-name=planted true
    rm -rf "$dir"
    [ ! -e "$saved" ] || mv "$saved" "$dir"
    [ "$RC" -ne 0 ] || fail "the step ran in the planted container"
    assert_err_has "pyxis: refusing to use /var/tmp/$TEST_USER.jpyxis: owned by uid $(id -u "$SECOND_USER"), not by uid $TEST_UID; ask an admin to remove it"
    wait_no_user_processes "$FAULT_NODE"
    assert_node_in_service
}

test_faults_a_stopped_engine_fails_the_step_after_engine_timeout_and_never_drains() {
    needs_runtime
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    plugstack_with engine_timeout=15
    local out engine t0 job before
    out=$(mktemp)
    before=$(step_engines)
    background_step "$out" --container-image=./img.sqsh sh -c 'sleep 3; echo task-done'
    engine=$(new_engine_of_user "$before")
    [ -n "$engine" ] || { plugstack_reset; wait "$BG_PID"; fail "no step engine"; return 1; }
    sleep 1
    # the engine is the user's: the user can stop it; the shim waits for it at task_exit, at most engine_timeout
    kill -STOP "$engine"
    t0=$SECONDS
    RC=0
    wait "$BG_PID" || RC=$?
    plugstack_reset
    OUT=$(cat "$out") ERR=$OUT
    rm -f "$out"
    echo "srun ended $((SECONDS - t0)) s after the engine was stopped (engine_timeout=15, the smallest)"
    [ $((SECONDS - t0)) -lt 45 ] || fail "the step hung on the stopped engine"
    assert_out_has "task-done"
    assert_err_has "did not answer within 15 s (engine_timeout)"
    ! kill -0 "$engine" 2>/dev/null || fail "the stopped engine $engine is still there"
    job=$(last_job_id)
    sweep
    assert_no_container "pyxis_$job.0"
    wait_no_user_processes "$FAULT_NODE"
    assert_node_in_service
}

test_faults_an_engine_stopped_as_it_starts_ends_the_step_after_engine_timeout() {
    needs_runtime
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    plugstack_with engine_timeout=15
    mark_logs
    local out engine t0 before i
    out=$(mktemp)
    before=$(step_engines)
    t0=$SECONDS
    background_step "$out" --container-image=./img.sqsh echo never-printed
    # stopped as soon as it shows: slurmstepd waits for it at init_post_opt or user_init
    for ((i = 0; i < 400; i++)); do
        for engine in $(step_engines); do
            grep -qx -- "$engine" <<<"$before" || break 2
        done
        engine=
        sleep 0.025
    done
    [ -n "$engine" ] && kill -STOP "$engine"
    RC=0
    wait "$BG_PID" || RC=$?
    plugstack_reset
    OUT=$(cat "$out") ERR=$OUT
    rm -f "$out"
    [ -n "$engine" ] || fail "no step engine to stop"
    echo "the step ended $((SECONDS - t0)) s after it was started (engine_timeout=15)"
    [ $((SECONDS - t0)) -lt 60 ] || fail "the step hung on the stopped engine"
    assert_out_lacks "never-printed"
    log_since_mark "$FAULT_NODE" | grep -qF "did not answer within 15 s (engine_timeout)" \
        || fail "slurmd's log does not name the timeout"
    ! kill -0 "$engine" 2>/dev/null || fail "the stopped engine $engine is still there"
    wait_no_user_processes "$FAULT_NODE"
    assert_node_in_service
}

test_faults_a_running_container_survives_when_its_engine_dies() {
    needs_runtime
    local out engine job before
    out=$(mktemp)
    mark_logs
    before=$(step_engines)
    # the task outlives its engine, then reads a file of the image: its container must still be whole.
    # --container-save makes the step create a container (no start in place), which it never gets to export.
    background_step "$out" --container-image=./img.sqsh --container-save="$WORK/never-saved.sqsh" \
        sh -c 'sleep 6; ls /bin/sh'
    engine=$(new_engine_of_user "$before")
    [ -n "$engine" ] || { wait "$BG_PID"; fail "no step engine"; return 1; }
    sleep 2
    job=$(last_job_id)
    kill -KILL "$engine"
    # another step of the user on the node looks for leftovers while the first one's task runs
    run srun -w "$FAULT_NODE" --container-image=./img.sqsh echo second
    assert_ok
    assert_out "second"
    assert_container "pyxis_$job.0"
    log_since_mark "$FAULT_NODE" | grep -qF "pyxis: container pyxis_$job.0 of step $job.0 still runs: kept" \
        || fail "the second step did not say it kept the running container"
    wait "$BG_PID" || true
    OUT=$(cat "$out") ERR=$OUT
    rm -f "$out" "$WORK/never-saved.sqsh"
    assert_out_has "/bin/sh"
    sweep
    assert_no_container "pyxis_$job.0"
    wait_no_user_processes "$FAULT_NODE"
    assert_node_in_service
}

test_faults_scancel_during_a_running_step_exports_as_pyxis_and_leaves_nothing() {
    needs_runtime
    local out engine job before saved=$WORK/cancelled.sqsh
    rm -f "$saved"
    out=$(mktemp)
    before=$(step_engines)
    # pyxis exports at the last task_exit when every task got through task_init, a cancelled step included
    background_step "$out" --container-image=./img.sqsh --container-save="$saved" sleep 60
    engine=$(new_engine_of_user "$before")
    [ -n "$engine" ] || { wait "$BG_PID"; fail "no step engine"; return 1; }
    sleep 2
    job=$(last_job_id)
    SLURM_CONF=$SLURM_CONF scancel "$job"
    wait "$BG_PID" || true
    OUT=$(cat "$out") ERR=$OUT
    rm -f "$out"
    wait_no_user_processes "$FAULT_NODE"
    assert_no_container "pyxis_$job.0"
    [ -s "$saved" ] || fail "the cancelled step's container was not saved to $saved"
    rm -f "$saved"
    assert_node_in_service
}

test_faults_scancel_during_an_import_stops_it_and_leaves_no_file() {
    needs_runtime
    [ -n "${E2E_REGISTRY:-}" ] || skip "no local registry"
    USER_ENV="CURL_CA_BUNDLE=$E2E_REGISTRY_CA REQUESTS_CA_BUNDLE=$E2E_REGISTRY_CA"
    clear_image_cache
    local image="$E2E_REGISTRY#jpyxis/busybox:1" out engine='' importers='' job i runtime_dir cache_dir pulls
    out=$(mktemp)
    background_step "$out" --container-image="$image" true
    for ((i = 0; i < 600; i++)); do
        engine=$(pgrep -u "$TEST_USER" -f 'dev.jpyxis.dist.engine.EngineMain step' | head -1 || true)
        if [ -n "$engine" ]; then
            importers=$(pgrep -P "$engine" -f '( import |--no-cache pull )' || true)
            [ -z "$importers" ] || break
        fi
        sleep 0.05
    done
    [ -n "$importers" ] || { wait "$BG_PID"; rm -f "$out"; skip "the import was over before it could be cancelled"; }
    # shellcheck disable=SC2086
    echo "cancelled during: $(ps -o args= -p ${importers%%[[:space:]]*} 2>/dev/null | cut -c1-120)"
    job=$(last_job_id)
    SLURM_CONF=$SLURM_CONF scancel "$job"
    wait "$BG_PID" || true
    OUT=$(cat "$out") ERR=$OUT
    rm -f "$out"
    wait_no_user_processes "$FAULT_NODE"
    assert_no_container "pyxis_$job.0"
    runtime_dir=$(node_path "$FAULT_NODE" "/run/pyxis/$TEST_UID")
    cache_dir=$(node_path "$FAULT_NODE" "$IMAGE_CACHE/$TEST_UID")
    pulls=$(node_path "$FAULT_NODE" "/var/tmp/$TEST_USER.ch")
    ! find "$runtime_dir" -maxdepth 1 -name '*.squashfs' 2>/dev/null | grep -q . || fail "a temporary import is left"
    ! find "$cache_dir" -maxdepth 1 -name '*.partial' 2>/dev/null | grep -q . || fail "a partial cache entry is left"
    ! find "$pulls" -mindepth 1 -maxdepth 1 -name 'pull-*' 2>/dev/null | grep -q . || fail "a pull's storage is left"
    assert_node_in_service
}

test_faults_two_steps_racing_for_one_new_named_container_leave_one() {
    needs_runtime
    remove_container pyxis_race
    local a b rc_a=0 rc_b=0
    a=$(mktemp) b=$(mktemp)
    as_user srun -w "$FAULT_NODE" --container-image=./img.sqsh --container-name=race echo A >"$a" 2>&1 &
    local pid_a=$!
    as_user srun -w "$FAULT_NODE" --container-image=./img.sqsh --container-name=race echo B >"$b" 2>&1 &
    local pid_b=$!
    wait "$pid_a" || rc_a=$?
    wait "$pid_b" || rc_b=$?
    OUT="A($rc_a): $(cat "$a") | B($rc_b): $(cat "$b")" ERR=
    rm -f "$a" "$b"
    echo "race: $OUT"
    [ "$rc_a" -eq 0 ] || [ "$rc_b" -eq 0 ] || fail "neither step ran"
    [ "$(containers_on "$FAULT_NODE" | grep -c '^pyxis_race')" -eq 1 ] || fail "not exactly one pyxis_race: $(containers_on "$FAULT_NODE" | tr '\n' ' ')"
    remove_container pyxis_race
    wait_no_user_processes "$FAULT_NODE"
    assert_node_in_service
}

test_faults_a_users_broken_storage_at_the_job_epilog_does_not_drain_the_node() {
    needs_runtime
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    local dir inner job i
    dir=$(container_dir "$FAULT_NODE")
    inner=${dir#"$STATE_DIR/nodes/$FAULT_NODE/fs"}
    [ -d "$dir" ] || as_user srun -w "$FAULT_NODE" --container-image=./img.sqsh true >/dev/null 2>&1 || true
    plugstack_with container_scope=job
    mark_logs
    # the job makes a job-scoped container, then makes its own storage unreadable: the epilog cannot list it
    run salloc -N1 -w "$FAULT_NODE" bash -c "srun --container-image=./img.sqsh --container-name=kept true && \
        srun chmod 000 '$inner' && echo \$SLURM_JOB_ID"
    job=${OUT##*$'\n'}
    # the epilog runs after salloc returns and reads plugstack.conf then: wait for its verdict
    for ((i = 0; i < 150; i++)); do
        log_since_mark "$FAULT_NODE" | grep -q "pyxis: epilog: " && break
        sleep 0.2
    done
    sleep 2
    plugstack_reset
    chmod 700 "$dir"
    assert_ok
    assert_node_in_service
    log_since_mark "$FAULT_NODE" | grep -qF "pyxis: epilog: the node stays in service" \
        || fail "the epilog did not say why the node stays in service"
    remove_container "pyxis_${job}_kept"
    assert_no_container "pyxis_${job}_kept"
}

test_faults_a_submit_host_without_a_jvm_lets_the_nodes_check_the_options() {
    needs_runtime
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    local java node link=/var/tmp/jpyxis-faults-java
    java=$(readlink -f "$(command -v java)")
    [ -x "$java" ] || skip "no java on this machine"
    # java= names a path that exists on the nodes (node-local /var/tmp) and not on the submit host
    for node in "${NODE_NAMES[@]}"; do ln -sfn "$java" "$(node_path "$node" "$link")"; done
    [ ! -e "$link" ] || skip "$link exists on the submit host"
    plugstack_with "java=$link"
    run srun -w "$FAULT_NODE" --container-image=./img.sqsh --container-mounts=nowhere:/x true
    local bad_rc=$RC bad_err=$ERR
    run srun -w "$FAULT_NODE" --container-image=./img.sqsh echo checked-on-the-node
    plugstack_reset
    for node in "${NODE_NAMES[@]}"; do rm -f "$(node_path "$node" "$link")"; done
    assert_ok
    assert_out "checked-on-the-node"
    [ "$(grep -c 'pyxis: the container options are checked on the nodes instead' <<<"$ERR")" -eq 1 ] \
        || fail "srun did not warn exactly once"
    OUT= ERR=$bad_err RC=$bad_rc
    [ "$RC" -ne 0 ] || fail "the step with a bad mount ran"
    assert_err_has "pyxis: the container options are checked on the nodes instead: couldn't start the jpyxis engine"
    assert_err_has "pyxis: mount source must be a relative path, an absolute path, \"tmpfs\" or \"umount\""
    wait_no_user_processes "$FAULT_NODE"
    assert_node_in_service
}

# small_disk PATH SIZE [UID]: a tmpfs of SIZE mounted at PATH inside FAULT_NODE, a disk that an import fills: owned by
# UID, mode 0700 (a user's own directory), or root's, mode 0755. What was at PATH is hidden until free_disk PATH.
small_disk() {
    local path=$1 size=$2 uid=${3:-0} mode=0755 gid=0
    [ "$uid" = 0 ] || { mode=0700; gid=$(id -g "$TEST_USER"); }
    node_exec "$FAULT_NODE" mkdir -p "$path"
    [ "$uid" = 0 ] || node_exec "$FAULT_NODE" chown "$uid:$gid" "$path"
    node_exec "$FAULT_NODE" mount -t tmpfs -o "size=$size,mode=$mode,uid=$uid,gid=$gid" jpyxis-e2e-small-disk "$path"
}
free_disk() { node_exec "$FAULT_NODE" umount "$1"; }
# files_on PATH: what PATH holds inside FAULT_NODE (below it), one path a line
files_on() { node_exec "$FAULT_NODE" find "$1" -mindepth 1 -printf '%P\n' 2>/dev/null | sort; }

test_faults_a_full_disk_during_an_import_fails_the_step_and_leaves_nothing() {
    needs_runtime
    registry_env
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    local image="$E2E_REGISTRY#jpyxis/busybox:1" cache=/tmp/jpyxis-e2e-full-cache run_dir=/run/pyxis/$TEST_UID left
    # both places a registry image is imported to fill up mid-import: the image cache (128 KiB), then the user's
    # runtime directory the plain import writes to (256 KiB: room for the engine's socket and the ledger, not for the
    # 1 MB image)
    small_disk "$cache" 128k
    small_disk "$run_dir" 256k "$TEST_UID"
    plugstack_with "image_cache=$cache"
    mark_logs
    run srun -w "$FAULT_NODE" --container-image="$image" echo never-printed
    plugstack_reset
    left=$(files_on "$run_dir" | grep -E '\.(squashfs|sqsh|partial)$' || true
        files_on "$cache" | grep -v '\.lock$' | grep -vx "$TEST_UID" || true)
    free_disk "$run_dir"
    free_disk "$cache"
    figure "the user saw: $(grep -F 'pyxis:' <<<"$ERR" | sed 's/.*pyxis:/pyxis:/' | tr '\n' '|')"
    [ "$RC" -ne 0 ] || fail "the step ran"
    assert_out_lacks "never-printed"
    assert_err_has "pyxis: image cache: no space left in $cache/$TEST_UID, importing $image without it"
    assert_err_has "pyxis: failed to import docker image: $image"
    assert_err_has "No space left on device"
    [ -z "$left" ] || fail "left on the full disks: $left"
    wait_no_user_processes "$FAULT_NODE"
    assert_node_in_service
    # the disk freed, the next step imports and runs
    run srun -w "$FAULT_NODE" --container-image="$image" sh -c 'echo $TESTIMAGE_VAR'
    assert_ok
    assert_out "from-registry"
}

test_faults_a_full_disk_in_the_runtimes_own_import_area_fails_the_step_and_leaves_nothing() {
    needs_runtime
    registry_env
    local image="$E2E_REGISTRY#jpyxis/busybox:1" area left
    # where the runtime itself downloads an image's layers: enroot's ENROOT_CACHE_PATH, ch-image's storage
    case $RUNTIME in
        enroot) area=/tmp/enroot-cache/user-$TEST_UID ;;
        charliecloud) area=/var/tmp/$TEST_USER.ch ;;
    esac
    clear_image_cache
    small_disk "$area" 256k "$TEST_UID"
    run srun -w "$FAULT_NODE" --container-image="$image" echo never-printed
    left=$(files_on "$area")
    free_disk "$area"
    figure "the user saw: $(grep -F 'pyxis:' <<<"$ERR" | sed 's/.*pyxis:/pyxis:/' | tr '\n' '|')"
    [ "$RC" -ne 0 ] || fail "the step ran"
    assert_out_lacks "never-printed"
    assert_err_has "pyxis: failed to import docker image: $image"
    assert_err_has "No space left on device"
    # not the cache's disk: no warning blames it (nor a second import, which would fail the same way)
    assert_err_lacks "pyxis: image cache: no space left"
    [ -z "$(find "$(node_path "$FAULT_NODE" "$IMAGE_CACHE/$TEST_UID")" -name '*.partial' 2>/dev/null)" ] \
        || fail "a partial cache entry is left"
    [ -z "$(find "$(node_path "$FAULT_NODE" "/run/pyxis/$TEST_UID")" -maxdepth 1 -name '*.squashfs' 2>/dev/null)" ] \
        || fail "a temporary import is left"
    echo "left in the runtime's own area: ${left:-nothing}" | head -5
    wait_no_user_processes "$FAULT_NODE"
    assert_node_in_service
}

test_faults_a_full_disk_while_unpacking_a_named_container_leaves_no_half_container() {
    needs_runtime
    local dir inner left
    dir=$(container_dir "$FAULT_NODE")
    inner=${dir#"$STATE_DIR/nodes/$FAULT_NODE/fs"}
    # the runtime's container storage holds 512 KiB: the image (1 MB unpacked and more) does not fit
    small_disk "$inner" 512k "$TEST_UID"
    run srun -w "$FAULT_NODE" --container-image=./img.sqsh --container-name=fulldisk echo never-printed
    local first_rc=$RC first_err=$ERR
    # a second step must not find a half container to reuse
    run srun -w "$FAULT_NODE" --container-name=fulldisk echo never-printed-either
    local second_err=$ERR second_rc=$RC
    left=$(containers_on "$FAULT_NODE")
    free_disk "$inner"
    RC=$first_rc ERR=$first_err
    figure "the user saw: $(grep -F 'pyxis:' <<<"$ERR" | sed 's/.*pyxis:/pyxis:/' | tr '\n' '|')"
    [ "$RC" -ne 0 ] || fail "the step ran"
    assert_err_has "pyxis: failed to create container filesystem for image: ./img.sqsh"
    [ -z "$left" ] || fail "left in the full container storage: $left"
    RC=$second_rc ERR=$second_err
    [ "$RC" -ne 0 ] || fail "the second step ran in a half container"
    assert_err_has "pyxis: error: a container with name \"pyxis_fulldisk\" does not exist, and --container-image is not set"
    wait_no_user_processes "$FAULT_NODE"
    assert_node_in_service
}

# reboot_node NODE: the node crashes and boots again: every process of it dies at once, and what lives in /run (the
# plugin's runtime_path with its ledger, enroot's runtime path) is gone; its disks (/tmp, /var/tmp: the runtimes'
# containers, the image cache) stay. Waits until slurmctld has noticed the crash (the job on it fails), then until
# the node is back in service.
reboot_node() {
    local node=$1 path i
    kill_node "$node"
    for path in $CLUSTER_NODE_LOCAL; do
        case $path in /run/*) umount "$STATE_DIR/nodes/$node/fs$path" ;; esac
    done
    for ((i = 0; i < 300; i++)); do
        case $(SLURM_CONF=$SLURM_CONF sinfo -h -n "$node" -o %T 2>/dev/null) in down*) break ;; esac
        sleep 0.2
    done
    start_node "$node" >/dev/null
    for ((i = 0; i < 300; i++)); do
        case $(SLURM_CONF=$SLURM_CONF sinfo -h -n "$node" -o %T 2>/dev/null) in idle | mixed | allocated | planned) return 0 ;; esac
        sleep 0.2
    done
    fail "node $node is not back in service after its reboot"
}

test_faults_a_node_reboot_with_the_default_runtime_path_sweeps_what_dead_jobs_left() {
    needs_runtime
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    local out job i saved
    # the node comes back whatever happens here, so that the next tests have it
    trap 'SLURM_CONF=$SLURM_CONF scancel -u "$TEST_USER" 2>/dev/null; [ -n "$(node_init_pid "$FAULT_NODE")" ] || start_node "$FAULT_NODE" >/dev/null' EXIT
    remove_container pyxis_rebootkept
    run srun -w "$FAULT_NODE" --container-image=./img.sqsh --container-name=rebootkept true
    assert_ok
    out=$(mktemp)
    # a step whose container is unpacked (writable: not started in place) runs when the node goes down
    background_step "$out" --container-image=./img.sqsh --container-writable sh -c 'echo started; sleep 300'
    for ((i = 0; i < 150; i++)); do
        grep -q started "$out" && break
        sleep 0.2
    done
    job=$(last_job_id)
    [ -n "$(containers_on "$FAULT_NODE" | grep -x "pyxis_$job.0")" ] || { cat "$out"; fail "no container pyxis_$job.0"; }
    reboot_node "$FAULT_NODE"
    wait "$BG_PID" || true
    rm -f "$out"
    ! files_on /run/pyxis | grep -q "^$TEST_UID" || fail "the reboot left the user's /run/pyxis/$TEST_UID"
    containers_on "$FAULT_NODE" | grep -qx "pyxis_$job.0" || fail "the dead job's container is gone already?"
    # the user's next step after the reboot, in a job whose epilog has work (container_scope=job)
    plugstack_with container_scope=job
    mark_logs
    run salloc -N1 -w "$FAULT_NODE" bash -c 'srun --container-image=./img.sqsh --container-name=afterboot echo swept && echo $SLURM_JOB_ID'
    local next=${OUT##*$'\n'}
    for ((i = 0; i < 150; i++)); do
        log_since_mark "$FAULT_NODE" | grep -q "pyxis: epilog: " && break
        sleep 0.2
    done
    sleep 1
    plugstack_reset
    assert_ok
    assert_out_has "swept"
    log_since_mark "$FAULT_NODE" | grep -qF "pyxis: removing leftover container pyxis_$job.0" \
        || fail "the dead job's container was not removed as a leftover"
    figure "after the reboot the node logged: $(log_since_mark "$FAULT_NODE" | grep -oF "pyxis: removing leftover container pyxis_$job.0 of step $job.0")"
    assert_no_container "pyxis_$job.0"
    assert_container pyxis_rebootkept
    assert_no_container "pyxis_${next}_afterboot"
    log_since_mark "$FAULT_NODE" | grep -qF "pyxis: epilog: removed container pyxis_${next}_afterboot" \
        || fail "the next job's epilog did not remove its container"
    remove_container pyxis_rebootkept
    wait_no_user_processes "$FAULT_NODE"
    assert_node_in_service
}

test_faults_a_3_mib_environment_reaches_every_task_and_the_engine_stays_small() {
    needs_runtime
    local before engine peak=0 hwm i
    # execve takes arguments and environment up to a quarter of the stack limit, each string up to 128 KiB
    # (MAX_ARG_STRLEN): 25 variables of 126 KiB make 3.1 MiB, which a 64 MiB stack lets srun and the tasks have
    cat > "$WORK/big-env.sh" <<'SCRIPT'
ulimit -s 65536
value=$(head -c 129024 /dev/zero | tr '\0' x)
for i in $(seq 1 25); do export "BIG_$i=$value"; done
exec srun "$@"
SCRIPT
    chown "$TEST_USER" "$WORK/big-env.sh"
    before=$(step_engines)
    as_user bash ./big-env.sh -w "$FAULT_NODE" -n2 --container-image=./img.sqsh \
        sh -c 'sleep 4; echo "$SLURM_PROCID $(env | grep -c ^BIG_) $(env | wc -c)"' >"$WORK/.big.out" 2>"$WORK/.big.err" &
    local pid=$!
    engine=$(new_engine_of_user "$before")
    while kill -0 "$pid" 2>/dev/null; do
        hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$engine/status" 2>/dev/null || true)
        [ -z "$hwm" ] || [ "$hwm" -le "$peak" ] || peak=$hwm
        sleep 0.2
    done
    RC=0
    wait "$pid" || RC=$?
    OUT=$(sort "$WORK/.big.out") ERR=$(cat "$WORK/.big.err")
    rm -f "$WORK/.big.out" "$WORK/.big.err" "$WORK/big-env.sh"
    figure "3 MiB environment, 2 tasks: tasks said $(tr '\n' ';' <<<"$OUT") engine peak RSS $((peak / 1024)) MiB"
    assert_ok
    for i in 0 1; do
        grep -qE "^$i 25 [0-9]+$" <<<"$OUT" || fail "task $i did not get the 25 big variables"
        [ "$(awk -v t="$i" '$1 == t {print $3}' <<<"$OUT")" -gt 3225600 ] || fail "task $i has less than 3.1 MiB of environment"
    done
    [ -n "$engine" ] && [ "$peak" -gt 0 ] || fail "the engine was not seen"
    # about 40 MiB for an engine of a small environment; the heap is capped at 256 MiB (engine.args); measured 82 to
    # 107 MiB with these two tasks: more means copies of the environment kept beyond their use
    [ "$peak" -lt $((128 * 1024)) ] || fail "the engine's peak RSS $((peak / 1024)) MiB is not bounded"
    wait_no_user_processes "$FAULT_NODE"
    assert_node_in_service
}

# ---- the step engine killed at each hook (docs/e2e.md#stopping-the-engine-at-a-hook): every engine started while
# the plugstack line says jvm_options=-Djpyxis.test.stop_at=HOOK stops itself (SIGSTOP) once it has read that hook's
# request and before doing anything for it; the test kills it (SIGKILL) there, as its user can.
STOP_AT=-Djpyxis.test.stop_at

engine_pids() { pgrep -u "$TEST_USER" -f "dev.jpyxis.dist.engine.EngineMain $1" || true; }
# process_state PID: the kernel's one-letter state of a process (T: stopped), or nothing when it is gone
process_state() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
    stat=${stat##*) }
    echo "${stat%% *}"
}
# stopped_engine MODE BEFORE [WHILE_PID]: the pid of an engine of the user in MODE (step, epilog) that is not among
# the pids BEFORE and has stopped itself, or nothing; waits up to 60 s, and no longer than WHILE_PID lives.
stopped_engine() {
    local i pid
    for ((i = 0; i < 600; i++)); do
        for pid in $(engine_pids "$1"); do
            grep -qx -- "$pid" <<<"$2" && continue
            [ "$(process_state "$pid")" != T ] || { echo "$pid"; return 0; }
        done
        [ -z "${3:-}" ] || kill -0 "$3" 2>/dev/null || return 0
        sleep 0.1
    done
}
# term_pending PID: whether a SIGTERM waits for the (stopped) process PID
term_pending() {
    local mask
    for mask in $(awk '$1 == "SigPnd:" || $1 == "ShdPnd:" {print $2}' "/proc/$1/status" 2>/dev/null); do
        (((16#$mask >> 14) & 1)) && return 0
    done
    return 1
}

# kill_engine_at HOOK SRUN_ARGS...: the step in the background, its engine killed at HOOK; RC, OUT and ERR (srun's
# output, both streams), the job in JOB, the killed engine in ENGINE (empty when it never stopped there).
kill_engine_at() {
    local hook=$1 out before
    shift
    out=$(mktemp)
    mark_logs
    mark_runtime_dir
    before=$(engine_pids step)
    plugstack_with "jvm_options=$STOP_AT=$hook"
    background_step "$out" "$@"
    ENGINE=$(stopped_engine step "$before" "$BG_PID")
    local t0=$SECONDS i
    [ -z "$ENGINE" ] || kill -KILL "$ENGINE"
    RC=0
    wait "$BG_PID" || RC=$?
    plugstack_reset
    # the step is over for Slurm when the node is idle again
    for ((i = 0; i < 300; i++)); do
        [ "$(node_state)" != idle ] || break
        sleep 0.1
    done
    IDLE_AFTER=$((SECONDS - t0))
    OUT=$(cat "$out") ERR=$OUT
    rm -f "$out"
    JOB=$(last_job_id)
    echo "engine ${ENGINE:-(none)} killed at $hook; the node idle ${IDLE_AFTER} s later; srun's status $RC, its output:"
    sed 's/^/      | /' <<<"$OUT"
}

# assert_killed_engine_failed_the_step WHERE: after kill_engine_at, an engine was killed at WHERE, the node was idle
# soon after (the dead engine is reaped when its channel fails: no zombie holds up the step's end, which Slurm would
# signal for 10 s), and the step failed without running its command
assert_killed_engine_failed_the_step() {
    [ -n "$ENGINE" ] || fail "no step engine stopped at $1"
    [ "$IDLE_AFTER" -le 5 ] || fail "the node was busy $IDLE_AFTER s after the engine was killed"
    [ "$RC" -ne 0 ] || fail "the step ran without its engine"
    assert_out_lacks "never-printed"
}

# runtime_dir_entries: what the user's runtime directory on the node holds, one name per line
runtime_dir_entries() {
    { find "$(node_path "$FAULT_NODE" "/run/pyxis/$TEST_UID")" -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null \
        || true; } | sort
}
# mark_runtime_dir: remembers what the user's runtime directory holds before a fault
mark_runtime_dir() { RUNTIME_DIR_AT_MARK=$(runtime_dir_entries); }

# assert_nothing_left CONTAINER: after the user's next step on the node (which removes the leftovers of dead steps):
# no CONTAINER, no process of the user, nothing new in the user's runtime directory since mark_runtime_dir (a dead
# engine's socket directory, a temporary import, a start configuration, an epilog trace), the node in service.
assert_nothing_left() {
    sweep
    assert_no_container "$1"
    wait_no_user_processes "$FAULT_NODE"
    local left
    left=$(comm -13 <(echo "${RUNTIME_DIR_AT_MARK:-}") <(runtime_dir_entries | grep -vx ledger) | tr '\n' ' ')
    [ -z "$left" ] || fail "left in /run/pyxis/$TEST_UID on $FAULT_NODE: $left"
    assert_node_in_service
}

test_faults_engine_killed_at_init_fails_the_step_and_leaves_nothing() {
    needs_runtime
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    kill_engine_at init --container-image=./img.sqsh echo never-printed
    [ -n "$ENGINE" ] || fail "no step engine stopped at init"
    # slurmstepd has no channel to the user yet (as with pyxis's errors there): Slurm says the launch failed, the
    # node's log says why
    assert_out_lacks "never-printed"
    assert_err_has "launch failed: Plugin initialization failed"
    log_since_mark "$FAULT_NODE" | grep -qF "pyxis: the jpyxis engine did not answer on $FAULT_NODE: Broken pipe" \
        || fail "slurmd's log does not say the engine did not answer"
    assert_nothing_left "pyxis_$JOB.0"
}

test_faults_engine_killed_at_user_init_fails_the_step_and_leaves_nothing() {
    needs_runtime
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    kill_engine_at user_init --container-image=./img.sqsh echo never-printed
    assert_killed_engine_failed_the_step "user_init"
    assert_err_has "pyxis: the jpyxis engine did not answer on $FAULT_NODE: Broken pipe"
    assert_err_has "pyxis: couldn't reach the jpyxis engine on $FAULT_NODE"
    assert_nothing_left "pyxis_$JOB.0"
}

test_faults_engine_killed_at_task_init_fails_the_step_and_leaves_nothing() {
    needs_runtime
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    kill_engine_at task_init --container-image=./img.sqsh echo never-printed
    assert_killed_engine_failed_the_step "task_init"
    assert_err_has "pyxis: no answer from the jpyxis engine on $FAULT_NODE: Broken pipe"
    assert_nothing_left "pyxis_$JOB.0"
}

test_faults_engine_killed_at_the_starts_report_fails_the_step_and_the_next_step_sweeps() {
    needs_runtime
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    # killed once the container's first process has started (an image started in place), before the engine learns it:
    # with Charliecloud, the engine's squashfuse mount for ch-run is still attached, and squashfuse outlives the step
    kill_engine_at report --container-image=./img.sqsh echo never-printed
    assert_killed_engine_failed_the_step "the start's report"
    assert_err_has "pyxis: no answer from the jpyxis engine on $FAULT_NODE: Broken pipe"
    # the user's next start in place on the node (the sweep's) detaches the mount of the engine that is gone
    assert_nothing_left "pyxis_$JOB.0"
    assert_no_squashfuse_left
}

test_faults_engine_killed_at_task_exit_ends_the_step_and_the_next_step_sweeps() {
    needs_runtime
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    # --container-save: a container of the step's own (no start in place), which it never gets to export
    kill_engine_at task_exit --container-image=./img.sqsh --container-save="$WORK/never-saved.sqsh" echo task-done
    [ -n "$ENGINE" ] || fail "no step engine stopped at task_exit"
    # the dead engine is reaped when its channel fails: no zombie holds up the step's end (Slurm signals it for 10 s)
    [ "$IDLE_AFTER" -le 5 ] || fail "the node was busy $IDLE_AFTER s after the engine was killed"
    assert_out_has "task-done"
    assert_err_has "pyxis: the jpyxis engine did not answer on $FAULT_NODE: Broken pipe"
    assert_container "pyxis_$JOB.0"
    [ ! -e "$WORK/never-saved.sqsh" ] || fail "a partial export is left"
    assert_nothing_left "pyxis_$JOB.0"
}

test_faults_engine_at_exit_is_gone_already_and_leaves_nothing() {
    needs_runtime
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    kill_engine_at exit --container-image=./img.sqsh echo task-done
    assert_ok
    assert_out "task-done"
    # the cleanup is done at the last task_exit; slurmstepd then kills the step's processes, the engine among them,
    # before slurm_spank_exit: the engine is gone when exit is sent, and the step must not depend on it
    [ -z "$ENGINE" ] || echo "    NOTE: the engine lived until exit and was killed there"
    assert_nothing_left "pyxis_$JOB.0"
}

test_faults_epilog_engine_killed_is_started_again_and_removes_the_jobs_containers() {
    needs_runtime
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    local before first second job i
    plugstack_with container_scope=job "jvm_options=$STOP_AT=epilog"
    mark_logs
    mark_runtime_dir
    before=$(engine_pids epilog)
    run salloc -N1 -w "$FAULT_NODE" bash -c 'srun --container-image=./img.sqsh --container-name=kept true && echo $SLURM_JOB_ID'
    job=${OUT##*$'\n'}
    # the epilog runs after salloc returns; every engine it starts stops at its request
    first=$(stopped_engine epilog "$before")
    [ -z "$first" ] || kill -KILL "$first"
    second=$(stopped_engine epilog "$before"$'\n'"$first")
    [ -z "$second" ] || kill -CONT "$second"
    for ((i = 0; i < 100; i++)); do
        [ -n "$second" ] && kill -0 "$second" 2>/dev/null || break
        sleep 0.1
    done
    plugstack_reset
    echo "the node's log:"
    log_since_mark "$FAULT_NODE" | grep -F 'pyxis: epilog' | sed 's/^/      | /'
    assert_ok
    [ -n "$first" ] || fail "no epilog engine stopped at its request"
    [ -n "$second" ] || { remove_container "pyxis_${job}_kept"; fail "the epilog did not start another engine"; }
    log_since_mark "$FAULT_NODE" \
        | grep -qF "pyxis: epilog: the jpyxis engine ended without answering: starting it again (2 of 3)" \
        || fail "slurmd's log does not say the epilog started its engine again"
    assert_nothing_left "pyxis_${job}_kept"
}

test_faults_epilog_engines_all_killed_leave_the_job_to_the_users_next_step() {
    needs_runtime
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    local before engine killed=0 job i
    plugstack_with container_scope=job "jvm_options=$STOP_AT=epilog"
    mark_logs
    mark_runtime_dir
    before=$(engine_pids epilog)
    run salloc -N1 -w "$FAULT_NODE" bash -c 'srun --container-image=./img.sqsh --container-name=kept true && echo $SLURM_JOB_ID'
    job=${OUT##*$'\n'}
    # every engine the epilog starts (3 at most) is killed before it answers
    for ((i = 0; i < 3; i++)); do
        engine=$(stopped_engine epilog "$before")
        [ -n "$engine" ] || break
        kill -KILL "$engine"
        before=$before$'\n'$engine
        killed=$((killed + 1))
    done
    for ((i = 0; i < 100; i++)); do
        log_since_mark "$FAULT_NODE" | grep -qF "go at its user's next container step here" && break
        sleep 0.1
    done
    plugstack_reset
    echo "the node's log:"
    log_since_mark "$FAULT_NODE" | grep -F 'pyxis: epilog' | sed 's/^/      | /'
    assert_ok
    [ "$killed" -eq 3 ] || fail "the epilog started $killed engines, not 3"
    log_since_mark "$FAULT_NODE" \
        | grep -qF "pyxis: epilog: job $job's containers on this node go at its user's next container step here" \
        || fail "slurmd's log does not say the job's containers wait for the user's next step"
    assert_container "pyxis_${job}_kept"
    assert_node_in_service
    # the user's next container step on the node (assert_nothing_left's) removes them, and the job's trace
    assert_nothing_left "pyxis_${job}_kept"
}

# ---- scancel during a container's create and during its start, and the time limit: the cancelling signals reach the
# step while the runtime works, never after it finished.

# freeze_tree PID: stops PID and every process below it (twice over, for a child forked meanwhile); FROZEN lists them
freeze_tree() {
    local pid round
    FROZEN=
    for round in 1 2; do
        for pid in $1 $(pgrep -P "$1" 2>/dev/null) $(for c in $(pgrep -P "$1" 2>/dev/null); do pgrep -P "$c"; done); do
            if kill -STOP "$pid" 2>/dev/null; then FROZEN="$FROZEN $pid"; fi
        done
    done
    return 0
}

# big_image: $WORK/big.sqsh, the test image with 4,000 more files and 48 MB of random data, whose create takes long
# enough to be caught (made once)
big_image() {
    local root i
    [ ! -s "$WORK/big.sqsh" ] || return 0
    root=$(mktemp -d)
    unsquashfs -no-progress -quiet -f -d "$root/fs" "$WORK/img.sqsh" >/dev/null
    mkdir -p "$root/fs/bulk"
    head -c 48M /dev/urandom > "$root/fs/bulk/random"
    for ((i = 0; i < 4000; i++)); do echo "$i" > "$root/fs/bulk/f$i"; done
    mksquashfs "$root/fs" "$WORK/big.sqsh.partial" -all-root -noappend -quiet -comp gzip >/dev/null
    mv "$WORK/big.sqsh.partial" "$WORK/big.sqsh"
    chown "$TEST_USER" "$WORK/big.sqsh"
    rm -rf "$root"
}

# engine_child ENGINE TEXT: a child of ENGINE whose command line matches the extended regular expression TEXT, or
# nothing; reads /proc with bash's builtins only, so that it looks every millisecond or so
engine_child() {
    local list kid
    local -a kids args
    for list in /proc/"$1"/task/*/children; do
        read -r -a kids < "$list" 2>/dev/null || true
        for kid in "${kids[@]}"; do
            mapfile -d '' args < "/proc/$kid/cmdline" 2>/dev/null || continue
            [[ "${args[*]}" =~ $2 ]] && { echo "$kid"; return 0; }
        done
    done
    return 0
}

# catch_create OUT SAVED: a step creating its container from big.sqsh, held (SIGSTOP) mid-create; CREATE is the
# create's first process, FROZEN every process stopped. CREATE is empty when the create was not caught.
catch_create() {
    local before engine i pattern
    case $RUNTIME in
        enroot) pattern='enroot create' ;;
        *) pattern='unsquashfs .* -d ' ;;
    esac
    before=$(step_engines)
    # --container-save: the step creates a container of its own on both runtimes
    background_step "$1" --container-image=./big.sqsh --container-save="$2" echo never-printed
    engine=$(new_engine_of_user "$before")
    CREATE=
    for ((i = 0; i < 20000; i++)); do
        [ -n "$engine" ] || break
        CREATE=$(engine_child "$engine" "$pattern")
        [ -z "$CREATE" ] || break
        kill -0 "$BG_PID" 2>/dev/null || break
    done
    [ -n "$CREATE" ] || return 0
    freeze_tree "$CREATE"
    [ "$(process_state "$CREATE")" = T ] || { kill -CONT $FROZEN 2>/dev/null || true; CREATE=; }
}

test_faults_scancel_during_create_stops_it_and_leaves_nothing() {
    needs_runtime
    local out attempt i job saved=$WORK/cancelled-create.sqsh
    big_image
    mark_runtime_dir
    for attempt in 1 2 3; do
        rm -f "$saved"
        out=$(mktemp)
        catch_create "$out" "$saved"
        [ -z "$CREATE" ] || break
        wait "$BG_PID" || true
        rm -f "$out" "$saved"
        echo "    attempt $attempt: the create was over before it could be held"
    done
    [ -n "$CREATE" ] || { sweep; skip "the create was never caught"; }
    job=$(last_job_id)
    echo "cancelled during: $(ps -o args= -p "$CREATE" | cut -c1-120)"
    SLURM_CONF=$SLURM_CONF scancel "$job"
    # Slurm's SIGCONT and SIGTERM reach the held create (every process of the step gets them); the rest is let go
    for ((i = 0; i < 100; i++)); do
        [ "$(process_state "$CREATE")" = T ] || break
        term_pending "$CREATE" && break
        sleep 0.1
    done
    # shellcheck disable=SC2086
    kill -CONT $FROZEN 2>/dev/null || true
    wait "$BG_PID" || true
    OUT=$(cat "$out") ERR=$OUT
    rm -f "$out"
    echo "srun said:"
    sed 's/^/      | /' <<<"$OUT"
    assert_out_lacks "never-printed"
    [ ! -e "$saved" ] || { rm -f "$saved"; fail "the cancelled step exported a container its tasks never ran in"; }
    assert_nothing_left "pyxis_$job.0"
}

test_faults_scancel_during_start_leaves_nothing() {
    needs_runtime
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    local out before engine i job
    out=$(mktemp)
    mark_runtime_dir
    before=$(engine_pids step)
    # the engine stops when the task reports the container's first process started (stopped itself, nothing joined
    # yet); the cancellation then reaches the step, and the engine goes on with it pending
    plugstack_with "jvm_options=$STOP_AT=report"
    mark_logs
    background_step "$out" --container-image=./img.sqsh echo never-printed
    engine=$(stopped_engine step "$before" "$BG_PID")
    plugstack_reset
    [ -n "$engine" ] || { wait "$BG_PID"; rm -f "$out"; fail "no step engine stopped at the start's report"; }
    job=$(last_job_id)
    SLURM_CONF=$SLURM_CONF scancel "$job"
    for ((i = 0; i < 100; i++)); do
        term_pending "$engine" || [ "$(process_state "$engine")" != T ] && break
        sleep 0.1
    done
    kill -CONT "$engine" 2>/dev/null || true
    wait "$BG_PID" || true
    OUT=$(cat "$out") ERR=$OUT
    rm -f "$out"
    echo "srun said:"
    sed 's/^/      | /' <<<"$OUT"
    assert_out_lacks "never-printed"
    [ "$(starts_since_mark "$FAULT_NODE" "$job")" -eq 1 ] || fail "the step did not start its container"
    # Charliecloud: the engine's squashfuse mount made for ch-run runs outside the step's processes; the engine detaches
    # it whatever became of the start (reported, or the step ended first), trying again an unmount the step's signals
    # killed (docs/lifecycle.md#faults)
    assert_no_squashfuse_left
    assert_nothing_left "pyxis_$job.0"
}

# assert_no_squashfuse_left: waits (bounded) until the fault node has no squashfuse mount of the engine's (a
# .squashfuse-* mount point in its mount table or the containers' directory) and no squashfuse process of the user;
# fails naming what is left. enroot mounts its squashfuse in the container's own mount namespace: nothing to find.
assert_no_squashfuse_left() {
    local i mounts points fuse dir mp
    dir=$(container_dir "$FAULT_NODE")
    for ((i = 0; i < 50; i++)); do
        mounts=$(node_exec "$FAULT_NODE" awk '$5 ~ /\/\.squashfuse-/ {print $5}' /proc/self/mountinfo)
        points=$({ [ -n "$dir" ] && find "$dir" -mindepth 1 -maxdepth 1 -name '.squashfuse-*' 2>/dev/null; } || true)
        fuse=$(user_processes_on "$FAULT_NODE" | awk '$2 ~ /squashfuse$/')
        [ -n "$mounts$points$fuse" ] || return 0
        sleep 0.2
    done
    # taken away before failing, so that the tests after this one start clean
    for mp in $mounts; do node_exec "$FAULT_NODE" umount -l "$mp" || true; done
    kill $(awk '{print $1}' <<<"$fuse") 2>/dev/null || true
    for mp in $points; do rmdir "$mp" 2>/dev/null || true; done
    fail "squashfuse left on $FAULT_NODE: mounts [${mounts//$'\n'/ }], mount points [${points//$'\n'/ }]," \
        "processes [${fuse//$'\n'/; }]"
}

test_faults_time_limit_exports_as_pyxis_and_leaves_nothing() {
    needs_runtime
    local out engine job before saved=$WORK/timed-out.sqsh i
    rm -f "$saved"
    out=$(mktemp)
    mark_runtime_dir
    before=$(step_engines)
    background_step "$out" --time=1 --container-image=./img.sqsh --container-save="$saved" sleep 300
    engine=$(new_engine_of_user "$before")
    [ -n "$engine" ] || { wait "$BG_PID"; fail "no step engine"; return 1; }
    sleep 2
    job=$(last_job_id)
    # the limit reached now rather than in a minute: slurmctld ends the job as timed out at its next check
    SLURM_CONF=$SLURM_CONF scontrol update JobId="$job" TimeLimit=0 >/dev/null
    wait "$BG_PID" || true
    OUT=$(cat "$out") ERR=$OUT
    rm -f "$out"
    echo "srun said:"
    sed 's/^/      | /' <<<"$OUT"
    assert_err_has "DUE TO TIME LIMIT"
    wait_no_user_processes "$FAULT_NODE"
    assert_no_container "pyxis_$job.0"
    # pyxis exports at the last task_exit when every task got through task_init, a timed-out step included. slurmd's
    # kill of the timed-out job then signals every process of the step again (SIGCONT, SIGTERM): when that reaches the
    # export under way, it fails as pyxis's would, and nothing partial may stay.
    if grep -qF "pyxis: failed to export container pyxis_$job.0" <<<"$ERR"; then
        echo "    NOTE: the job's kill reached the export (a race of Slurm's, pyxis's export has it too)"
        [ ! -e "$saved" ] || { rm -f "$saved"; fail "a partial export is left in $saved"; }
    else
        [ -s "$saved" ] || fail "the timed-out step's container was not saved to $saved"
        unsquashfs -l "$saved" >/dev/null 2>&1 || fail "$saved is not a whole squashfs image"
    fi
    rm -f "$saved"
    assert_nothing_left "pyxis_$job.0"
}
