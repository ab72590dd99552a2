#!/bin/sh
# Builds the small test image the end-to-end tests use, as a squashfs file, from Debian's busybox-static:
# a root filesystem laid out the way `enroot import` leaves an image (/etc/rc runs the entrypoint or the command in
# the image's working directory, /etc/rc.local may replace it, /etc/environment holds the image's variables).
# Usage: build-test-image.sh OUTPUT.sqsh
set -eu
out=${1:?usage: build-test-image.sh OUTPUT.sqsh}
busybox=/bin/busybox
[ -x "$busybox" ] || { echo "build-test-image: $busybox missing (apt-get install busybox-static)" >&2; exit 1; }
command -v mksquashfs >/dev/null || { echo "build-test-image: mksquashfs missing (squashfs-tools)" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/etc" "$root/root" "$root/tmp" "$root/workspace" \
    "$root/proc" "$root/sys" "$root/dev" "$root/run" "$root/mnt" "$root/home" "$root/var/tmp"
chmod 1777 "$root/tmp" "$root/var/tmp"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
cat > "$root/etc/os-release" <<'OS'
NAME="jpyxis test image"
ID=jpyxis-test
PRETTY_NAME="jpyxis test image (busybox)"
OS
cat > "$root/etc/passwd" <<'PW'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PW
cat > "$root/etc/group" <<'GR'
root:x:0:
nogroup:x:65534:
GR
: > "$root/etc/fstab"
cat > "$root/etc/environment" <<'ENV'
PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin
TESTIMAGE_VAR=from-image
CUDA_VERSION=11.8.0
ENV
# Charliecloud's view of the same image: its environment and working directory.
mkdir -p "$root/ch"
cp "$root/etc/environment" "$root/ch/environment"
cat > "$root/ch/metadata.json" <<'META'
{ "arch": "amd64", "cwd": "/workspace", "env": {}, "labels": {}, "shell": ["/bin/sh", "-c"], "volumes": [] }
META
# The entrypoint: records that it ran, exports a variable, then runs the command.
cat > "$root/usr/bin/test-entrypoint" <<'EP'
#!/bin/sh
echo "test-entrypoint: ran"
export ENTRYPOINT_RAN=yes
exec "$@"
EP
chmod 755 "$root/usr/bin/test-entrypoint"
cat > "$root/etc/rc" <<'RC'
# enroot-provenance: jpyxis test image
mkdir -p "/workspace" 2> /dev/null
cd "/workspace" && unset OLDPWD || exit 1

if [ -s /etc/rc.local ]; then
    . /etc/rc.local
fi

if [ $# -gt 0 ]; then
    exec '/usr/bin/test-entrypoint' "$@"
else
    exec '/usr/bin/test-entrypoint' '/bin/sh'
fi
RC
cat > "$root/etc/rc.local" <<'RL'
# This file is sourced by /etc/rc when the container starts.
RL
rm -f "$out"
mksquashfs "$root" "$out" -all-root -noappend -quiet -comp gzip >/dev/null
chmod 644 "$out"
echo "build-test-image: wrote $out"
