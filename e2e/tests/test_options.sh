# shellcheck shell=bash
# Options as srun sees them: --help, early rejection, warnings, environment defaults.

test_help_lists_every_option() {
    run srun --help
    assert_ok
    local option
    for option in container-image container-mounts container-workdir container-name container-save \
        container-mount-home no-container-mount-home container-remap-root no-container-remap-root \
        container-entrypoint no-container-entrypoint container-entrypoint-log container-writable \
        container-readonly container-env container-unshare; do
        grep -qE -- "--$option([= ]|\$)" <<<"$OUT" || fail "srun --help lacks --$option"
    done
    assert_out_has "[pyxis] the image to use for the container"
    assert_out_has "create new namespaces for the container"
}

test_a_bad_option_fails_in_srun_before_submission() {
    local before
    before=$(last_job_id)
    run srun --container-image=./img.sqsh --container-mounts=data:/data true
    [ "$RC" -ne 0 ] || fail "srun succeeded"
    assert_err_has 'pyxis: mount source must be a relative path, an absolute path, "tmpfs" or "umount"'
    assert_err_has "pyxis: could not add mount entry: data:/data"
    assert_err_lacks "queued"
    [ "$(last_job_id)" = "$before" ] || fail "a job was submitted"
}

test_conflicting_flags_fail_with_pyxis_text() {
    run srun --container-image=./img.sqsh --container-writable --container-readonly true
    [ "$RC" -ne 0 ] || fail "srun succeeded"
    assert_err_has "pyxis: both --container-writable and --container-readonly were specified"
}

test_options_without_image_or_name_are_ignored_with_a_warning() {
    run srun --container-workdir=/nowhere pwd
    assert_ok
    assert_err_has "pyxis: ignoring --container-workdir because neither --container-image nor --container-name is set"
    assert_out "$WORK"
}

test_pyxis_container_image_from_the_environment() {
    needs_runtime
    USER_ENV="PYXIS_CONTAINER_IMAGE=$WORK/img.sqsh" run srun grep ^ID= /etc/os-release
    assert_ok
    assert_out "ID=jpyxis-test"
}

test_sbatch_support_off_leaves_the_options_unknown_to_sbatch() {
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    local before
    before=$(last_job_id)
    printf '%s sbatch_support=0\n' "$PLUGSTACK_LINE" > "$PLUGSTACK"
    run sbatch --container-image=./img.sqsh --wrap true
    printf '%s\n' "$PLUGSTACK_LINE" > "$PLUGSTACK"
    [ "$RC" -ne 0 ] || fail "sbatch accepted --container-image"
    assert_err_has "unrecognized option '--container-image=./img.sqsh'"
    [ "$(last_job_id)" = "$before" ] || fail "a job was submitted"
}

test_an_unreadable_plugstack_line_never_drains_the_node_for_jobs_without_containers() {
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    printf '%s container_scope=bogus\n' "$PLUGSTACK_LINE" > "$PLUGSTACK"
    run srun true
    local ok=$RC
    run srun --container-image=./img.sqsh true
    local refused_rc=$RC refused_err=$ERR
    printf '%s\n' "$PLUGSTACK_LINE" > "$PLUGSTACK"
    local state i
    for ((i = 0; i < 20; i++)); do      # the job epilog runs after srun returns
        state=$(sinfo -h -N -o '%N %T' | tr '\n' ' ')
        [[ $state == *drain* ]] && break
        sleep 0.2
    done
    if [[ $state == *drain* ]]; then
        scontrol update NodeName="$(sinfo -h -N -o %N | paste -sd,)" State=RESUME >/dev/null 2>&1 || true
        fail "a node was drained: $state"
    fi
    RC=$ok
    assert_ok
    [ "$refused_rc" -ne 0 ] || grep -q "launch failed" <<<"$refused_err" \
        || fail "a container step ran with an unreadable plugstack line: $refused_err"
}

test_a_job_without_containers_starts_no_engine_in_its_epilog() {
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    local logs before after job
    logs=$(dirname "$SLURM_CONF")/log
    before=$(cat "$logs"/slurmd*.log | grep -c "couldn't start the jpyxis engine" || true)
    # an engine that cannot start would say so in slurmd's log: there must be none to start
    printf '%s container_scope=job java=/nonexistent/bin/java\n' "$PLUGSTACK_LINE" > "$PLUGSTACK"
    run srun true
    job=$(last_job_id)
    wait_for_job "$job" || true
    printf '%s\n' "$PLUGSTACK_LINE" > "$PLUGSTACK"
    assert_ok
    after=$(cat "$logs"/slurmd*.log | grep -c "couldn't start the jpyxis engine" || true)
    [ "$after" = "$before" ] || fail "job $job's epilog started an engine although the job ran no container"
}
