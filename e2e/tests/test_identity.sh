# shellcheck shell=bash
# Who and where the task is in the container: remap-root, workdir, home, writability, environment, entrypoint.

test_remap_root() {
    needs_runtime
    run srun --container-image=./img.sqsh --container-remap-root id -u
    assert_ok
    assert_out 0
    run srun --container-image=./img.sqsh --no-container-remap-root id -u
    assert_ok
    assert_out "$(id -u "$TEST_USER")"
}

test_workdir() {
    needs_runtime
    run srun --container-image=./img.sqsh --container-workdir=/tmp pwd
    assert_ok
    assert_out /tmp
    run srun --container-image=./img.sqsh --container-workdir=/nonexistent pwd
    [ "$RC" -ne 0 ] || fail "chdir to a missing directory succeeded"
    assert_err_has "pyxis: couldn't chdir to /nonexistent: No such file or directory"
}

test_mount_home() {
    needs_runtime
    as_user sh -c 'echo home-marker > "$HOME/e2e-home-marker"'
    run srun --container-image=./img.sqsh --container-mount-home cat "$TEST_HOME/e2e-home-marker"
    assert_ok
    assert_out home-marker
    run srun --container-image=./img.sqsh --no-container-mount-home cat "$TEST_HOME/e2e-home-marker"
    [ "$RC" -ne 0 ] || fail "the home directory was mounted"
}

test_writable_and_readonly() {
    needs_runtime
    run srun --container-image=./img.sqsh --container-writable sh -c 'touch /rootfs-write && echo ok'
    assert_ok
    assert_out ok
    run srun --container-image=./img.sqsh --container-readonly touch /rootfs-write
    [ "$RC" -ne 0 ] || fail "the root filesystem was writable"
    assert_err_has "Read-only file system"
}

test_container_env_keeps_the_host_value() {
    needs_runtime
    USER_ENV="CUDA_VERSION=12.0.0" run srun --container-image=./img.sqsh sh -c 'echo $CUDA_VERSION'
    assert_ok
    assert_out 11.8.0
    USER_ENV="CUDA_VERSION=12.0.0" run srun --container-image=./img.sqsh --container-env=CUDA_VERSION \
        sh -c 'echo $CUDA_VERSION'
    assert_ok
    assert_out 12.0.0
}

test_host_variables_pass_and_host_locale_is_dropped() {
    needs_runtime
    USER_ENV="E2E_FOO=bar LC_ALL=xx_XX.UTF-8" run srun --container-image=./img.sqsh sh -c 'echo "$E2E_FOO ${LC_ALL:-unset}"'
    assert_ok
    assert_out "bar unset"
}

test_entrypoint_runs_only_when_asked() {
    needs_runtime
    run srun --container-image=./img.sqsh --container-entrypoint sh -c 'echo ${ENTRYPOINT_RAN:-no}'
    assert_ok
    assert_out yes
    run srun --container-image=./img.sqsh sh -c 'echo ${ENTRYPOINT_RAN:-no}'
    assert_ok
    assert_out no
    run srun --container-image=./img.sqsh --container-entrypoint --container-entrypoint-log true
    assert_ok
    assert_err_has "test-entrypoint: ran"
}

test_unshare_gives_the_step_namespaces_of_its_own() {
    needs_runtime
    if [ "$RUNTIME" = enroot ] && ! grep -qs ENROOT_UNSHARE_NET "$(dirname "$(command -v enroot)")/../lib/enroot/runtime.sh"; then
        skip "enroot $(enroot version 2>/dev/null) has no ENROOT_UNSHARE_* (docs/runtimes.md#enroot-default)"
    fi
    # busybox's readlink takes one file
    local ns='for kind in net ipc uts; do readlink /proc/self/ns/$kind; done | tr "\n" " "; echo'
    run srun --container-image=./img.sqsh sh -c "$ns"
    assert_ok
    [[ $OUT == "net:["* ]] || fail "the namespaces could not be read"
    local host=$OUT kind
    run srun -n2 --container-image=./img.sqsh --container-unshare=net,ipc,uts sh -c "$ns"
    assert_ok
    [ "$(sort -u <<<"$OUT" | wc -l)" = 1 ] || fail "the step's tasks are not in the same namespaces"
    for kind in net ipc uts; do
        ! grep -qF -- "$(tr ' ' '\n' <<<"$host" | grep "^$kind:")" <<<"$OUT" || fail "$kind is not a namespace of its own"
    done
    # the network: only the loopback interface, up
    run srun --container-image=./img.sqsh --container-unshare=net sh -c 'grep -c : /proc/net/dev; ip link show lo'
    assert_ok
    [ "$(sed -n 1p <<<"$OUT")" = 1 ] || fail "the container sees more than the loopback interface"
    assert_out_has ",UP"
    # IPC: POSIX shared memory of its own (/dev/shm)
    node_exec "${NODE_NAMES[0]}" sh -c "touch /dev/shm/jpx-host-marker"
    run srun -w "${NODE_NAMES[0]}" --container-image=./img.sqsh ls /dev/shm
    assert_ok
    assert_out_has jpx-host-marker
    run srun -w "${NODE_NAMES[0]}" --container-image=./img.sqsh --container-unshare=ipc ls /dev/shm
    node_exec "${NODE_NAMES[0]}" rm -f /dev/shm/jpx-host-marker
    assert_ok
    assert_out_lacks jpx-host-marker
}
