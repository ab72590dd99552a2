# shellcheck shell=bash
# Details where jpyxis once differed from pyxis 0.24 (docs/pyxis-compatibility.md#known-gaps, now closed).

test_as_pyxis_an_environment_value_that_is_not_utf8_reaches_the_task_byte_for_byte() {
    needs_runtime
    # enroot's PMI hook copies every SLURM_* variable into the container's environment, which then overwrites the
    # task's: the value crosses the engine twice on its way
    USER_ENV="SLURM_JPX_BYTES=$(printf 'caf\351\377')" run srun -N1 -n1 --container-image=./img.sqsh \
        sh -c 'printf %s "$SLURM_JPX_BYTES" | od -An -tx1'
    assert_ok
    [ "$(tr -s ' ' <<<"$OUT" | sed 's/^ //;s/ $//')" = "63 61 66 e9 ff" ] || fail "the value's bytes changed"
}

test_as_pyxis_a_variable_in_a_mount_target_is_expanded_as_pyxiss_start_script_does() {
    needs_runtime
    # what an #SBATCH line or a quoted argument hands over unexpanded; pyxis's start script lets bash expand it
    # shellcheck disable=SC2016
    run srun -N1 -n1 --container-image=./img.sqsh --container-writable --container-mounts='/tmp:/mnt/$SLURM_JOB_ID' \
        sh -c 'test -d "/mnt/$SLURM_JOB_ID" && echo expanded; test -e "/mnt/\$SLURM_JOB_ID" && echo literal; true'
    assert_ok
    assert_out expanded
}

test_as_pyxis_an_unreadable_plugstack_line_refuses_sbatch_and_salloc_with_container_options() {
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    local before sbatch_rc sbatch_err
    before=$(last_job_id)
    printf '%s sbatch_support=maybe\n' "$PLUGSTACK_LINE" > "$PLUGSTACK"
    run sbatch --container-image=./img.sqsh --wrap true
    sbatch_rc=$RC sbatch_err=$ERR
    run salloc --container-image=./img.sqsh true
    printf '%s\n' "$PLUGSTACK_LINE" > "$PLUGSTACK"
    [ "$RC" -ne 0 ] || fail "salloc accepted an unreadable plugstack line"
    assert_err_has "pyxis: sbatch_support: invalid value: maybe"
    assert_err_has "pyxis: failed to parse configuration"
    ERR=$sbatch_err RC=$sbatch_rc
    [ "$RC" -ne 0 ] || fail "sbatch accepted an unreadable plugstack line"
    assert_err_has "pyxis: failed to parse configuration"
    [ "$(last_job_id)" = "$before" ] || fail "a job was submitted"
}
