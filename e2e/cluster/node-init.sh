#!/usr/bin/env bash
# The first process of one node of the harness's cluster: PID 1 of the node's own PID namespace, run by start_node
# (lib.sh) inside the node's network namespace and fresh UTS, PID and mount namespaces (`nsenter --net=NS unshare
# --uts --pid --fork --mount --propagation private --mount-proc`). It names the node, gives it its node-local
# storage, starts its slurmd and then reaps orphans (slurmstepd, tasks) until SIGTERM, when it stops slurmd and
# exits; every process left in the node dies with it, as with a powered-off machine.
#
# Usage: node-init.sh NODE STATE_DIR SLURM_CONF
# Reads STATE_DIR/cluster.env: CLUSTER_NODE_LOCAL (the node-local paths: the node's filesystem the host mounted at
# STATE_DIR/nodes/NODE/fs/PATH is moved onto each) and CLUSTER_SHARED (host paths that stay shared even below
# a node-local path, e.g. the state directory itself when it lives in /tmp).
set -euo pipefail
NODE=${1:?usage: node-init.sh NODE STATE_DIR SLURM_CONF}
STATE_DIR=${2:?}
CONF=${3:?}
# shellcheck source=/dev/null
. "$STATE_DIR/cluster.env"
log() { echo "node-init[$NODE]: $*"; }

[ "$$" -eq 1 ] || { log "must be PID 1 of a new PID namespace (it is $$)"; exit 1; }
hostname "$NODE"
FS=$STATE_DIR/nodes/$NODE/fs

# The node's mount namespace started as a copy of the host's: the other nodes' filesystems are no business of this
# node.
for mounted in $(awk -v nodes="$STATE_DIR/nodes/" -v own="$FS/" 'index($2, nodes) == 1 && index($2, own) != 1 \
        {print $2}' /proc/self/mounts | sort -r); do
    umount -l "$mounted"
done
# A shared path below a node-local one is bound into the node's filesystem first, so that it moves along with it.
for shared in $CLUSTER_SHARED; do
    for path in $CLUSTER_NODE_LOCAL; do
        case $shared/ in
            "$path"/*)
                mkdir -p "$FS$shared"
                mount --bind "$shared" "$FS$shared" ;;
        esac
    done
done
# Each of the node's filesystems moves (not a second mount of it: a program that maps a mount back to a path, as
# jpyxis's Charliecloud adapter does, would find two) onto its path. They live below STATE_DIR: a path holding
# STATE_DIR (/tmp, usually) is covered last, once the others are in place.
for last in 0 1; do
    for path in $CLUSTER_NODE_LOCAL; do
        case $STATE_DIR/ in "$path"/*) holds=1 ;; *) holds=0 ;; esac
        if [ "$holds" = "$last" ]; then mount --move "$FS$path" "$path"; fi
    done
done
mount -t tmpfs -o nosuid,nodev,mode=1777 "shm-$NODE" /dev/shm
mount --bind "$STATE_DIR/hosts" /etc/hosts
log "node-local: $CLUSTER_NODE_LOCAL, /dev/shm; /etc/hosts names the nodes"

pidfile=$STATE_DIR/nodes/$NODE/slurmd.pid
rm -f "$pidfile"
# slurmd daemonizes: its daemon child is reparented to this process
# with the search path systemd gives slurmd.service, not the harness's (root's shell may name directories below
# /root, where the job user's engine and runtime commands may not look)
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin SLURM_CONF=$CONF /usr/sbin/slurmd -f "$CONF" -N "$NODE"
log "slurmd started"

stopping=0
trap 'stopping=1; [ -z "${sleeper:-}" ] || kill "$sleeper" 2>/dev/null || true' TERM INT
while [ "$stopping" = 0 ]; do
    # bash reaps every child that ends while it waits, adopted orphans included
    sleep 3600 &
    sleeper=$!
    wait "$sleeper" 2>/dev/null || true
done

pid=$(cat "$pidfile" 2>/dev/null || true)
if [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; then
    for ((i = 0; i < 150; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
fi
log "stopped"
