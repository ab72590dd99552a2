# shellcheck shell=bash
# The task's world (docs/lifecycle.md#the-tasks-world): with Slurm's job_container/tmpfs every job has a mount
# namespace of its own, with a private /tmp and /dev/shm, and the tasks live in it. What the container needs from the
# node (mount sources, the image, the runtime's storage) is looked for there, as the task sees it. These tests need the
# cluster started with JOB_CONTAINER=tmpfs: run-e2e's second pass for each runtime.

needs_job_container() {
    [ "${CLUSTER_JOB_CONTAINER:-}" = tmpfs ] \
        || skip "needs the cluster with job_container/tmpfs (run-e2e runs these in a second pass)"
    needs_runtime
}

# job_with_script SCRIPT: a batch job on node1 running SCRIPT, then sleeping; prints its id once the script is done
# (the script ends by creating /tmp/.ready in the job's /tmp).
JOB=
job_with_script() {
    local i state
    JOB=$(as_user sbatch --parsable -w node1 -o /dev/null --wrap "$1; touch /tmp/.ready; sleep 120")
    [ -n "$JOB" ] || fail "sbatch gave no job id"
    trap end_job EXIT   # each test runs in a subshell of its own
    for ((i = 0; i < 150; i++)); do
        state=$(SLURM_CONF=$SLURM_CONF squeue -h -j "$JOB" -o %T 2>/dev/null)
        if [ "$state" = RUNNING ] && as_user srun --overlap --jobid="$JOB" test -e /tmp/.ready 2>/dev/null; then
            return 0
        fi
        sleep 0.2
    done
    fail "job $JOB did not start (state: $state)"
}
end_job() {
    [ -n "$JOB" ] || return 0
    SLURM_CONF=$SLURM_CONF scancel "$JOB" 2>/dev/null || true
    wait_for_job "$JOB" || fail "job $JOB did not end"
    JOB=
}

test_job_container_a_mount_source_a_step_made_in_the_jobs_tmp_is_mounted() {
    needs_job_container
    job_with_script true
    run srun --overlap --jobid="$JOB" sh -c 'mkdir /tmp/made-by-a-step && echo from-the-step > /tmp/made-by-a-step/f'
    assert_ok
    # the job's /tmp is its own: the node's /tmp has no such directory
    [ ! -e "$(node_path node1 /tmp/made-by-a-step)" ] || fail "the step wrote into the node's /tmp, not the job's"
    run srun --overlap --jobid="$JOB" --container-image=./img.sqsh --container-mounts=/tmp/made-by-a-step:/mnt/src \
        cat /mnt/src/f
    assert_ok
    assert_out from-the-step
    end_job
}

test_job_container_a_mount_source_the_batch_script_made_is_mounted() {
    needs_job_container
    job_with_script 'mkdir /tmp/made-by-the-script && echo from-the-script > /tmp/made-by-the-script/f'
    run srun --overlap --jobid="$JOB" --container-image=./img.sqsh \
        --container-mounts=/tmp/made-by-the-script/f:/etc/from-the-script cat /etc/from-the-script
    assert_ok
    assert_out from-the-script
    end_job
}

test_job_container_a_source_the_job_cannot_see_is_refused_with_pyxis_text() {
    needs_job_container
    # on the node, but not in the job's world: its /tmp is private
    local on_node
    on_node=$(node_path node1 /tmp/only-on-the-node)
    mkdir -p "$on_node"
    run srun -w node1 --container-image=./img.sqsh --container-mounts=/tmp/only-on-the-node:/mnt/x true
    rm -rf "$on_node"
    [ "$RC" -ne 0 ] || fail "the step succeeded"
    assert_err_has "pyxis: --container-mounts: source path does not exist: /tmp/only-on-the-node"
    wait_no_user_processes node1
}

test_job_container_the_engine_runs_in_the_jobs_mount_namespace() {
    needs_job_container
    job_with_script true
    local job_ns engine step i ns
    job_ns=$(as_user srun --overlap --jobid="$JOB" readlink /proc/self/ns/mnt)
    [ -n "$job_ns" ] || fail "no mount namespace for the job"
    [ "$job_ns" != "$(readlink "/proc/$(node_init_pid node1)/ns/mnt")" ] || fail "the job has the node's namespace"
    as_user srun --overlap --jobid="$JOB" --container-image=./img.sqsh sleep 6 >/dev/null 2>&1 &
    step=$!
    # the engine that serves the step (a first one only finds the job's namespace and ends at once)
    local seen= inside=0
    for ((i = 0; i < 100 && inside == 0; i++)); do
        for engine in $(pgrep -u "$TEST_USER" -f 'dev.jpyxis.dist.engine.EngineMain step' || true); do
            ns=$(readlink "/proc/$engine/ns/mnt" 2>/dev/null) || continue
            case " $seen " in *" $ns "*) ;; *) seen="$seen $ns" ;; esac
            [ "$ns" = "$job_ns" ] && inside=1
        done
        sleep 0.1
    done
    [ "$inside" = 1 ] || fail "no engine in the job's namespace $job_ns while the container ran (seen:$seen)"
    wait "$step" || fail "the container step failed"
    end_job
}

# cgroup_of PID CONTROLLER -> the process's directory in that cgroup v1 hierarchy (empty when it is gone)
cgroup_of() { awk -F: -v c="$2" '$2 == c {print $3}' "/proc/$1/cgroup" 2>/dev/null || true; }

# The step's cgroups (docs/lifecycle.md#the-tasks-world), on the cluster started with CGROUP=v1 too: the engine and
# the import it runs are charged to the step's memory directory (the task's, less its task_<n> level), and stay out of
# the step's freezer, which Slurm freezes and kills; after scancel nothing of the step is left, its directories neither.
test_job_container_cgroup_v1_runtime_commands_run_in_the_steps_cgroups_and_the_step_ends_clean() {
    needs_job_container
    [ "${CLUSTER_CGROUP:-}" = v1 ] || skip "needs the cluster with CGROUP=v1 (run-e2e's second pass)"
    registry_env
    clear_image_cache
    local image="$E2E_REGISTRY#jpyxis/busybox:1" out engine='' importer='' i job task='' pid
    local engine_memory engine_freezer importer_memory importer_freezer task_memory task_freezer step_dir
    out=$(mktemp)
    as_user srun -w node1 --container-image="$image" sleep 60 >"$out" 2>&1 &
    local step=$!
    for ((i = 0; i < 600; i++)); do
        for pid in $(pgrep -u "$TEST_USER" -f 'dev.jpyxis.dist.engine.EngineMain step' || true); do
            importer=$(pgrep -P "$pid" -f '( import |--no-cache pull )' | head -1 || true)
            if [ -n "$importer" ]; then
                engine=$pid
                break
            fi
        done
        if [ -n "$importer" ]; then
            engine_memory=$(cgroup_of "$engine" memory) engine_freezer=$(cgroup_of "$engine" freezer)
            importer_memory=$(cgroup_of "$importer" memory) importer_freezer=$(cgroup_of "$importer" freezer)
            [ -n "$importer_memory" ] && break
            importer=
        fi
        sleep 0.05
    done
    [ -n "$importer" ] || { kill "$step"; wait "$step"; cat "$out"; rm -f "$out"; fail "never saw the import under way"; }
    echo "engine $engine: memory $engine_memory, freezer $engine_freezer"
    echo "import $importer ($(ps -o args= -p "$importer" 2>/dev/null | cut -c1-80)): memory $importer_memory, freezer $importer_freezer"
    job=$(last_job_id)
    JOB=$job
    trap end_job EXIT
    # the task, once the container runs: the user's `sleep 60` in this job's step 0 (a sleep of an earlier test's job
    # may still be on its way out)
    for ((i = 0; i < 600; i++)); do
        for pid in $(pgrep -u "$TEST_USER" -x sleep || true); do
            if [[ $(cgroup_of "$pid" memory) == */job_$job/step_0/task_* ]]; then
                task=$pid
                break
            fi
        done
        [ -z "$task" ] || break
        sleep 0.1
    done
    [ -n "$task" ] || { cat "$out"; rm -f "$out"; fail "the container never ran"; }
    task_memory=$(cgroup_of "$task" memory) task_freezer=$(cgroup_of "$task" freezer)
    echo "task $task: memory $task_memory, freezer $task_freezer"
    step_dir=${task_memory%/task_*}
    [[ $step_dir == */job_$job/step_0 ]] || fail "the task's memory directory $task_memory is not step 0's of job $job"
    [ "$engine_memory" = "$step_dir" ] || fail "the engine is in memory $engine_memory, not the step's $step_dir"
    [ "$importer_memory" = "$step_dir" ] || fail "the import is in memory $importer_memory, not the step's $step_dir"
    # every other hierarchy where the task is in the step's directory (or below it) but the freezer: the engine too
    local controllers path hierarchies=
    while IFS=: read -r _ controllers path; do
        [ -n "$controllers" ] && [ "$controllers" != freezer ] && [[ $path == */job_$job/step_0* ]] || continue
        hierarchies="$hierarchies $controllers"
        [ "$(cgroup_of "$engine" "$controllers")" = "${path%/task_*}" ] \
            || fail "the engine is in $controllers $(cgroup_of "$engine" "$controllers"), not the step's ${path%/task_*}"
    done < "/proc/$task/cgroup"
    echo "the step's hierarchies besides the freezer:$hierarchies"
    # out of the step's freezer (the task's): in the job's, which slurmstepd is in
    [[ $task_freezer == */job_$job/step_0* ]] || fail "the task is not in the step's freezer: $task_freezer"
    [[ $engine_freezer == */job_$job ]] || fail "the engine is in freezer $engine_freezer, not the job's"
    [[ $importer_freezer == */job_$job ]] || fail "the import is in freezer $importer_freezer, not the job's"
    end_job
    wait "$step" || true
    rm -f "$out"
    wait_no_user_processes node1
    assert_no_container "pyxis_$job.0"
    # the engine left the step's directories before Slurm removed them (it cannot remove a directory with a process)
    for ((i = 0; i < 50; i++)); do
        [ -d "/sys/fs/cgroup/memory$step_dir" ] || break
        sleep 0.1
    done
    [ ! -d "/sys/fs/cgroup/memory$step_dir" ] || fail "the step's memory directory is left: $step_dir"
    clear_image_cache
}
