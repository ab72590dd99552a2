# shellcheck shell=bash
# A containerised step: image forms, sharing, cleanup, exit status.

test_relative_squashfs_image() {
    needs_runtime
    run srun --container-image=./img.sqsh cat /etc/os-release
    assert_ok
    assert_out_has "ID=jpyxis-test"
    assert_err_lacks "pyxis: importing"
}

test_the_image_environment_and_working_directory() {
    needs_runtime
    run srun --container-image=./img.sqsh sh -c 'echo "$TESTIMAGE_VAR $PWD $PATH"'
    assert_ok
    assert_out "from-image /workspace /usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
}

test_exit_status_of_the_command_passes_through() {
    needs_runtime
    run srun --container-image=./img.sqsh sh -c 'exit 7'
    assert_rc 7
    assert_err_has "task 0: Exited with exit code 7"
}

test_local_tasks_share_one_mount_namespace() {
    needs_runtime
    run srun -n4 --overcommit --container-image=./img.sqsh sh -c 'echo "$SLURM_PROCID $(readlink /proc/self/ns/mnt)"'
    assert_ok
    [ "$(wc -l <<<"$OUT")" -eq 4 ] || fail "expected 4 tasks"
    [ "$(awk '{print $2}' <<<"$OUT" | sort -u | wc -l)" -eq 1 ] || fail "tasks are in different mount namespaces"
    [ "$(awk '{print $1}' <<<"$OUT" | sort -n | tr '\n' ' ')" = "0 1 2 3 " ] || fail "ranks"
    [ "$(awk '{print $2}' <<<"$OUT" | head -1)" != "$(readlink /proc/self/ns/mnt)" ] || fail "not in a container"
}

test_each_task_keeps_its_own_slurm_ids() {
    needs_runtime
    run srun -n2 --overcommit --container-image=./img.sqsh sh -c 'echo "$SLURM_PROCID:$SLURM_LOCALID"'
    assert_ok
    [ "$(sort <<<"$OUT" | tr '\n' ' ')" = "0:0 1:1 " ] || fail "per-task variables were overwritten"
}

test_an_unnamed_container_is_removed_after_the_step() {
    needs_runtime
    run srun --container-image=./img.sqsh sh -c 'echo $SLURM_JOB_ID'
    assert_ok
    assert_no_container "pyxis_${OUT}.0"
}

test_a_missing_image_fails_the_step_clearly() {
    needs_runtime
    run srun --container-image=/nonexistent/image.sqsh true
    [ "$RC" -ne 0 ] || fail "srun succeeded"
    assert_err_has "pyxis: failed to create container filesystem for image: /nonexistent/image.sqsh"
    assert_err_has "task_init() failed"
}

test_the_seccomp_filter_fakes_identity_changes() {
    needs_runtime
    run srun --container-image=./img.sqsh --container-writable sh -c \
        'touch /tmp/f && chown 4242 /tmp/f && grep ^Seccomp: /proc/self/status'
    assert_ok
    assert_out_has "Seccomp:	2"
}
