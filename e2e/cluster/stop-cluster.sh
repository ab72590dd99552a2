#!/usr/bin/env bash
# Stops the cluster started by start-cluster.sh: exactly the processes it recorded in STATE_DIR/pids (PID + start
# time, so a recycled PID is never hit): each node's init (which stops the node's slurmd; every process left in the
# node dies with it), then slurmctld, TERM, bounded wait, then KILL; then any slurmstepd left over from this cluster
# (recognised by its open fds / cwd in STATE_DIR, never by name alone); then the network namespaces, veth pairs,
# bridge it made, and unmounts the nodes' node-local filesystems (STATE_DIR/nodes/NODE/fs/...).
# A munged that start-cluster.sh reused but did not start is left alone.
#
# Usage: stop-cluster.sh [STATE_DIR]     (default: $JPYXIS_CLUSTER_DIR or /tmp/jpyxis-cluster)
# Env: KEEP_MUNGE=1    leave munged running even if this harness started it (used by start-cluster.sh on restart)
#      KEEP_NETWORK=1  leave the bridge, the nodes' network namespaces and their node-local filesystems (used by
#                      start-cluster.sh on restart)
#      STOP_TIMEOUT    seconds to wait after SIGTERM for each daemon (default 15)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_TAG=stop-cluster
# shellcheck source=lib.sh
. "$HERE/lib.sh"

STATE_DIR=${1:-${JPYXIS_CLUSTER_DIR:-$CLUSTER_STATE_DIR_DEFAULT}}
case $STATE_DIR in /*) ;; *) STATE_DIR=$(pwd)/$STATE_DIR ;; esac
STATE_DIR=${STATE_DIR%/}
STOP_TIMEOUT=${STOP_TIMEOUT:-15}

[ "$(id -u)" -eq 0 ] || die "must run as root"
[ -d "$STATE_DIR" ] || { log "no cluster state in $STATE_DIR: nothing to stop"; exit 0; }

# While slurmctld still answers: cancel this cluster's jobs, so that slurmstepd kills the tasks and every srun,
# salloc and sbatch --wait of the tests ends normally. Bounded wait (KillWait is 2 s in our slurm.conf).
if [ -n "$(recorded_pid slurmctld)" ] && [ -r "$STATE_DIR/slurm.conf" ]; then
    export SLURM_CONF=$STATE_DIR/slurm.conf
    jobs=$(timeout 10 squeue -h -o %A 2>/dev/null || true)
    if [ -n "$jobs" ]; then
        log "cancelling jobs: ${jobs//$'\n'/ }"
        # shellcheck disable=SC2086
        timeout 10 scancel $jobs 2>/dev/null || true
        for ((i = 0; i < 100; i++)); do
            [ -z "$(timeout 5 squeue -h -o %A 2>/dev/null)" ] && [ -z "$(cluster_stepd_pids)" ] && break
            sleep 0.2
        done
    fi
fi

# the nodes first (no new steps), then slurmctld; "slurmd" is the host's slurmd of a single-node cluster of an
# earlier version of this harness
for f in "$STATE_DIR"/pids/node.*; do
    [ -e "$f" ] || continue
    node=${f##*/node.}
    if [ -n "$(recorded_pid "node.$node")" ]; then
        stop_node "$node" "$STOP_TIMEOUT"
    else
        rm -f "$f"
    fi
done
for name in slurmd slurmctld; do
    pid=$(recorded_pid "$name")
    if [ -n "$pid" ]; then
        stop_pid "$name" "$pid" "$STOP_TIMEOUT"
    elif [ "$name" = slurmctld ]; then
        log "$name not running"
    fi
    rm -f "$STATE_DIR/pids/$name"
done

# Steps outlive slurmd (slurmstepd is reparented to init). Give them a moment to finish, then TERM (slurmstepd
# then signals its tasks) and KILL what is left of each slurmstepd and of its process tree (proctrack/linuxproc
# tracks tasks by parentage only, so the tree is the step).
stepds=$(cluster_stepd_pids)
if [ -n "$stepds" ]; then
    for ((i = 0; i < 30; i++)); do
        stepds=$(cluster_stepd_pids); [ -n "$stepds" ] || break; sleep 0.1
    done
fi
if [ -n "$stepds" ]; then
    # remember each process as PID:STARTTIME, so that a PID recycled meanwhile is never signalled
    tree=
    # shellcheck disable=SC2086
    for pid in $stepds $(descendants $stepds); do tree="$tree $pid:$(proc_starttime "$pid")"; done
    for pid in $stepds; do
        log "leftover slurmstepd pid $pid: $(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)"
        kill -TERM "$pid" 2>/dev/null || true
    done
    for ((i = 0; i < 30; i++)); do
        [ -z "$(cluster_stepd_pids)" ] && break; sleep 0.1
    done
    # shellcheck disable=SC2086
    for pid in $(descendants $stepds); do tree="$tree $pid:$(proc_starttime "$pid")"; done
    # shellcheck disable=SC2086
    for entry in $(printf '%s\n' $tree | sort -u); do
        pid=${entry%%:*}
        if [ -z "${entry#*:}" ] || [ "$(proc_starttime "$pid")" != "${entry#*:}" ]; then continue; fi
        log "SIGKILL pid $pid ($(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null))"
        kill -KILL "$pid" 2>/dev/null || true
    done
fi

if [ "${KEEP_MUNGE:-0}" != 1 ]; then
    pid=$(recorded_pid munged)
    [ -n "$pid" ] && stop_pid munged "$pid" "$STOP_TIMEOUT"
    rm -f "$STATE_DIR/pids/munged"
fi
if [ "${KEEP_NETWORK:-0}" != 1 ]; then
    ! load_cluster_env || remove_network
    unmount_node_storage
fi
# stale socket/credential files of steps that are gone; keep state/ (job ids go on increasing) and logs
rm -f "$STATE_DIR"/spool/*_[0-9]* "$STATE_DIR"/nodes/*/slurmd.pid \
    "$STATE_DIR"/slurmd.pid "$STATE_DIR"/slurmctld.pid 2>/dev/null || true
log "cluster in $STATE_DIR stopped"
