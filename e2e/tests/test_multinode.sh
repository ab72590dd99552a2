# shellcheck shell=bash
# Steps across several nodes of the real cluster (each node a slurmd in its own namespaces, e2e/cluster): one
# container per node, named containers per node, sbatch and salloc, a failure on one node, job-scope cleanup on every
# node, MPI over PMIx, PyTorch variables, and a node dying mid-step. Each case appends what the cluster did to
# RECORD_FILE (record_case), for comparison with the simulator's scenarios.

# the test user's containers on NODE other than those listed in BEFORE (one name per line)
new_containers_on() {
    comm -13 <(printf '%s\n' "$2" | sort) <(containers_on "$1")
}

# wait_node_back NODE: waits (bounded) until slurmctld has the node in service again. It may show "mixed" for up to
# MinJobAge: the CPUs of the job that failed with it are counted until that job's record goes.
wait_node_back() {
    local i st
    for ((i = 0; i < 240; i++)); do
        st=$(sinfo -h -n "$1" -o %T 2>/dev/null)
        [[ $st =~ ^(idle|mixed|allocated)$ ]] && return 0
        sleep 0.25
    done
    OUT=$(scontrol show node "$1"; squeue -t all -o '%A %T %N %R')
    fail "node $1 is not back in service: $st"
}

# enroot's hooks directory (where pyxis sites put the PMIx and PyTorch hooks)
enroot_hooks_dir() {
    local prefix
    prefix=$(dirname "$(dirname "$(command -v enroot)")")
    if [ "$prefix" = /usr ]; then echo /etc/enroot/hooks.d; else echo "$prefix/etc/enroot/hooks.d"; fi
}

test_multinode_each_node_starts_one_container_shared_by_its_tasks() {
    needs_runtime
    needs_nodes 3
    mark_logs
    run srun -N3 -n6 --container-image=./img.sqsh \
        sh -c 'echo "$SLURM_PROCID $(hostname) $(readlink /proc/self/ns/mnt) $SLURM_JOB_ID"; sleep 1'
    record_case srun-N3-n6-one-container-per-node "srun -N3 -n6 --container-image=./img.sqsh sh -c ..."
    assert_ok
    [ "$(wc -l <<<"$OUT")" -eq 6 ] || fail "expected 6 tasks"
    local job node init
    job=$(awk 'NR == 1 {print $4}' <<<"$OUT")
    for node in node1 node2 node3; do
        [ "$(awk -v n="$node" '$2 == n' <<<"$OUT" | wc -l)" -eq 2 ] || fail "$node did not run 2 tasks"
        [ "$(awk -v n="$node" '$2 == n {print $3}' <<<"$OUT" | sort -u | wc -l)" -eq 1 ] \
            || fail "the tasks on $node are in different mount namespaces"
        init=$(node_init_pid "$node")
        [ "$(awk -v n="$node" '$2 == n {print $3}' <<<"$OUT" | head -1)" != "$(readlink "/proc/$init/ns/mnt")" ] \
            || fail "the tasks on $node are not in a container"
        [ "$(starts_since_mark "$node" "$job")" -eq 1 ] || fail "$node started $(starts_since_mark "$node" "$job") containers"
    done
    assert_no_container "pyxis_$job.0"
    wait_no_user_processes node1 node2 node3
}

test_multinode_named_containers_exist_per_node() {
    needs_runtime
    needs_nodes 3
    remove_container pyxis_mn
    run srun -N2 -w 'node[1-2]' --container-image=./img.sqsh --container-name=mn --container-writable \
        sh -c 'hostname > /var/tmp/made-on'
    assert_ok
    mark_logs
    run srun -N2 -w 'node[1-2]' --container-name=mn cat /var/tmp/made-on
    record_case named-container-second-step-two-nodes "srun -N2 -w node[1-2] --container-name=mn cat /var/tmp/made-on"
    assert_ok
    [ "$(sort <<<"$OUT" | tr '\n' ' ')" = "node1 node2 " ] || fail "each node should find its own container's file"
    [ "$(nodes_with pyxis_mn)" = "node1 node2 " ] || fail "pyxis_mn should exist on node1 and node2 only: $(nodes_with pyxis_mn)"
    local node
    for node in node1 node2; do
        [ "$(starts_since_mark "$node")" -eq 1 ] || fail "$node started $(starts_since_mark "$node") containers"
        log_since_mark "$node" | grep -q "pyxis: reusing existing container filesystem" \
            || fail "$node did not reuse its container"
    done
    remove_container pyxis_mn
}

test_multinode_a_name_on_one_node_only_fails_with_pyxis_text_and_leaves_nothing() {
    needs_runtime
    needs_nodes 2
    remove_container pyxis_lonely
    run srun -w node1 --container-image=./img.sqsh --container-name=lonely true
    assert_ok
    local before1 before2
    before1=$(containers_on node1) before2=$(containers_on node2)
    mark_logs
    run srun -N2 -w 'node[1-2]' --container-name=lonely true
    record_case name-exists-on-one-node-only "srun -N2 -w node[1-2] --container-name=lonely true"
    [ "$RC" -ne 0 ] || fail "srun succeeded"
    assert_err_has 'pyxis: error: a container with name "pyxis_lonely" does not exist, and --container-image is not set'
    assert_err_has "node2: task 1: Exited with exit code 1"
    assert_err_lacks "node1: task 0: Exited"
    [ -z "$(new_containers_on node1 "$before1")$(new_containers_on node2 "$before2")" ] \
        || fail "new containers: node1: $(new_containers_on node1 "$before1") node2: $(new_containers_on node2 "$before2")"
    [ "$(nodes_with pyxis_lonely)" = "node1 " ] || fail "pyxis_lonely should be on node1 only: $(nodes_with pyxis_lonely)"
    wait_no_user_processes node1 node2
    remove_container pyxis_lonely
}

test_multinode_sbatch_and_salloc_run_container_steps_on_both_nodes() {
    needs_runtime
    needs_nodes 2
    cat > "$WORK/mn-batch.sh" <<SCRIPT
#!/bin/sh
#SBATCH -N2 -n4
#SBATCH --output=$WORK/mn-batch.out
echo "batch script on \$(hostname)"
srun --container-image=$WORK/img.sqsh sh -c 'echo "step0 task \$SLURM_PROCID on \$(hostname) \$(grep ^ID= /etc/os-release)"'
srun -N2 -n2 --container-image=$WORK/img.sqsh sh -c 'echo "step1 task \$SLURM_PROCID on \$(hostname)"'
SCRIPT
    chown "$TEST_USER" "$WORK/mn-batch.sh"
    as_user rm -f "$WORK/mn-batch.out"
    mark_logs
    # not sbatch --wait, which looks at the job only every few seconds
    run sbatch --parsable ./mn-batch.sh
    assert_ok
    local job=${OUT%%;*}
    wait_for_job "$job" || fail "job $job did not end"
    OUT=$(cat "$WORK/mn-batch.out" 2>/dev/null)
    RC=$(scontrol show job "$job" | sed -n 's/.* ExitCode=\([0-9]*\):.*/\1/p')
    record_case sbatch-N2-container-steps "sbatch -N2 -n4 (srun --container-image=... twice)"
    assert_ok
    assert_out_has "batch script on node1"
    local task
    for task in "0 on node1" "1 on node1" "2 on node2" "3 on node2"; do
        assert_out_has "step0 task $task ID=jpyxis-test"
    done
    assert_out_has "step1 task 0 on node1"
    assert_out_has "step1 task 1 on node2"
    [ "$(starts_since_mark node1)" -eq 2 ] && [ "$(starts_since_mark node2)" -eq 2 ] \
        || fail "each node should start one container per step: node1 $(starts_since_mark node1), node2 $(starts_since_mark node2)"

    mark_logs
    run salloc -N2 -n4 srun --container-image=./img.sqsh sh -c 'echo "task $SLURM_PROCID on $(hostname)"'
    record_case salloc-N2-container-step "salloc -N2 -n4 srun --container-image=./img.sqsh ..."
    assert_ok
    [ "$(sort <<<"$OUT" | tr '\n' ' ')" = "task 0 on node1 task 1 on node1 task 2 on node2 task 3 on node2 " ] \
        || fail "salloc's step did not run 2 tasks on each node"
    wait_no_user_processes node1 node2
}

test_multinode_a_setup_failure_on_one_node_fails_the_step_and_leaves_nothing() {
    needs_runtime
    needs_nodes 2
    # a mount source on node1's node-local /var/tmp, and on the host where srun runs, but not on node2
    local src=/var/tmp/e2e-only-on-node1 before1 before2
    install -d -o "$TEST_USER" "$src" "$(node_path node1 "$src")"
    rm -rf "$(node_path node2 "$src")"
    before1=$(containers_on node1) before2=$(containers_on node2)
    mark_logs
    run srun -N2 -w 'node[1-2]' --container-image=./img.sqsh --container-mounts="$src:/data" \
        sh -c 'echo "$(hostname) sees $(ls -d /data)"; sleep 2'
    record_case mount-source-missing-on-one-node "srun -N2 -w node[1-2] --container-mounts=$src:/data ..."
    rm -rf "$src" "$(node_path node1 "$src")"
    [ "$RC" -ne 0 ] || fail "srun succeeded"
    assert_err_has "pyxis: --container-mounts: source path does not exist: $src"
    assert_err_has "node2: task 1: Exited with exit code 1"
    assert_out_lacks "node2 sees"
    [ -z "$(new_containers_on node1 "$before1")$(new_containers_on node2 "$before2")" ] \
        || fail "containers left: node1: $(new_containers_on node1 "$before1") node2: $(new_containers_on node2 "$before2")"
    wait_no_user_processes node1 node2
}

test_multinode_job_scope_epilog_removes_the_jobs_containers_on_every_node() {
    needs_runtime
    needs_nodes 2
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    printf '%s container_scope=job\n' "$PLUGSTACK_LINE" > "$PLUGSTACK"
    mark_logs
    run salloc -N2 -w 'node[1-2]' bash -c 'srun -N2 --container-image=./img.sqsh --container-name=kept true \
        && srun -N2 --container-name=kept sh -c "echo \$(hostname) reused" && echo "$SLURM_JOB_ID"'
    local job=${OUT##*$'\n'} i
    # each node's epilog runs after salloc returns and reads plugstack.conf then: put it back once they are done
    for ((i = 0; i < 100; i++)); do
        [ -z "$(nodes_with "pyxis_${job}_kept")" ] && break
        sleep 0.2
    done
    printf '%s\n' "$PLUGSTACK_LINE" > "$PLUGSTACK"
    assert_ok
    assert_out_has "node1 reused"
    assert_out_has "node2 reused"
    record_case container-scope-job-epilog-two-nodes "salloc -N2 (srun --container-name=kept twice), container_scope=job"
    [ -z "$(nodes_with "pyxis_${job}_kept")" ] || fail "pyxis_${job}_kept is left on $(nodes_with "pyxis_${job}_kept")"
}

test_multinode_mpi_ranks_talk_across_two_nodes_in_containers() {
    needs_runtime
    needs_nodes 2
    [ -r "${E2E_MPI_IMAGE:-}" ] || skip "no MPI test image (E2E_MPI_IMAGE)"
    if [ "$RUNTIME" = enroot ] && [ ! -e "$(enroot_hooks_dir)/50-slurm-pmi.sh" ]; then
        echo "    NOTE: enroot's 50-slurm-pmi.sh hook is not installed: PMIx's shared-memory store is not in the container"
    fi
    mark_logs
    run srun -N2 -n4 -w 'node[1-2]' --mpi=pmix --container-image="$E2E_MPI_IMAGE" mpi-hello
    record_case mpi-pmix-4-ranks-2-nodes "srun -N2 -n4 --mpi=pmix --container-image=mpi.sqsh mpi-hello"
    assert_ok
    [ "$(sort <<<"$OUT" | tr '\n' ';')" = "rank 0 of 4 on node1;rank 1 of 4 on node1;rank 2 of 4 on node2;rank 3 of 4 on node2;" ] \
        || fail "expected ranks 0-1 on node1 and 2-3 on node2, all of 4"
    [ "$(starts_since_mark node1)" -eq 1 ] && [ "$(starts_since_mark node2)" -eq 1 ] || fail "one container per node"
    wait_no_user_processes node1 node2
}

test_multinode_pytorch_variables_are_right_on_every_task() {
    needs_runtime
    needs_nodes 2
    [ -r "${E2E_PYTORCH_IMAGE:-}" ] || skip "no PyTorch test image (E2E_PYTORCH_IMAGE)"
    if [ "$RUNTIME" = enroot ] && [ ! -e "$(enroot_hooks_dir)/50-slurm-pytorch.sh" ]; then
        skip "!!! enroot's 50-slurm-pytorch.sh hook is not in $(enroot_hooks_dir): pyxis sites install it !!!"
    fi
    mark_logs
    run srun -N2 -n4 -w 'node[1-2]' --container-image="$E2E_PYTORCH_IMAGE" sh -c 'echo "$SLURM_PROCID $SLURM_LOCALID \
$(hostname) ${RANK-unset} ${LOCAL_RANK-unset} ${WORLD_SIZE-unset} ${MASTER_ADDR-unset} ${MASTER_PORT-unset} $SLURM_JOB_ID"'
    record_case pytorch-variables-2-nodes-4-tasks "srun -N2 -n4 --container-image=pytorch.sqsh (RANK LOCAL_RANK WORLD_SIZE MASTER_ADDR MASTER_PORT)"
    assert_ok
    [ "$(wc -l <<<"$OUT")" -eq 4 ] || fail "expected 4 tasks"
    local procid localid node rank local_rank world addr port job
    while read -r procid localid node rank local_rank world addr port job; do
        [ "$rank" = "$procid" ] && [ "$local_rank" = "$localid" ] \
            || fail "task $procid on $node: RANK=$rank LOCAL_RANK=$local_rank (expected $procid $localid)"
        # enroot: its PyTorch hook; Charliecloud: jpyxis itself (docs/runtimes.md#pytorch-variables)
        [ "$world $addr $port" = "4 node1 $((job % 4536 + 61000))" ] \
            || fail "task $procid on $node: WORLD_SIZE=$world MASTER_ADDR=$addr MASTER_PORT=$port (expected 4 node1 $((job % 4536 + 61000)))"
    done <<<"$OUT"
}

test_multinode_a_node_dying_mid_step_fails_the_step_and_its_leftovers_are_swept() {
    needs_runtime
    needs_nodes 2
    local victim=node2 out=$WORK/.dying.out err=$WORK/.dying.err i job
    # the victim comes back whatever happens here, so that the next tests have every node
    # and the step is cancelled if this test fails before the node's death ends it
    trap 'scancel -u "$TEST_USER" 2>/dev/null; if [ -z "$(node_init_pid node2)" ]; then start_node node2 >/dev/null; fi' EXIT
    rm -f "$out" "$err" "$WORK/.dying.rc"
    mark_logs
    ( rc=0; as_user srun -N2 -w 'node[1-2]' --container-image=./img.sqsh --container-writable sh -c 'echo "started on $(hostname)"; sleep 300' \
        >"$out" 2>"$err" || rc=$?; echo "$rc" > "$WORK/.dying.rc" ) &
    for ((i = 0; i < 150; i++)); do
        [ "$(grep -c started "$out" 2>/dev/null)" = 2 ] && break
        sleep 0.2
    done
    [ "$(grep -c started "$out" 2>/dev/null)" = 2 ] || { OUT=$(cat "$out") ERR=$(cat "$err"); fail "the step did not start"; }
    job=$(squeue -h -u "$TEST_USER" -w "$victim" -o %A | head -1)
    [ -n "$(containers_on "$victim" | grep -x "pyxis_$job.0")" ] || fail "no container pyxis_$job.0 on $victim"

    kill_node "$victim"
    # slurmctld declares the silent node DOWN after SlurmdTimeout and kills the job on the other nodes
    for ((i = 0; i < 600; i++)); do
        [ -s "$WORK/.dying.rc" ] && break
        sleep 0.2
    done
    wait
    OUT=$(cat "$out") ERR=$(cat "$err") RC=$(cat "$WORK/.dying.rc" 2>/dev/null || echo timeout)
    record_case node-dies-mid-step "srun -N2 -w node[1-2] --container-image=./img.sqsh --container-writable sleep 300; node2 killed"
    [ "$RC" != timeout ] || fail "srun did not end within 120 s of the node's death"
    [ "$RC" -ne 0 ] || fail "srun succeeded"
    assert_err_has "srun: error: Node failure on $victim"
    wait_no_user_processes node1
    # the engine outlives the step's SIGTERM and removes the container when slurmstepd ends the step (EngineSignals)
    ! containers_on node1 | grep -qx "pyxis_$job.0" || fail "node1 keeps pyxis_$job.0 after the step was cancelled"
    containers_on "$victim" | grep -qx "pyxis_$job.0" || fail "the dead node's container is gone already?"

    # the node comes back: its storage still holds the dead step's container until the user's next step there
    mark_logs
    start_node "$victim" >/dev/null
    wait_node_back "$victim"
    containers_on "$victim" | grep -qx "pyxis_$job.0" \
        && echo "    NOTE: after its restart, $victim still holds pyxis_$job.0 until the user's next container step there"
    run srun -w "$victim" --container-image=./img.sqsh echo swept
    record_case node-back-next-step-sweeps-leftovers "srun -w $victim --container-image=./img.sqsh echo swept (after the restart)"
    assert_ok
    assert_out swept
    log_since_mark "$victim" | grep -q "pyxis: removing leftover container pyxis_$job.0" || fail "no leftover removal logged"
    ! containers_on "$victim" | grep -qx "pyxis_$job.0" || fail "the dead step's container was not swept"
    wait_no_user_processes node1 "$victim"
}
