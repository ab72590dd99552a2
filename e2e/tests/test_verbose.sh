# shellcheck shell=bash
# pyxis's verbose lines (SlurmdDebug=verbose, which run-e2e sets): the runtime commands, the start configuration,
# the job epilog's plain list. They go to the node's slurmd log, where an admin reads them.

# verbose_log_or_skip: skips unless slurmd logs verbose lines.
verbose_log_or_skip() {
    SLURM_CONF=$SLURM_CONF scontrol show config 2>/dev/null | grep -Eq '^SlurmdDebug += (verbose|debug)' \
        || skip "SlurmdDebug is below verbose: start the cluster with SLURMD_DEBUG=verbose"
}

# node_logs_since_mark: what every node's slurmd and slurmstepds logged since mark_logs.
node_logs_since_mark() {
    local node
    for node in "${NODE_NAMES[@]}"; do log_since_mark "$node"; done
}

test_verbose_lines_show_each_runtime_command_and_the_start_configuration() {
    needs_runtime
    verbose_log_or_skip
    mark_logs
    # writable: unpacked, not started in place, so there is a create and a remove to see
    run srun -N1 -n1 --container-image=./img.sqsh --container-writable true
    assert_ok
    local log
    log=$(node_logs_since_mark)
    case $RUNTIME in
        enroot)
            grep -qF 'pyxis: running enroot command: "enroot create --name pyxis_' <<<"$log" \
                || fail "no create command line in slurmd's log"
            grep -qF 'pyxis: enroot start configuration script:' <<<"$log" || fail "no start configuration script"
            grep -qF "pyxis:     hooks() {" <<<"$log" || fail "the script's lines are not logged"
            grep -qE 'pyxis: running enroot command: "enroot start --conf [^ ]*/\.enroot_config_' <<<"$log" \
                || fail "no start command line"
            grep -qF 'pyxis: running enroot command: "enroot remove -f pyxis_' <<<"$log" \
                || fail "no remove command line" ;;
        charliecloud)
            grep -q 'pyxis: running charliecloud command: ".*unsquashfs ' <<<"$log" || fail "no unsquashfs command line"
            grep -q 'pyxis: running charliecloud command: ".*ch-run ' <<<"$log" || fail "no ch-run command line"
            grep -q 'pyxis: running charliecloud command: "/bin/rm -rf -- .*/pyxis_' <<<"$log" \
                || fail "no removal command line" ;;
    esac
}

test_verbose_epilog_lines_show_the_plain_list_and_each_removal() {
    needs_runtime
    verbose_log_or_skip
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    printf '%s container_scope=job\n' "$PLUGSTACK_LINE" > "$PLUGSTACK"
    mark_logs
    run salloc -N1 -n1 bash -c 'srun --container-image=./img.sqsh --container-name=epi true && echo "$SLURM_JOB_ID"'
    local job=${OUT##*$'\n'} i log
    for ((i = 0; i < 100; i++)); do
        node_logs_since_mark | grep -qF "pyxis: epilog: removed container pyxis_${job}_epi" && break
        sleep 0.2
    done
    printf '%s\n' "$PLUGSTACK_LINE" > "$PLUGSTACK"
    assert_ok
    log=$(node_logs_since_mark)
    grep -qF "pyxis: epilog: removing container pyxis_${job}_epi" <<<"$log" || fail "no epilog removal line"
    grep -qF "pyxis: epilog: removed container pyxis_${job}_epi" <<<"$log" || fail "no epilog removed line"
    assert_no_container "pyxis_${job}_epi"
    if [ "$RUNTIME" = enroot ]; then
        grep -qF 'pyxis: running enroot command: "enroot list"' <<<"$log" || fail "the epilog did not run enroot list"
        grep -qF "pyxis: running enroot command: \"enroot remove -f pyxis_${job}_epi\"" <<<"$log" \
            || fail "the epilog's remove command is not logged"
    fi
}
