# shellcheck shell=bash
# --container-mounts: directories, files, read-only, tmpfs, relative sources, missing sources.

prepare_data() {
    as_user mkdir -p "$WORK/data"
    as_user sh -c "echo host-data > '$WORK/data/file'"
}

test_directory_file_readonly_and_tmpfs_mounts() {
    needs_runtime
    prepare_data
    run srun --container-image=./img.sqsh \
        --container-mounts="$WORK/data:/data,$WORK/data/file:/etc/injected:ro,tmpfs:/scratch" \
        sh -c 'cat /data/file; cat /etc/injected; grep -c " /scratch tmpfs " /proc/mounts; \
               echo x > /etc/injected 2>/dev/null && echo writable || echo read-only'
    assert_ok
    assert_out "host-data
host-data
1
read-only"
}

test_mount_flags_propagation_and_umount() {
    needs_runtime
    prepare_data
    # nosuid+nodev on a bind mount, a tmpfs with its size and mode, private propagation, and umount of a mount point
    run srun --container-image=./img.sqsh \
        --container-mounts="$WORK/data:/data:ro+nosuid+nodev+rprivate,tmpfs:/scratch:size=4m+mode=1777,tmpfs:/gone,umount:/gone" \
        sh -c 'grep " /data " /proc/self/mountinfo; grep " /scratch " /proc/self/mountinfo; \
               grep -c " /gone " /proc/self/mountinfo; stat -c %a /scratch; df -k /scratch | tail -1'
    assert_ok
    local data scratch
    data=$(sed -n 1p <<<"$OUT") scratch=$(sed -n 2p <<<"$OUT")
    [[ $data =~ " /data "ro,nosuid,nodev ]] || fail "the /data mount is not ro,nosuid,nodev: $data"
    [[ $data != *shared:* ]] || fail "the /data mount is not private: $data"
    [[ $scratch == *" - tmpfs "* ]] || fail "/scratch is not a tmpfs: $scratch"
    [ "$(sed -n 3p <<<"$OUT")" = 0 ] || fail "/gone is still mounted"
    [ "$(sed -n 4p <<<"$OUT")" = 1777 ] || fail "the tmpfs's mode is not 1777"
    [ "$(awk '{print $2}' <<<"$(sed -n 5p <<<"$OUT")")" = 4096 ] || fail "the tmpfs's size is not 4m"
}

test_a_failing_mount_fails_the_step() {
    needs_runtime
    run srun --container-image=./img.sqsh --container-mounts=umount:/not-a-mount-point true
    [ "$RC" -ne 0 ] || fail "srun succeeded"
    assert_err_has "pyxis: container was not started successfully"
}

test_a_relative_source_is_the_jobs_directory() {
    needs_runtime
    prepare_data
    run srun --container-image=./img.sqsh --container-mounts=./data:/data cat /data/file
    assert_ok
    assert_out "host-data"
}

test_a_missing_source_fails_early() {
    needs_runtime
    run srun --container-image=./img.sqsh --container-mounts=/does/not/exist:/x true
    [ "$RC" -ne 0 ] || fail "srun succeeded"
    assert_err_has "pyxis: --container-mounts: source path does not exist: /does/not/exist"
}

test_a_writable_mount_writes_to_the_host() {
    needs_runtime
    prepare_data
    run srun --container-image=./img.sqsh --container-mounts="$WORK/data:/data" sh -c 'echo back > /data/out'
    assert_ok
    [ "$(cat "$WORK/data/out")" = back ] || fail "the host does not see the file"
}
