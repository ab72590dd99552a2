#!/usr/bin/env bash
# Starts a single-node Slurm cluster on this machine for the end-to-end tests: munged (reused when one already
# answers), slurmctld and slurmd, started directly (no systemd), configured from files under STATE_DIR only.
# /etc/slurm is never written: every client must use SLURM_CONF=STATE_DIR/slurm.conf (see STATE_DIR/env.sh).
#
# Usage: start-cluster.sh [STATE_DIR]          (default: $JPYXIS_CLUSTER_DIR or /tmp/jpyxis-cluster)
# Env (all optional):
#   PLUGSTACK_LINE      content of STATE_DIR/plugstack.conf (e.g. "required /path/spank_pyxis.so k=v");
#                       empty/unset: an empty plugstack.conf
#   SLURMCTLD_PORT      default 6917 } not Slurm's 6817/6818, so that a cluster of the machine (or a developer's)
#   SLURMD_PORT         default 6918 } on the standard ports keeps running beside this one
#   FIRST_JOB_ID        default 900000 (job ids, hence unnamed container names, do not collide with another cluster)
#   MUNGE_SOCKET        default /run/munge/munge.socket.2 (the system munged, reused when it answers, started
#                       otherwise). Any other path: a private munged for this cluster on that socket.
#   EXTRA_SLURM_CONF    lines appended to slurm.conf (e.g. "Epilog=/path/epilog.sh")
#   SLURMD_DEBUG        SlurmdDebug level (default info), SLURMCTLD_DEBUG likewise
#   START_TIMEOUT       seconds to wait for the node to become idle (default 60)
#   FORCE_RESTART=1     restart the daemons even when they run with an identical configuration
# Idempotent: when this cluster already runs with the same configuration it is reused, when the configuration
# differs (e.g. another PLUGSTACK_LINE) its daemons are restarted.
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

[ "$(id -u)" -eq 0 ] || die "must run as root"
for b in slurmctld slurmd sinfo scontrol munged munge unmunge setpriv; do
    command -v "$b" >/dev/null || [ -x "/usr/sbin/$b" ] || die "$b not found: run $HERE/install-packages.sh first"
done
export PATH=$PATH:/usr/sbin:/sbin

NODE=$(hostname -s)
CPUS=$(nproc --all)
MEM_TOTAL_MB=$(free -m | awk '/^Mem:/ {print $2}')
REAL_MEMORY=$((MEM_TOTAL_MB * 9 / 10))    # below the total: slurmd drains a node that has less than configured

# The state dir is read by the job user's srun (slurm.conf, plugstack.conf): world-readable, root-owned.
mkdir -p "$STATE_DIR"/{state,spool,log,pids}
chmod 755 "$STATE_DIR" "$STATE_DIR"/{state,spool,log,pids}

CONF=$STATE_DIR/slurm.conf
PLUGSTACK=$STATE_DIR/plugstack.conf
AUTHINFO=
[ "$MUNGE_SOCKET" = "$SYSTEM_MUNGE_SOCKET" ] || AUTHINFO="AuthInfo=socket=$MUNGE_SOCKET"

cat > "$CONF.new" <<CONF
# Written by jpyxis e2e/cluster/start-cluster.sh; rewritten on each start. Use with SLURM_CONF=$CONF
ClusterName=jpyxis-e2e
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$SLURMCTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
${AUTHINFO}
StateSaveLocation=$STATE_DIR/state
SlurmdSpoolDir=$STATE_DIR/spool
SlurmctldPidFile=$STATE_DIR/slurmctld.pid
SlurmdPidFile=$STATE_DIR/slurmd.pid
SlurmctldLogFile=$STATE_DIR/log/slurmctld.log
SlurmdLogFile=$STATE_DIR/log/slurmd.log
SlurmctldDebug=${SLURMCTLD_DEBUG:-info}
SlurmdDebug=${SLURMD_DEBUG:-info}
PlugStackConfig=$PLUGSTACK
# no cgroup on these machines (cgroup v1 hybrid, no systemd): track processes by parentage only
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
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
SlurmdTimeout=60
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$REAL_MEMORY State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:8
${EXTRA_SLURM_CONF:-}
CONF
printf '%s\n' "${PLUGSTACK_LINE:-}" > "$PLUGSTACK.new"
chmod 644 "$CONF.new" "$PLUGSTACK.new"

write_env() {
    cat > "$STATE_DIR/env.sh" <<ENV
# source this file to talk to the jpyxis e2e cluster
export SLURM_CONF=$CONF
ENV
    chmod 644 "$STATE_DIR/env.sh"
}

node_state() { SLURM_CONF=$CONF sinfo -h -n "$NODE" -o %T 2>/dev/null | head -1; }

show_logs() {
    local f
    for f in "$STATE_DIR"/log/slurmctld.log "$STATE_DIR"/log/slurmd.log "$STATE_DIR"/log/munged.log; do
        [ -s "$f" ] || continue
        echo "----- tail of $f" >&2
        tail -n 25 "$f" >&2
    done
}

# wait_idle [accept]: waits until the node is idle (or in one of the states of the regex `accept`)
wait_idle() {
    local accept=${1:-idle} deadline=$((SECONDS + START_TIMEOUT)) st resumed=0 next_down=$((SECONDS + 2))
    while :; do
        st=$(node_state)
        if [[ $st =~ ^($accept)$ ]]; then
            log "node $NODE is $st"
            return 0
        fi
        if [ "${STALE_CLEANUP:-0}" = 1 ] && [ $SECONDS -ge "${next_down:-0}" ] && [[ $st =~ ^(mixed|allocated|completing) ]]
        then
            log "node $NODE is $st with cancelled jobs of an earlier run: DOWN + RESUME"
            SLURM_CONF=$CONF scontrol update NodeName="$NODE" State=DOWN \
                Reason="jpyxis e2e: stale jobs of an earlier run" 2>/dev/null || true
            SLURM_CONF=$CONF scontrol update NodeName="$NODE" State=RESUME 2>/dev/null || true
            next_down=$((SECONDS + 3))
        fi
        case $st in
            *drain*|down*|fail*)
                if [ $resumed -eq 0 ] && [ -n "$(recorded_pid slurmd)" ]; then
                    log "node $NODE is $st (left over from an earlier run?): resuming it"
                    SLURM_CONF=$CONF scontrol update NodeName="$NODE" State=RESUME || true
                    resumed=1
                fi ;;
        esac
        if [ -z "$(recorded_pid slurmctld)" ] || [ -z "$(recorded_pid slurmd)" ]; then
            show_logs
            die "a daemon died during start-up (node state: '${st:-unknown}'); logs above"
        fi
        if [ $SECONDS -ge $deadline ]; then
            SLURM_CONF=$CONF scontrol show node "$NODE" >&2 || true
            show_logs
            die "node $NODE not idle after ${START_TIMEOUT}s (state: '${st:-no answer}'); logs above"
        fi
        sleep 0.5
    done
}

# ---- already running?
ctld_pid=$(recorded_pid slurmctld)
slurmd_pid=$(recorded_pid slurmd)
if [ -n "$ctld_pid" ] && [ -n "$slurmd_pid" ] && [ "${FORCE_RESTART:-0}" != 1 ] \
    && cmp -s "$CONF" "$CONF.new" && cmp -s "$PLUGSTACK" "$PLUGSTACK.new"; then
    rm -f "$CONF.new" "$PLUGSTACK.new"
    log "cluster in $STATE_DIR already runs (slurmctld $ctld_pid, slurmd $slurmd_pid) with this configuration: reusing it"
    write_env
    wait_idle 'idle|mixed|allocated'     # tests may be running on it
    exit 0
fi
if [ -n "$ctld_pid" ] || [ -n "$slurmd_pid" ] || [ -n "$(cluster_stepd_pids)" ]; then
    log "configuration changed, restart forced or cluster half running: stopping it first"
    KEEP_MUNGE=1 "$HERE/stop-cluster.sh" "$STATE_DIR"
fi
mv -f "$CONF.new" "$CONF"
mv -f "$PLUGSTACK.new" "$PLUGSTACK"
write_env

# ---- ports must be free (another Slurm on the same ports would answer in our place)
for port in "$SLURMCTLD_PORT" "$SLURMD_PORT"; do
    if ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
        die "TCP port $port is already in use (by: $(ss -Hltnp "sport = :$port" | sed -n 's/.*users:((\(.*\)))/\1/p' | head -1)); set SLURMCTLD_PORT/SLURMD_PORT"
    fi
done

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
    setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged "${munge_args[@]}" \
        > "$STATE_DIR/log/munged.log" 2>&1 < /dev/null \
        || { show_logs; die "munged failed to start"; }
    for ((i = 0; i < 100; i++)); do munge_ok && break; sleep 0.1; done
    munge_ok || { show_logs; die "munged started but $MUNGE_SOCKET does not answer"; }
    [ -s "$munge_pidfile" ] && record_pid munged "$(cat "$munge_pidfile")"
fi

# ---- slurmctld and slurmd: they daemonize (setsid, fds closed, so no CI pipe is held open) and write their
# pid files into STATE_DIR; we record PID + start time from those.
start_daemon() {
    local name=$1 pidfile=$2 pid=; shift 2
    rm -f "$pidfile"
    log "starting $name"
    env SLURM_CONF="$CONF" "$@" \
        > "$STATE_DIR/log/$name.stdout" 2>&1 < /dev/null \
        || { show_logs; cat "$STATE_DIR/log/$name.stdout" >&2; die "$name failed to start"; }
    for ((i = 0; i < 100; i++)); do
        [ -s "$pidfile" ] && pid=$(cat "$pidfile") && [ -n "$(proc_starttime "$pid")" ] && break
        pid=
        sleep 0.1
    done
    [ -n "$pid" ] || { show_logs; die "$name did not write $pidfile"; }
    record_pid "$name" "$pid"
    log "$name pid $pid"
}
start_daemon slurmctld "$STATE_DIR/slurmctld.pid" slurmctld -f "$CONF"
start_daemon slurmd "$STATE_DIR/slurmd.pid" slurmd -f "$CONF" -N "$NODE"

# Jobs recovered from STATE_DIR/state belong to an earlier life of this cluster (stop-cluster.sh cancels the jobs
# it sees, so these survived a crash): cancel them, the tests start on an idle node. Cancelled, such a job may stay
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
