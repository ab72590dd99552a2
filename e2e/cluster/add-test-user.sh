#!/usr/bin/env bash
# Creates the unprivileged user the end-to-end tests run jobs as. Idempotent.
# Usage: add-test-user.sh [NAME [UID]]     (default: jpxtest 5000; TEST_USER / TEST_UID env work too)
# When UID is taken by another user, the next free uid from there is used (the user's uid is printed).
set -euo pipefail
NAME=${1:-${TEST_USER:-jpxtest}}
WANT_UID=${2:-${TEST_UID:-5000}}
[ "$(id -u)" -eq 0 ] || { echo "add-test-user: must run as root" >&2; exit 1; }

if id "$NAME" >/dev/null 2>&1; then
    home=$(getent passwd "$NAME" | cut -d: -f6)
    if [ ! -d "$home" ]; then
        install -d -o "$NAME" -g "$(id -g "$NAME")" -m 755 "$home"
    fi
    echo "add-test-user: $NAME exists (uid $(id -u "$NAME"), home $home)"
    exit 0
fi
uid=$WANT_UID
while getent passwd "$uid" >/dev/null || getent group "$uid" >/dev/null; do uid=$((uid + 1)); done
groupadd -g "$uid" "$NAME"
useradd -u "$uid" -g "$uid" -m -d "/home/$NAME" -s /bin/bash -c "jpyxis e2e test user" "$NAME"
chmod 755 "/home/$NAME"
echo "add-test-user: created $NAME (uid $uid, home /home/$NAME)"
