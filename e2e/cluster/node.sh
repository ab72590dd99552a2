#!/usr/bin/env bash
# Works on one node of a running cluster of start-cluster.sh (root): start it, stop it, crash it, run a command in it,
# list its processes, or say where the host sees one of its files.
#
# Usage: node.sh STATE_DIR start NODE        starts the node (its namespaces, init and slurmd) if it is down
#        node.sh STATE_DIR stop NODE         stops slurmd, then every process of the node
#        node.sh STATE_DIR kill NODE         the node crashes: SIGKILL to its PID 1 kills all its processes at once
#        node.sh STATE_DIR exec NODE CMD...  runs CMD inside the node (its mount, UTS, network, PID namespaces)
#        node.sh STATE_DIR ps NODE           the node's processes (host PIDs)
#        node.sh STATE_DIR path NODE PATH    where the host sees the node's PATH
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_TAG=node
# shellcheck source=lib.sh
. "$HERE/lib.sh"

usage() { sed -n "3,9s/^# \{0,1\}//p" "$0" >&2; exit 64; }
[ $# -ge 3 ] || usage
STATE_DIR=${1%/}
command=$2
node=$3
shift 3
[ "$(id -u)" -eq 0 ] || die "must run as root"
load_cluster_env || die "no cluster in $STATE_DIR"
case " $CLUSTER_NODES " in *" $node "*) ;; *) die "no node $node in $STATE_DIR (nodes: $CLUSTER_NODES)" ;; esac

case $command in
    start)
        [ -z "$(node_init_pid "$node")" ] || { log "$node already runs"; exit 0; }
        start_node "$node" ;;
    stop) stop_node "$node" ;;
    kill) kill_node "$node"; log "$node killed" ;;
    exec) [ $# -gt 0 ] || usage; node_exec "$node" "$@" ;;
    ps)
        for pid in $(node_pids "$node"); do
            echo "$pid $(stat -c %U "/proc/$pid" 2>/dev/null) $(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)"
        done ;;
    path) [ $# -eq 1 ] || usage; node_path "$node" "$1" ;;
    *) usage ;;
esac
