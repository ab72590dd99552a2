#!/usr/bin/env bash
# Stops the registries start-registry.sh started, by their recorded pids.
set -euo pipefail
STATE=${1:?usage: stop-registry.sh STATE_DIR}
for name in registry auth-registry; do
    pid=$(cat "$STATE/$name.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q docker-registry "/proc/$pid/cmdline" 2>/dev/null; then
        kill "$pid"
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
        echo "stop-registry: stopped $name (pid $pid)"
    fi
    rm -f "$STATE/$name.pid"
done
