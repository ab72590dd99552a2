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

test_use_squashfuse_starts_the_file_without_unpacking() {
    needs_runtime
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    printf '%s use_squashfuse=1\n' "$PLUGSTACK_LINE" > "$PLUGSTACK"
    run srun -n2 --container-image=./img.sqsh cat /etc/os-release /proc/mounts
    local writable_rc writable_err
    if [ "$RUNTIME" = charliecloud ]; then
        run srun --container-image=./img.sqsh --container-writable true
        writable_rc=$RC writable_err=$ERR
        run srun -n2 --container-image=./img.sqsh cat /etc/os-release /proc/mounts
    fi
    printf '%s\n' "$PLUGSTACK_LINE" > "$PLUGSTACK"
    assert_ok
    [ "$(grep -c "ID=jpyxis-test" <<<"$OUT")" = 2 ] || fail "two tasks did not both see the image"
    # Charliecloud runs on the squashfuse mount itself, enroot on an overlay whose lower layer is that mount
    local root_mount='^[^ ]+ / fuse'
    [ "$RUNTIME" = charliecloud ] || root_mount='^[^ ]+ / overlay .*lowerdir=[^,]*/overlay/lower'
    grep -qE "$root_mount" <<<"$OUT" || fail "the container's root is not the squashfs file mounted"
    if [ "$RUNTIME" = charliecloud ]; then
        [ "$writable_rc" -ne 0 ] || fail "--container-writable was accepted with use_squashfuse"
        grep -qF "pyxis: --container-writable with use_squashfuse is not supported by the charliecloud runtime" \
            <<<"$writable_err" || fail "no refusal naming the runtime: $writable_err"
    fi
    local i
    for ((i = 0; i < 50; i++)); do
        pgrep -u "$TEST_USER" squashfuse >/dev/null || break
        sleep 0.1
    done
    ! pgrep -u "$TEST_USER" -a squashfuse || fail "squashfuse still runs after the step"
    ! node_mounts_have squashfuse || fail "a squashfuse mount is left on a node"
}
