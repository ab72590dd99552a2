# shellcheck shell=bash
# --container-mounts: directories, files, read-only, tmpfs, relative sources, missing sources.

prepare_data() {
    as_user mkdir -p "$WORK/data"
    as_user sh -c "echo host-data > '$WORK/data/file'"
}

test_directory_file_readonly_and_tmpfs_mounts() {
    needs_runtime
    prepare_data
    if ! supports mount-options; then
        run srun --container-image=./img.sqsh --container-mounts="$WORK/data/file:/etc/injected:ro" true
        [ "$RC" -ne 0 ] || fail "mount flags were accepted"
        assert_err_has "pyxis: --container-mounts: mount flags (ro) are not supported by the $RUNTIME runtime"
        run srun --container-image=./img.sqsh --container-mounts="$WORK/data:/data,$WORK/data/file:/etc/injected" \
            sh -c 'cat /data/file; cat /etc/injected'
        assert_ok
        assert_out "host-data
host-data"
        return 0
    fi
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
