#!/bin/sh
# Builds a minimal Debian 12 image (debootstrap --variant=minbase, about 50 MB as a squashfs file) for the benchmark:
# a real distribution's size and file count, where the busybox test image has a few files. Laid out the way
# `enroot import` leaves an image with no entrypoint (/etc/rc runs the command, /etc/rc.local may replace it,
# /etc/environment holds the image's variables) and with Charliecloud's view of it in /ch, as build-test-image.sh.
# Needs root, debootstrap, squashfs-tools and Debian's mirror (a few minutes).
# Usage: build-debian-image.sh OUTPUT.sqsh
# Env: DEBIAN_MIRROR   default http://deb.debian.org/debian
#      DEBIAN_SUITE    default bookworm
set -eu
out=${1:?usage: build-debian-image.sh OUTPUT.sqsh}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=${DEBIAN_SUITE:-bookworm}
[ "$(id -u)" -eq 0 ] || { echo "build-debian-image: must run as root (debootstrap)" >&2; exit 1; }
command -v debootstrap >/dev/null || [ -x /usr/sbin/debootstrap ] \
    || { echo "build-debian-image: debootstrap missing (apt-get install debootstrap)" >&2; exit 1; }
command -v mksquashfs >/dev/null || { echo "build-debian-image: mksquashfs missing (squashfs-tools)" >&2; exit 1; }
PATH=$PATH:/usr/sbin:/sbin

root=$(mktemp -d /var/tmp/debian-image.XXXXXX)
log=$root.log
cleanup() {
    # debootstrap mounts /proc and /sys in the target while it works; never delete through a mount left behind
    grep -F " $root/" /proc/self/mounts | awk '{print $2}' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    rm -rf "$root" "$log"
}
trap cleanup EXIT
echo "build-debian-image: debootstrap --variant=minbase $suite from $mirror"
if ! debootstrap --variant=minbase "$suite" "$root" "$mirror" > "$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "build-debian-image: debootstrap failed" >&2
    exit 1
fi
grep -F " $root/" /proc/self/mounts | awk '{print $2}' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true

# What an image pulled from a registry does not have either: device nodes (an unprivileged unpack cannot create
# them; the runtimes mount /dev), apt's downloaded packages and lists, the host's resolver and name.
rm -rf "$root"/dev/* "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/*
: > "$root/etc/resolv.conf"
: > "$root/etc/hostname"
: > "$root/etc/fstab"
mkdir -p "$root/proc" "$root/sys" "$root/dev" "$root/run" "$root/tmp" "$root/ch"
chmod 1777 "$root/tmp"
cat > "$root/etc/environment" <<'ENV'
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ENV
cp "$root/etc/environment" "$root/ch/environment"
cat > "$root/ch/metadata.json" <<'META'
{ "arch": "amd64", "cwd": "/", "env": {}, "labels": {}, "shell": ["/bin/sh", "-c"], "volumes": [] }
META
cat > "$root/etc/rc" <<'RC'
# enroot-provenance: jpyxis benchmark image (Debian minbase)
mkdir -p "/" 2> /dev/null
cd "/" && unset OLDPWD || exit 1

if [ -s /etc/rc.local ]; then
    . /etc/rc.local
fi

if [ $# -gt 0 ]; then
    exec  "$@"
else
    exec  '/bin/bash'
fi
RC
cat > "$root/etc/rc.local" <<'RL'
# This file is sourced by /etc/rc when the container starts.
RL

rm -f "$out"
mksquashfs "$root" "$out" -all-root -noappend -quiet -comp gzip >/dev/null
chmod 644 "$out"
echo "build-debian-image: wrote $out ($(du -m "$out" | cut -f1) MB, $(find "$root" | wc -l) files)"
