# shellcheck shell=bash
# Helpers shared by start-cluster.sh and stop-cluster.sh. Sourced, not run.

# shellcheck disable=SC2034  # used by the scripts that source this file
CLUSTER_STATE_DIR_DEFAULT=/tmp/jpyxis-cluster

log() { echo "${LOG_TAG:-cluster}: $*"; }
die() { echo "${LOG_TAG:-cluster}: error: $*" >&2; exit 1; }

# proc_starttime PID -> field 22 of /proc/PID/stat (clock ticks since boot), empty if no such process.
# The comm field may contain spaces and ')', so parse after the last ')'.
proc_starttime() {
    local stat fields
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
    stat=${stat##*) }
    # after "comm) " the fields start at field 3 (state); starttime is field 22 -> index 19 here
    read -r -a fields <<< "$stat"
    echo "${fields[19]}"
}

# record_pid NAME PID: remembers PID together with its start time, so that a recycled PID is never mistaken
# for one of our daemons.
record_pid() {
    local name=$1 pid=$2 st
    st=$(proc_starttime "$pid")
    [ -n "$st" ] || return 1
    mkdir -p "$STATE_DIR/pids"
    echo "$pid $st $(cat "/proc/$pid/comm" 2>/dev/null)" > "$STATE_DIR/pids/$name"
}

# recorded_pid NAME -> prints the PID if the recorded process is still the same process, else nothing.
recorded_pid() {
    local f="$STATE_DIR/pids/$1" pid st rest
    [ -r "$f" ] || return 0
    read -r pid st rest < "$f" || return 0
    [ -n "$pid" ] && [ "$(proc_starttime "$pid")" = "$st" ] && echo "$pid"
    return 0
}

# stop_pid NAME PID [WAIT_SECS]: TERM, bounded wait, then KILL.
stop_pid() {
    local name=$1 pid=$2 wait=${3:-15} st i
    st=$(proc_starttime "$pid")
    [ -n "$st" ] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < wait * 10; i++)); do
        [ "$(proc_starttime "$pid")" = "$st" ] || { log "stopped $name (pid $pid)"; return 0; }
        sleep 0.1
    done
    log "$name (pid $pid) ignored SIGTERM for ${wait}s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        [ "$(proc_starttime "$pid")" = "$st" ] || return 0
        sleep 0.1
    done
    echo "${LOG_TAG:-cluster}: warning: $name (pid $pid) still alive after SIGKILL" >&2
}

# cluster_stepd_pids -> PIDs of slurmstepd processes that belong to the cluster in $STATE_DIR.
# slurmstepd overwrites its environment with its process title, so an environment marker does not survive; but
# it inherits slurmd's log file (an open fd on $STATE_DIR/log/slurmd.log) and slurmd's cwd (the log dir), which no
# slurmstepd of another cluster on the same machine has.
cluster_stepd_pids() {
    local d pid comm f
    for d in /proc/[0-9]*; do
        pid=${d#/proc/}
        comm=$(cat "$d/comm" 2>/dev/null) || continue
        [ "$comm" = slurmstepd ] || continue
        case $(readlink "$d/cwd" 2>/dev/null) in "$STATE_DIR"/*) echo "$pid"; continue ;; esac
        for f in "$d"/fd/*; do
            case $(readlink "$f" 2>/dev/null) in "$STATE_DIR"/*) echo "$pid"; break ;; esac
        done
    done
}

# descendants PID... -> all descendants of the given processes (children first discovered breadth-first).
descendants() {
    local -A parent=()
    local d stat pid fields queue=("$@") cur
    for d in /proc/[0-9]*; do
        stat=$(cat "$d/stat" 2>/dev/null) || continue
        stat=${stat##*) }
        read -r -a fields <<< "$stat"
        parent[${d#/proc/}]=${fields[1]}
    done
    while [ ${#queue[@]} -gt 0 ]; do
        cur=${queue[0]}; queue=("${queue[@]:1}")
        for pid in "${!parent[@]}"; do
            if [ "${parent[$pid]}" = "$cur" ]; then echo "$pid"; queue+=("$pid"); fi
        done
    done
}

# prepare_enroot_dirs: creates, mode 1777, the parents of the per-user directories enroot's configuration names under
# /run, /tmp or /var/tmp. Machines without logind have no /run/user and lose /run at reboot, and enroot creates a
# missing parent 0700 for the first user who runs it, locking every other user out.
prepare_enroot_dirs() {
    local value parent
    for value in $(cat /usr/local/etc/enroot/enroot.conf /usr/local/etc/enroot/enroot.conf.d/*.conf \
            /etc/enroot/enroot.conf /etc/enroot/enroot.conf.d/*.conf 2>/dev/null \
            | awk '$1 ~ /^ENROOT_(RUNTIME|DATA|CACHE)_PATH$/ {print $2}'); do
        parent=$(dirname "$value")
        case $parent in /run/*|/tmp/*|/var/tmp/*) [ -d "$parent" ] || install -d -m 1777 "$parent" ;; esac
    done
}
