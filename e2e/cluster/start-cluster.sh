#!/usr/bin/env bash
# Starts a Slurm cluster of NODES nodes on this one machine for the end-to-end tests and the main job: one munged
# (reused when one already answers) and one slurmctld on the host, and per node a slurmd in its own network, UTS,
# PID and mount namespaces (own hostname nodeN, own address on a private bridge, own spool directory, node-local
# /tmp, /var/tmp, /dev/shm, plugin runtime_path and enroot storage; the rest of the filesystem shared, so an image
# file is visible to every node as on a cluster with a shared filesystem). Started directly (no systemd),
# configured from files under STATE_DIR only: /etc/slurm is never written, every client uses
# SLURM_CONF=STATE_DIR/slurm.conf (see STATE_DIR/env.sh). The layout is drawn in docs/e2e.md.
#
# Usage: start-cluster.sh [STATE_DIR]          (default: $JPYXIS_CLUSTER_DIR or /tmp/jpyxis-cluster)
# Env (all optional):
#   NODES               number of nodes, node1..nodeN (default 3)
#   PLUGSTACK_LINE      content of STATE_DIR/plugstack.conf (e.g. "required /path/spank_pyxis.so k=v");
#                       empty/unset: an empty plugstack.conf
#   SLURMCTLD_PORT      default 6917 } not Slurm's 6817/6818, so that a cluster of the machine (or a developer's)
#   SLURMD_PORT         default 6918 } on the standard ports keeps running beside this one
#   NET_ID              the cluster's network: bridge jpxbrNET_ID, subnet 10.237.NET_ID.0/24 (host .1, nodeN .10+N),
#                       namespaces jpxNET_ID-nodeN (default: SLURMCTLD_PORT mod 250, so clusters on other ports get
#                       other networks)
#   FIRST_JOB_ID        default 900000 (job ids, hence unnamed container names, do not collide with another cluster)
#   MUNGE_SOCKET        default /run/munge/munge.socket.2 (the system munged, reused when it answers, started
#                       otherwise). Any other path: a private munged for this cluster on that socket.
#   EXTRA_SLURM_CONF    lines appended to slurm.conf (e.g. "Epilog=/path/epilog.sh")
#   NODE_LOCAL_PATHS    more node-local paths (space separated) besides the ones above
#   JOB_CONTAINER       empty (default) or "tmpfs": Slurm's job_container/tmpfs, a mount namespace per job with a
#                       private /tmp and /dev/shm (PrologFlags=Contain, STATE_DIR/job_container.conf, BasePath in the
#                       node-local spool); each node then runs on one CPU (README.md, "job_container/tmpfs")
#   CGROUP              empty (default): no cgroup plugin (proctrack/linuxproc, task/none); "v1": Slurm's cgroup v1
#                       plugins (proctrack/cgroup, task/cgroup, STATE_DIR/cgroup.conf with CgroupPlugin=cgroup/v1 and
#                       ConstrainRAMSpace=yes): each step gets a freezer and a memory directory in the host's
#                       hierarchies, which the nodes share (README.md, "Cgroups")
#   SLURMD_TIMEOUT      slurm.conf SlurmdTimeout: seconds before slurmctld declares a silent node DOWN (default 60)
#   SLURMD_DEBUG        SlurmdDebug level (default info), SLURMCTLD_DEBUG likewise
#   START_TIMEOUT       seconds to wait for the nodes to become idle (default 60)
#   FORCE_RESTART=1     restart the daemons even when they run with an identical configuration
# Idempotent: when this cluster already runs with the same configuration it is reused, when the configuration
# differs (e.g. another PLUGSTACK_LINE) its daemons are restarted (the network is kept).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_TAG=start-cluster
# shellcheck source=lib.sh
. "$HERE/lib.sh"

STATE_DIR=${1:-${JPYXIS_CLUSTER_DIR:-$CLUSTER_STATE_DIR_DEFAULT}}
case $STATE_DIR in /*) ;; *) STATE_DIR=$(pwd)/$STATE_DIR ;; esac
STATE_DIR=${STATE_DIR%/}
SLURMCTLD_PORT=${SLURMCTLD_PORT:-6917}
SLURMD_PORT=${SLURMD_PORT:-6918}
FIRST_JOB_ID=${FIRST_JOB_ID:-900000}
SYSTEM_MUNGE_SOCKET=/run/munge/munge.socket.2
MUNGE_SOCKET=${MUNGE_SOCKET:-$SYSTEM_MUNGE_SOCKET}
START_TIMEOUT=${START_TIMEOUT:-60}
NODES=${NODES:-3}
NET_ID=${NET_ID:-$((SLURMCTLD_PORT % 250))}

[ "$(id -u)" -eq 0 ] || die "must run as root"
for b in slurmctld slurmd sinfo scontrol munged munge unmunge setpriv ip unshare nsenter mountpoint; do
    command -v "$b" >/dev/null || [ -x "/usr/sbin/$b" ] || die "$b not found: run $HERE/install-packages.sh first"
done
export PATH=$PATH:/usr/sbin:/sbin
JOB_CONTAINER=${JOB_CONTAINER:-}
case $JOB_CONTAINER in "" | tmpfs) ;; *) die "JOB_CONTAINER must be empty or tmpfs, not '$JOB_CONTAINER'" ;; esac
CGROUP=${CGROUP:-}
case $CGROUP in "" | v1) ;; *) die "CGROUP must be empty or v1, not '$CGROUP'" ;; esac
[ -z "$CGROUP" ] || [ "$(stat -f -c %T /sys/fs/cgroup/memory 2>/dev/null)" = cgroupfs ] \
    || die "CGROUP=v1 needs the cgroup v1 memory hierarchy on /sys/fs/cgroup/memory"
[[ $NODES =~ ^[1-9][0-9]?$ ]] || die "NODES must be a number from 1 to 99, not '$NODES'"
[[ $NET_ID =~ ^[0-9]+$ ]] && [ "$NET_ID" -le 254 ] || die "NET_ID must be a number from 0 to 254, not '$NET_ID'"

HOST=$(hostname -s)
CPUS=$(nproc --all)
MEM_TOTAL_MB=$(free -m | awk '/^Mem:/ {print $2}')
REAL_MEMORY=$((MEM_TOTAL_MB * 9 / 10))    # below the total: slurmd drains a node that has less than configured
NODE_NAMES=$(seq -f 'node%g' 1 "$NODES" | tr '\n' ' ')
NODE_NAMES=${NODE_NAMES% }
NODE_LIST=node[1-$NODES]
[ "$NODES" -gt 1 ] || NODE_LIST=node1

# The state dir is read by the job user's srun (slurm.conf, plugstack.conf): world-readable, root-owned.
mkdir -p "$STATE_DIR"/{state,log,pids,nodes}
chmod 755 "$STATE_DIR" "$STATE_DIR"/{state,log,pids,nodes}

# ---- what each node keeps for itself: temporary directories, the plugin's runtime_path (plugstack.conf), the
# runtime's per-user storage (enroot.conf's paths below /run; Charliecloud's live in /var/tmp), and anything named
# in NODE_LOCAL_PATHS. A path below another node-local path needs no mount of its own.
RUNTIME_PATH=$(printf '%s\n' ${PLUGSTACK_LINE:-} | sed -n 's/^runtime_path=//p' | tail -1)
RUNTIME_PATH=${RUNTIME_PATH:-/run/pyxis}
# slurmd's spool: a fixed path that each node has for itself, since enroot's PMI hook reads SlurmdSpoolDir from
# `scontrol show config` without expanding %n (upstream NVIDIA/enroot conf/hooks/extra/50-slurm-pmi.sh:34)
SPOOL_DIR=/var/spool/jpyxis-slurmd
candidates="/tmp /var/tmp $RUNTIME_PATH $SPOOL_DIR"
# enroot creates its per-user directories with umask 077: their parents must exist, 1777, on every node (P3)
ENROOT_PARENTS=
for value in $(cat /usr/local/etc/enroot/enroot.conf /usr/local/etc/enroot/enroot.conf.d/*.conf \
        /etc/enroot/enroot.conf /etc/enroot/enroot.conf.d/*.conf 2>/dev/null \
        | awk '$1 ~ /^ENROOT_(RUNTIME|DATA|CACHE)_PATH$/ {print $2}'); do
    case $value in /*) ENROOT_PARENTS="$ENROOT_PARENTS $(dirname "$value")" ;; esac
done
ENROOT_PARENTS=${ENROOT_PARENTS# }
candidates="$candidates $ENROOT_PARENTS"
candidates="$candidates ${NODE_LOCAL_PATHS:-}"
NODE_LOCAL=
for path in $candidates; do
    case $path in /*) ;; *) die "node-local path '$path' is not absolute" ;; esac
    path=${path%/}
    covered=0
    for other in $candidates; do
        other=${other%/}
        [ "$other" != "$path" ] && case $path/ in "$other"/*) covered=1 ;; esac
    done
    [ $covered = 1 ] || case " $NODE_LOCAL " in *" $path "*) ;; *) NODE_LOCAL="$NODE_LOCAL $path" ;; esac
done
NODE_LOCAL=${NODE_LOCAL# }

SUBNET=10.237.$NET_ID
HOST_ADDR=$SUBNET.1
BRIDGE=jpxbr$NET_ID
# shared even below a node-local path: the state directory (slurm.conf, plugstack.conf, logs) and the munge socket
SHARED="$STATE_DIR $(dirname "$MUNGE_SOCKET")"

CONF=$STATE_DIR/slurm.conf
PLUGSTACK=$STATE_DIR/plugstack.conf
AUTHINFO=
[ "$MUNGE_SOCKET" = "$SYSTEM_MUNGE_SOCKET" ] || AUTHINFO="AuthInfo=socket=$MUNGE_SOCKET"

cat > "$CONF.new" <<CONF
# Written by jpyxis e2e/cluster/start-cluster.sh; rewritten on each start. Use with SLURM_CONF=$CONF
ClusterName=jpyxis-e2e
SlurmctldHost=$HOST($HOST_ADDR)
SlurmctldPort=$SLURMCTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
${AUTHINFO}
StateSaveLocation=$STATE_DIR/state
SlurmdSpoolDir=$SPOOL_DIR
SlurmctldPidFile=$STATE_DIR/slurmctld.pid
SlurmdPidFile=$STATE_DIR/nodes/%n/slurmd.pid
SlurmctldLogFile=$STATE_DIR/log/slurmctld.log
SlurmdLogFile=$STATE_DIR/log/slurmd.%n.log
SlurmctldDebug=${SLURMCTLD_DEBUG:-info}
SlurmdDebug=${SLURMD_DEBUG:-info}
PlugStackConfig=$PLUGSTACK
$(if [ -z "$CGROUP" ]; then
    echo '# no cgroup plugin (these machines: cgroup v1 hybrid, no systemd): track processes by parentage only'
    printf 'ProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\n'
else
    echo '# cgroup v1 (cgroup.conf): a freezer directory tracks each step, task/cgroup limits its memory'
    printf 'ProctrackType=proctrack/cgroup\nTaskPlugin=task/cgroup\n'
fi)
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmdParameters=config_overrides
ReturnToService=2
FirstJobId=$FIRST_JOB_ID
MailProg=/bin/true
KillWait=2
UnkillableStepTimeout=30
MessageTimeout=10
InactiveLimit=0
MinJobAge=60
SlurmdTimeout=${SLURMD_TIMEOUT:-60}
$(for node in $NODE_NAMES; do
    echo "NodeName=$node NodeAddr=$SUBNET.$((10 + ${node#node})) CPUs=$CPUS RealMemory=$REAL_MEMORY State=UNKNOWN"
done)
PartitionName=debug Nodes=$NODE_LIST Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:8
$([ -z "$JOB_CONTAINER" ] || printf 'JobContainerType=job_container/%s\nPrologFlags=Contain\n' "$JOB_CONTAINER")
${EXTRA_SLURM_CONF:-}
CONF
if [ -n "$JOB_CONTAINER" ]; then
    # read by slurmd and slurmstepd from slurm.conf's directory; each job's directory lives in the node's own spool
    printf '# Written by jpyxis e2e/cluster/start-cluster.sh\nAutoBasePath=true\nBasePath=%s/job_containers\n' \
        "$SPOOL_DIR" > "$STATE_DIR/job_container.conf"
    chmod 644 "$STATE_DIR/job_container.conf"
fi
if [ -n "$CGROUP" ]; then
    # read from slurm.conf's directory. Slurm's directories are /slurm_<node>/uid_<uid>/job_<job>/step_<step> in each
    # hierarchy (CgroupPrepend's default with several slurmd on one host), so the nodes sharing the host's hierarchies
    # do not meet
    printf '# Written by jpyxis e2e/cluster/start-cluster.sh\nCgroupPlugin=cgroup/v1\nConstrainRAMSpace=yes\n' \
        > "$STATE_DIR/cgroup.conf"
    chmod 644 "$STATE_DIR/cgroup.conf"
else
    rm -f "$STATE_DIR/cgroup.conf"
fi
printf '%s\n' "${PLUGSTACK_LINE:-}" > "$PLUGSTACK.new"
cat > "$STATE_DIR/cluster.env.new" <<ENV
# Written by start-cluster.sh: the cluster's nodes, network and node-local paths (sourced by its scripts and tests)
CLUSTER_NODES="$NODE_NAMES"
CLUSTER_NET_ID=$NET_ID
CLUSTER_SUBNET=$SUBNET
CLUSTER_HOST_ADDR=$HOST_ADDR
CLUSTER_BRIDGE=$BRIDGE
CLUSTER_RUNTIME_PATH=$RUNTIME_PATH
CLUSTER_SPOOL_DIR=$SPOOL_DIR
CLUSTER_NODE_LOCAL="$NODE_LOCAL"
CLUSTER_NODE_DIRS="$ENROOT_PARENTS"
CLUSTER_SHARED="$SHARED"
CLUSTER_JOB_CONTAINER=$JOB_CONTAINER
CLUSTER_CGROUP=$CGROUP
ENV
chmod 644 "$CONF.new" "$PLUGSTACK.new" "$STATE_DIR/cluster.env.new"

write_env() {
    cat > "$STATE_DIR/env.sh" <<ENV
# source this file to talk to the jpyxis e2e cluster ($NODES nodes: $NODE_NAMES; the host is $HOST_ADDR)
export SLURM_CONF=$CONF
ENV
    chmod 644 "$STATE_DIR/env.sh"
}

# node_states -> "NODE STATE" lines
node_states() { SLURM_CONF=$CONF timeout 10 sinfo -h -N -o '%N %T' 2>/dev/null | sort -u; }

show_logs() {
    local f
    for f in "$STATE_DIR"/log/slurmctld.log "$STATE_DIR"/log/slurmd.*.log "$STATE_DIR"/log/node.*.log \
            "$STATE_DIR"/log/munged.log; do
        [ -s "$f" ] || continue
        echo "----- tail of $f" >&2
        tail -n 25 "$f" >&2
    done
}

# nodes_down -> the nodes whose init or slurmd is not running
nodes_down() {
    local node
    for node in $NODE_NAMES; do
        [ -n "$(node_init_pid "$node")" ] && [ -n "$(node_slurmd_pid "$node")" ] || echo "$node"
    done
}

# wait_idle [accept]: waits until every node is idle (or in one of the states of the regex `accept`)
wait_idle() {
    local accept=${1:-idle} deadline=$((SECONDS + START_TIMEOUT)) states node st pending resumed=" " \
        next_down=$((SECONDS + 2))
    while :; do
        states=$(node_states)
        pending=
        for node in $NODE_NAMES; do
            st=$(awk -v n="$node" '$1 == n {print $2}' <<<"$states")
            [[ $st =~ ^($accept)$ ]] && continue
            pending="$pending $node:${st:-unknown}"
            if [ "${STALE_CLEANUP:-0}" = 1 ] && [ $SECONDS -ge "$next_down" ] \
                    && [[ $st =~ ^(mixed|allocated|completing) ]]; then
                log "node $node is $st with cancelled jobs of an earlier run: DOWN + RESUME"
                SLURM_CONF=$CONF scontrol update NodeName="$node" State=DOWN \
                    Reason="jpyxis e2e: stale jobs of an earlier run" 2>/dev/null || true
                SLURM_CONF=$CONF scontrol update NodeName="$node" State=RESUME 2>/dev/null || true
            fi
            case $st in
                *drain*|down*|fail*)
                    if [[ $resumed != *" $node "* ]] && [ -n "$(node_slurmd_pid "$node")" ]; then
                        log "node $node is $st (left over from an earlier run?): resuming it"
                        SLURM_CONF=$CONF scontrol update NodeName="$node" State=RESUME || true
                        resumed="$resumed$node "
                    fi ;;
            esac
        done
        [ $SECONDS -lt "$next_down" ] || next_down=$((SECONDS + 3))
        if [ -z "$pending" ]; then
            log "nodes $NODE_LIST are $(awk '{print $2}' <<<"$states" | sort -u | tr '\n' ' ')"
            return 0
        fi
        if [ -z "$(recorded_pid slurmctld)" ] || [ -n "$(nodes_down)" ]; then
            show_logs
            die "a daemon died during start-up (slurmctld: ${ctld_pid:-?}, nodes down: $(nodes_down | tr '\n' ' ')); logs above"
        fi
        if [ $SECONDS -ge $deadline ]; then
            SLURM_CONF=$CONF scontrol show node >&2 || true
            show_logs
            die "nodes not idle after ${START_TIMEOUT}s:$pending; logs above"
        fi
        sleep 0.5
    done
}

# ---- already running?
ctld_pid=$(recorded_pid slurmctld)
CLUSTER_NET_ID=$NET_ID   # node helpers of lib.sh, before cluster.env is in place
if [ -n "$ctld_pid" ] && [ "${FORCE_RESTART:-0}" != 1 ] && [ -z "$(nodes_down)" ] \
    && cmp -s "$CONF" "$CONF.new" && cmp -s "$PLUGSTACK" "$PLUGSTACK.new" \
    && cmp -s "$STATE_DIR/cluster.env" "$STATE_DIR/cluster.env.new"; then
    rm -f "$CONF.new" "$PLUGSTACK.new" "$STATE_DIR/cluster.env.new"
    load_cluster_env
    log "cluster in $STATE_DIR already runs (slurmctld $ctld_pid, nodes $NODE_LIST) with this configuration: reusing it"
    write_env
    wait_idle 'idle|mixed|allocated'     # tests may be running on it
    exit 0
fi
if [ -n "$ctld_pid" ] || [ -n "$(recorded_pid slurmd)" ] || [ -n "$(cluster_stepd_pids)" ] \
    || compgen -G "$STATE_DIR/pids/node.*" >/dev/null; then
    log "configuration changed, restart forced or cluster half running: stopping it first"
    KEEP_MUNGE=1 KEEP_NETWORK=1 "$HERE/stop-cluster.sh" "$STATE_DIR"
fi
# a network of an earlier configuration (another NET_ID) goes with it
if [ -r "$STATE_DIR/cluster.env" ] && ! cmp -s "$STATE_DIR/cluster.env" "$STATE_DIR/cluster.env.new"; then
    (load_cluster_env && [ "$CLUSTER_NET_ID" != "$NET_ID" ] && remove_network) || true
fi
mv -f "$CONF.new" "$CONF"
mv -f "$PLUGSTACK.new" "$PLUGSTACK"
mv -f "$STATE_DIR/cluster.env.new" "$STATE_DIR/cluster.env"
load_cluster_env
write_env

# ---- the controller's port must be free (another Slurm on the same port would answer in our place); each slurmd
# listens in its own network namespace
if ss -Hltn "sport = :$SLURMCTLD_PORT" 2>/dev/null | grep -q .; then
    die "TCP port $SLURMCTLD_PORT is already in use (by: $(ss -Hltnp "sport = :$SLURMCTLD_PORT" | sed -n 's/.*users:((\(.*\)))/\1/p' | head -1)); set SLURMCTLD_PORT"
fi

# ---- the network: a bridge with the host's address, and per node a network namespace joined to it by a veth pair
# (eth0 in the node). STATE_DIR/hosts, naming every node, is each node's /etc/hosts (node-init.sh binds it).
owner="jpyxis cluster $STATE_DIR"
if ip link show "$BRIDGE" >/dev/null 2>&1; then
    [ "$(ip -o link show "$BRIDGE" | sed -n 's/.*alias //p')" = "$owner" ] \
        || die "bridge $BRIDGE exists but is not this cluster's ($owner): set NET_ID"
else
    ip link add "$BRIDGE" type bridge
    ip link set "$BRIDGE" alias "$owner"
    ip addr add "$HOST_ADDR/24" dev "$BRIDGE"
    ip link set "$BRIDGE" up
    log "bridge $BRIDGE, host address $HOST_ADDR"
fi
hosts="127.0.0.1 localhost
$HOST_ADDR $HOST"
for node in $NODE_NAMES; do hosts="$hosts
$(node_addr "$node") $node"; done
for node in $NODE_NAMES; do
    ns=$(node_netns "$node")
    veth=$(node_veth "$node")
    ip netns list | awk '{print $1}' | grep -qx "$ns" || ip netns add "$ns"
    if ! ip link show "$veth" >/dev/null 2>&1; then
        ip link add "$veth" type veth peer name eth0 netns "$ns"
        ip link set "$veth" master "$BRIDGE" up
        ip -n "$ns" addr add "$(node_addr "$node")/24" dev eth0
        ip -n "$ns" link set eth0 up
        ip -n "$ns" link set lo up
    fi
done
printf '%s\n' "$hosts" > "$STATE_DIR/hosts"
chmod 644 "$STATE_DIR/hosts"

# ---- munge (P7): munged runs as user munge, its socket dir owned by munge, key 0400 munge
munge_ok() { munge -n -S "$MUNGE_SOCKET" 2>/dev/null | unmunge -S "$MUNGE_SOCKET" >/dev/null 2>&1; }
ensure_munge_key() {
    install -d -o munge -g munge -m 700 /etc/munge
    if [ ! -s /etc/munge/munge.key ]; then
        log "creating /etc/munge/munge.key"
        mungekey --create --keyfile=/etc/munge/munge.key 2>/dev/null \
            || dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    fi
    chown munge:munge /etc/munge/munge.key
    chmod 400 /etc/munge/munge.key
}
if munge_ok; then
    if [ -n "$(recorded_pid munged)" ]; then
        log "munged (started by this harness, pid $(recorded_pid munged)) answers on $MUNGE_SOCKET"
    else
        log "munged answers on $MUNGE_SOCKET: reusing it (not started here, will not be stopped here)"
    fi
else
    id munge >/dev/null 2>&1 || die "user munge missing (is the munge package installed?)"
    ensure_munge_key
    install -d -o munge -g munge -m 700 /var/lib/munge /var/log/munge
    if [ "$MUNGE_SOCKET" = "$SYSTEM_MUNGE_SOCKET" ]; then
        install -d -o munge -g munge -m 755 /run/munge
        munge_pidfile=/run/munge/munged.pid
        munge_args=()
    else
        mdir=$STATE_DIR/munge
        install -d -o munge -g munge -m 755 "$mdir" "$(dirname "$MUNGE_SOCKET")"
        munge_pidfile=$mdir/munged.pid
        munge_args=(--socket="$MUNGE_SOCKET" --pid-file="$munge_pidfile" --log-file="$mdir/munged.log"
            --seed-file="$mdir/munged.seed")
    fi
    rm -f "$munge_pidfile"
    log "starting munged on $MUNGE_SOCKET"
    detached setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged "${munge_args[@]}" \
        > "$STATE_DIR/log/munged.log" 2>&1 < /dev/null \
        || { show_logs; die "munged failed to start"; }
    for ((i = 0; i < 100; i++)); do munge_ok && break; sleep 0.1; done
    munge_ok || { show_logs; die "munged started but $MUNGE_SOCKET does not answer"; }
    [ -s "$munge_pidfile" ] && record_pid munged "$(cat "$munge_pidfile")"
fi

# ---- slurmctld daemonizes (setsid, fds closed, so no CI pipe is held open) and writes its pid file into
# STATE_DIR; we record PID + start time from it. Each node's init starts its slurmd (node-init.sh).
rm -f "$STATE_DIR/slurmctld.pid"
log "starting slurmctld"
detached env SLURM_CONF="$CONF" slurmctld -f "$CONF" > "$STATE_DIR/log/slurmctld.stdout" 2>&1 < /dev/null \
    || { show_logs; cat "$STATE_DIR/log/slurmctld.stdout" >&2; die "slurmctld failed to start"; }
pid=
for ((i = 0; i < 100; i++)); do
    [ -s "$STATE_DIR/slurmctld.pid" ] && pid=$(cat "$STATE_DIR/slurmctld.pid") && [ -n "$(proc_starttime "$pid")" ] \
        && break
    pid=
    sleep 0.1
done
[ -n "$pid" ] || { show_logs; die "slurmctld did not write $STATE_DIR/slurmctld.pid"; }
record_pid slurmctld "$pid"
ctld_pid=$pid
log "slurmctld pid $pid on $HOST_ADDR:$SLURMCTLD_PORT"
for node in $NODE_NAMES; do
    start_node "$node"
done

# Jobs recovered from STATE_DIR/state belong to an earlier life of this cluster (stop-cluster.sh cancels the jobs
# it sees, so these survived a crash): cancel them, the tests start on idle nodes. Cancelled, such a job may stay
# COMPLETING for minutes (the new slurmd never knew it), holding its CPUs; a DOWN + RESUME of the node ends it at
# once, but a DOWN that races with slurmd's registration is undone by ReturnToService=2 without ending the job, so
# wait_idle repeats it every few seconds while the node is not idle (STALE_CLEANUP).
STALE_CLEANUP=0
stale=
for ((i = 0; i < 100; i++)); do     # slurmctld may not answer yet right after writing its pid file
    if stale=$(SLURM_CONF=$CONF timeout 10 squeue -h -o %A 2>/dev/null); then break; fi
    sleep 0.1
done
if [ -n "$stale" ]; then
    log "cancelling jobs left from an earlier run: ${stale//$'\n'/ }"
    # shellcheck disable=SC2086
    SLURM_CONF=$CONF timeout 10 scancel $stale 2>/dev/null || true
    STALE_CLEANUP=1
fi

wait_idle
log "cluster up: export SLURM_CONF=$CONF   (or: . $STATE_DIR/env.sh)"
