# shellcheck shell=bash
# Named containers across the steps of one job: reuse, :create, :exec, :no_exec, :auto, job-scope cleanup.

test_named_container_flags_across_steps() {
    needs_runtime
    remove_container pyxis_e2e
    cat > "$WORK/named.sh" <<'SCRIPT'
set -u
srun --container-image=./img.sqsh --container-name=e2e:create --container-writable sh -c 'echo one > /var/tmp/state' \
    || echo "create: failed"
srun --container-image=./img.sqsh --container-name=e2e:create true 2>&1 | grep -o 'pyxis: error: "create" flag.*' \
    || echo "second create: no error"
srun --container-name=e2e:exec true 2>&1 | grep -o 'pyxis: error: "exec" flag.*' || echo "exec: no error"
echo "auto: $(srun --container-name=e2e cat /var/tmp/state)"
srun --overlap --container-name=e2e --container-writable sh -c 'readlink /proc/self/ns/mnt > /var/tmp/ns; sleep 6' &
for i in $(seq 50); do sleep 0.2; srun --overlap --container-name=e2e:exec true 2>/dev/null && break; done
first=$(srun --overlap --container-name=e2e:exec cat /var/tmp/ns)
exec_ns=$(srun --overlap --container-name=e2e:exec readlink /proc/self/ns/mnt)
no_exec_ns=$(srun --overlap --container-name=e2e:no_exec readlink /proc/self/ns/mnt)
[ -n "$first" ] && [ "$first" = "$exec_ns" ] && echo "exec: same namespaces" \
    || echo "exec: other namespaces ('$first' '$exec_ns')"
[ -n "$no_exec_ns" ] && [ "$first" != "$no_exec_ns" ] && echo "no_exec: fresh namespaces" || echo "no_exec: same namespaces"
wait
SCRIPT
    chown "$TEST_USER" "$WORK/named.sh"
    run salloc -N1 -n1 --overcommit bash ./named.sh
    assert_ok
    assert_out_has 'pyxis: error: "create" flag was passed to --container-name but the container already exists'
    assert_out_has 'pyxis: error: "exec" flag was passed to --container-name but the container is not running'
    assert_out_has "auto: one"
    assert_out_has "exec: same namespaces"
    assert_out_has "no_exec: fresh namespaces"
    assert_container pyxis_e2e
    remove_container pyxis_e2e
}

test_job_scope_removes_the_jobs_containers_at_job_end() {
    needs_runtime
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    printf '%s container_scope=job\n' "$PLUGSTACK_LINE" > "$PLUGSTACK"
    run salloc -N1 -n1 bash -c 'srun --container-image=./img.sqsh --container-name=kept true; \
        srun --container-name=kept true && echo "$SLURM_JOB_ID"'
    local job=${OUT##*$'\n'} i
    # the job epilog runs after salloc returns and reads plugstack.conf then: put it back once it is done
    for ((i = 0; i < 100; i++)); do
        containers | grep -qx "pyxis_${job}_kept" || break
        sleep 0.2
    done
    printf '%s\n' "$PLUGSTACK_LINE" > "$PLUGSTACK"
    assert_ok
    assert_no_container "pyxis_${job}_kept"
}
