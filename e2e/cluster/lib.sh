# shellcheck shell=bash
# Helpers shared by the cluster's scripts (start-cluster.sh, stop-cluster.sh, node.sh) and the tests. Sourced, not
# run; the caller sets STATE_DIR.

CLUSTER_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# shellcheck disable=SC2034  # used by the scripts that source this file
CLUSTER_STATE_DIR_DEFAULT=/tmp/jpyxis-cluster

log() { echo "${LOG_TAG:-cluster}: $*"; }
die() { echo "${LOG_TAG:-cluster}: error: $*" >&2; exit 1; }

# detached COMMAND...: runs COMMAND with only stdin, stdout and stderr open. A daemon must not inherit the caller's
# other descriptors: a `flock LOCK start-cluster.sh` would otherwise stay locked for as long as munged runs. Called
# in the background (`detached COMMAND &`, already a process of its own), it becomes COMMAND itself: a subshell
# around it would be one more process holding the caller's descriptors, and the lock, for as long as a node runs.
detached() {
    if [ "$BASHPID" != "$$" ]; then
        close_descriptors
        exec "$@"
    fi
    (
        close_descriptors
        exec "$@"
    )
}
close_descriptors() {
    local fd
    for fd in /proc/$BASHPID/fd/*; do
        fd=${fd##*/}
        [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-"
    done
}

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
# it inherits slurmd's log file (an open fd on $STATE_DIR/log/slurmd.NODE.log) and slurmd's cwd (the log dir), which no
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

# prepare_enroot_dirs: makes the parents of the per-user directories enroot's configuration names under /run, /tmp or
# /var/tmp mode 1777. Machines without logind have no /run/user and lose /run at reboot, and enroot creates a
# missing parent 0700 for the first user who runs it (root too), locking every other user out: such a parent of root's
# is opened up again.
prepare_enroot_dirs() {
    local value parent
    for value in $(cat /usr/local/etc/enroot/enroot.conf /usr/local/etc/enroot/enroot.conf.d/*.conf \
            /etc/enroot/enroot.conf /etc/enroot/enroot.conf.d/*.conf 2>/dev/null \
            | awk '$1 ~ /^ENROOT_(RUNTIME|DATA|CACHE)_PATH$/ {print $2}'); do
        parent=$(dirname "$value")
        case $parent in
            /run/*|/tmp/*|/var/tmp/*)
                if [ ! -d "$parent" ]; then
                    install -d -m 1777 "$parent"
                elif [ "$(stat -c %u:%a "$parent")" = 0:700 ]; then
                    chmod 1777 "$parent"
                fi ;;
        esac
    done
}

# ---- the nodes. Each node is a slurmd in its own network, UTS, PID and mount namespaces (README.md, "Layout");
# STATE_DIR/cluster.env (written by start-cluster.sh) says which nodes, network and node-local paths the cluster has.

# load_cluster_env: reads STATE_DIR/cluster.env; false when the cluster was never started.
load_cluster_env() {
    [ -r "$STATE_DIR/cluster.env" ] || return 1
    # shellcheck source=/dev/null
    . "$STATE_DIR/cluster.env"
}

# node_index NODE -> its number (node3 -> 3)
node_index() { echo "${1#node}"; }
node_netns() { echo "jpx${CLUSTER_NET_ID}-$1"; }
node_veth() { echo "jpx${CLUSTER_NET_ID}n$(node_index "$1")"; }
node_addr() { echo "$CLUSTER_SUBNET.$((10 + $(node_index "$1")))"; }

# node_init_pid NODE -> host PID of the node's first process (PID 1 in the node), empty when the node is down
node_init_pid() { recorded_pid "node.$1"; }

# node_pids NODE -> host PIDs of every process of the node (those in its PID namespace), its init included
node_pids() {
    local init ns d
    init=$(node_init_pid "$1")
    [ -n "$init" ] || return 0
    ns=$(readlink "/proc/$init/ns/pid" 2>/dev/null) || return 0
    for d in /proc/[0-9]*; do
        [ "$(readlink "$d/ns/pid" 2>/dev/null)" = "$ns" ] && echo "${d#/proc/}"
    done
    return 0
}

# node_slurmd_pid NODE -> host PID of the node's slurmd, empty when it does not run
node_slurmd_pid() {
    local pid
    for pid in $(node_pids "$1"); do
        [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = slurmd ] && { echo "$pid"; return 0; }
    done
    return 0
}

# node_exec NODE COMMAND...: runs a command inside the node (its mount, UTS, network and PID namespaces)
node_exec() {
    local init
    init=$(node_init_pid "$1")
    [ -n "$init" ] || { echo "${LOG_TAG:-cluster}: node $1 is not running" >&2; return 1; }
    shift
    nsenter --target "$init" --mount --uts --net --pid -- "$@"
}

# node_path NODE PATH -> where the host sees the node's PATH (node-local filesystems are mounted in
# STATE_DIR/nodes/NODE/fs)
node_path() {
    local node=$1 path=$2 local_path
    for local_path in $CLUSTER_NODE_LOCAL; do
        case $path/ in "$local_path"/*) echo "$STATE_DIR/nodes/$node/fs$path"; return 0 ;; esac
    done
    echo "$path"
}

# start_node NODE: starts the node's namespaces, its init (node-init.sh) and thereby its slurmd; records the init.
start_node() {
    local node=$1 launcher init i pid
    local path dir
    # Each node-local path is a filesystem of its own (a tmpfs mounted by the host, so that it outlives a crash of the
    # node): enroot finds a container's processes by the root of the mount holding its data directory, which a bind
    # mount of a subdirectory would not give.
    for path in $CLUSTER_NODE_LOCAL; do
        [ -d "$path" ] || install -d -m "$(node_local_mode "$path")" "$path"          # the mount point
        dir=$STATE_DIR/nodes/$node/fs$path
        mkdir -p "$dir"
        mountpoint -q "$dir" || mount -t tmpfs -o "mode=$(node_local_mode "$path")" "jpyxis-$node" "$dir"
    done
    for path in ${CLUSTER_NODE_DIRS:-}; do
        [ -d "$(node_path "$node" "$path")" ] || install -d -m 1777 "$(node_path "$node" "$path")"
    done
    # With job_container/tmpfs each node keeps to one CPU (README.md, "job_container/tmpfs"): Slurm holds a job's mount
    # namespace by binding its file into the node's, which this kernel refuses (EINVAL) for a namespace made on
    # another CPU than the node's own, whose id may then be the lower one.
    local pin=()
    [ -z "${CLUSTER_JOB_CONTAINER:-}" ] || pin=(taskset -c "$(( ($(node_index "$node") - 1) % $(nproc) ))")
    # nsenter rather than `ip netns exec`, which would mount a fresh /sys without the cgroup mounts slurmd wants
    detached setsid "${pin[@]}" nsenter --net="/run/netns/$(node_netns "$node")" \
        unshare --uts --pid --fork --mount --propagation private --mount-proc \
        "$CLUSTER_HERE/node-init.sh" "$node" "$STATE_DIR" "$STATE_DIR/slurm.conf" \
        >> "$STATE_DIR/log/node.$node.log" 2>&1 < /dev/null &
    launcher=$!
    # the init is the launcher's descendant that is PID 1 in its own PID namespace
    init=
    for ((i = 0; i < 100; i++)); do
        for pid in $(descendants "$launcher"); do
            [[ $(awk '$1 == "NSpid:" {print $NF}' "/proc/$pid/status" 2>/dev/null) == 1 ]] && init=$pid && break
        done
        [ -n "$init" ] && break
        sleep 0.05
    done
    [ -n "$init" ] || { tail -n 20 "$STATE_DIR/log/node.$node.log" >&2; die "node $node did not start"; }
    record_pid "node.$node" "$init"
    log "node $node: init pid $init, address $(node_addr "$node")"
}

# node_local_mode PATH -> the mode of a node-local directory: 0755 for the plugin's runtime_path (as slurmd makes
# it), 1777 for the temporary and per-user directories
node_local_mode() {
    case $1 in "$CLUSTER_RUNTIME_PATH" | "${CLUSTER_SPOOL_DIR:-}") echo 755 ;; *) echo 1777 ;; esac
}

# stop_node NODE [WAIT_SECS]: SIGTERM to the node's init (it stops slurmd, then exits, and every process left in
# the node dies with it), SIGKILL when it does not end in time.
stop_node() {
    local node=$1 init
    init=$(node_init_pid "$node")
    if [ -n "$init" ]; then
        stop_pid "node $node" "$init" "${2:-15}"
    fi
    rm -f "$STATE_DIR/pids/node.$node"
}

# kill_node NODE: the node crashes: SIGKILL to its init kills every process of the node at once. Its node-local
# storage stays, as a disk does, until the cluster is stopped.
kill_node() {
    local init
    init=$(node_init_pid "$1")
    [ -n "$init" ] || return 0
    kill -KILL "$init"
    local i
    for ((i = 0; i < 50; i++)); do
        [ -z "$(node_pids "$1")" ] && break
        sleep 0.1
    done
    rm -f "$STATE_DIR/pids/node.$1"
}

# unmount_node_storage: unmounts the nodes' node-local filesystems (their content is gone).
unmount_node_storage() {
    local dir
    for dir in $(awk -v prefix="$STATE_DIR/nodes/" 'index($2, prefix) == 1 {print $2}' /proc/self/mounts | sort -r); do
        umount "$dir" 2>/dev/null || umount -l "$dir"
    done
}

# remove_network: removes the bridge, veth pairs and network namespaces of this cluster.
remove_network() {
    local ns link
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^jpx${CLUSTER_NET_ID}-node[0-9]+\$"); do
        ip netns delete "$ns" 2>/dev/null && log "removed network namespace $ns"
    done
    for link in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' \
            | grep -E "^jpx${CLUSTER_NET_ID}n[0-9]+\$"); do
        ip link delete "$link" 2>/dev/null || true
    done
    if ip link show "$CLUSTER_BRIDGE" >/dev/null 2>&1; then
        ip link delete "$CLUSTER_BRIDGE" && log "removed bridge $CLUSTER_BRIDGE"
    fi
}
