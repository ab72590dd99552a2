# shellcheck shell=bash
# The jpyxis tool on a node where the Debian package installed the plugin: doctor as root and as a user, validate's
# refusals equal to srun's and sbatch's own, the engine's debug log, and what a user sees when an engine dies.

test_the_debian_package_installed_the_plugin_the_cluster_loads() {
    dpkg-query -W -f='${Status}' jpyxis | grep -q "install ok installed" || fail "the jpyxis package is not installed"
    grep -q "/usr/lib/jpyxis/lib/spank_pyxis.so" <<<"${PLUGSTACK_LINE:-}" || fail "the cluster does not load /usr/lib/jpyxis"
    run jpyxis --version
    assert_ok
    grep -qE '^jpyxis [0-9][^ ]*, pyxis 0\.24 compatible$' <<<"$OUT" || fail "no version"
    grep -qF "pyxis: jpyxis $(sed 's/,.*//; s/^jpyxis //' <<<"$OUT"), pyxis 0.24 compatible, Slurm 22.05" \
        "$(dirname "$SLURM_CONF")/log/slurmd.node1.log" || fail "slurmd's log lacks the banner with this version"
}

test_doctor_as_root_finds_the_node_ready_and_runs_the_container_check_as_the_user() {
    needs_runtime
    local out rc=0
    out=$(SLURM_CONF=$SLURM_CONF jpyxis doctor --user "$TEST_USER" 2>&1) || rc=$?
    OUT=$out RC=$rc
    assert_ok
    assert_out_has "as root"
    assert_out_has "verdict: a containerised step would work on $(hostname)"
    grep -qE "^  ok +container +created, started and removed pyxis_doctor_[0-9]+ with $RUNTIME \[as $TEST_USER\]" \
        <<<"$OUT" || fail "no container check as $TEST_USER"
    grep -qE "^  ok +plugstack +$PLUGSTACK:1: $PLUGSTACK_LINE" <<<"$OUT" || fail "not the cluster's plugstack line"
}

test_doctor_as_the_user_passes_and_reports_json() {
    needs_runtime
    run jpyxis doctor --json
    assert_ok
    assert_out_has "\"user\":\"$TEST_USER\""
    assert_out_has '"ok":true'
    assert_out_has '{"name":"container","status":"ok"'
}

test_doctor_names_a_broken_plugstack_line_and_fails() {
    local bad=$WORK/bad-plugstack.conf
    printf 'required /usr/lib/jpyxis/lib/spank_pyxis.so container_scope=team\n' > "$bad"
    chmod 644 "$bad"
    run jpyxis doctor --plugstack "$bad"
    assert_rc 1
    assert_out_has "pyxis: container_scope: invalid value: team"
    assert_out_has "verdict: a containerised step would NOT work"
}

test_validate_refuses_a_misspelled_option_as_srun_does() {
    run srun --container-iamge=ubuntu true
    local srun_rc=$RC srun_err=$ERR
    run jpyxis validate -- --container-iamge=ubuntu true
    assert_rc 1
    [ "$srun_rc" -ne 0 ] || fail "srun accepted the misspelled option"
    [ "$ERR" = "$srun_err" ] || fail "validate's refusal differs from srun's: $srun_err"
    assert_err_has "srun: unrecognized option '--container-iamge=ubuntu'"
}

test_validate_reads_past_options_srun_help_does_not_show() {
    run jpyxis validate -- --priority 5 --container-iamge=ubuntu true
    assert_rc 1
    assert_err_has "srun: unrecognized option '--container-iamge=ubuntu'"
    run jpyxis validate -- --priority 5 -n2 --container-image=ubuntu true
    assert_ok
    assert_out "--container-image=ubuntu"
}

test_validate_reads_sbatch_directives_as_sbatch_does() {
    local script=$WORK/directives.sh
    printf '#!/bin/sh\n#SBATCH -N1 # a comment\n#SBATCH --container-imag=%s --container-writabel\ntrue\n' \
        "$WORK/img.sqsh" > "$script"
    chmod 644 "$script"
    run sbatch "$script"
    local sbatch_err=$ERR
    [ "$RC" -ne 0 ] || fail "sbatch accepted the script"
    run jpyxis validate --command sbatch -- "$script"
    assert_rc 1
    [ "$ERR" = "$sbatch_err" ] || fail "validate's refusal differs from sbatch's: $sbatch_err"
    assert_err_has "sbatch: unrecognized option '--container-writabel'"
}

test_engine_debug_keeps_the_engines_log_on_the_node() {
    needs_runtime
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    local log uid
    uid=$(id -u "$TEST_USER")
    log=$(node_path node1 "/run/pyxis/$uid/engine.log")
    rm -f "$log"
    printf '%s engine_debug=1\n' "$PLUGSTACK_LINE" > "$PLUGSTACK"
    run srun -w node1 --container-image=./img.sqsh true
    printf '%s\n' "$PLUGSTACK_LINE" > "$PLUGSTACK"
    assert_ok
    [ -f "$log" ] || fail "no $log"
    [ "$(stat -c %U "$log")" = "$TEST_USER" ] || fail "$log is not the user's"
    grep -q "engine step started" "$log" || fail "no start in $log"
    grep -q "< msg=init" "$log" || fail "no init message in $log"
    grep -q "> msg=init | status=enabled" "$log" || fail "no answer to init in $log"
    grep -q "< msg=task_exit" "$log" || fail "no task_exit in $log"
    rm -f "$log"
}

test_a_dead_engine_is_reported_with_the_node_and_where_to_look() {
    needs_runtime
    local slurmd_log out err pid i srun_rc=0
    slurmd_log=$(dirname "$SLURM_CONF")/log/slurmd.node1.log
    out=$(mktemp) err=$(mktemp)
    as_user srun -w node1 --container-image=./img.sqsh sleep 8 >"$out" 2>"$err" &
    local srun_pid=$!
    for ((i = 0; i < 100; i++)); do
        pid=$(pgrep -u "$TEST_USER" -f 'dev.jpyxis.dist.engine.EngineMain step' | head -n 1) && [ -n "$pid" ] && break
        sleep 0.1
    done
    [ -n "$pid" ] || { kill "$srun_pid" 2>/dev/null; fail "no step engine to kill"; }
    sleep 1
    kill -KILL "$pid"
    wait "$srun_pid" || srun_rc=$?
    OUT=$(cat "$out") ERR=$(cat "$err") RC=$srun_rc
    rm -f "$out" "$err"
    grep -qF "pyxis: the jpyxis engine did not answer on node1:" "$slurmd_log" \
        || fail "slurmd's log does not name the node"
    grep -qF "pyxis: the jpyxis engine's messages are in slurmd's log on node1, and in <runtime_path>/<uid>/engine.log there when the plugstack line sets engine_debug=1" \
        "$slurmd_log" || fail "slurmd's log does not say where to look"
}
