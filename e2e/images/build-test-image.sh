#!/bin/sh
# Builds the small test image the end-to-end tests use, as a squashfs file, from Debian's busybox-static:
# a root filesystem laid out the way `enroot import` leaves an image (/etc/rc runs the entrypoint or the command in
# the image's working directory, /etc/rc.local may replace it, /etc/environment holds the image's variables).
# Usage: build-test-image.sh OUTPUT.sqsh [FLAVOUR]
#   plain    (default) busybox only
#   pytorch  the same, declaring PYTORCH_VERSION as PyTorch images do (enroot's PyTorch hook and jpyxis react to it)
#   mpi      the same plus /usr/bin/mpi-hello (mpi-hello.c, built with Debian's mpicc against Open MPI and PMIx)
#            and the shared libraries, Open MPI and PMIx components and help files it needs, copied from the host
set -eu
out=${1:?usage: build-test-image.sh OUTPUT.sqsh [plain|pytorch|mpi]}
flavour=${2:-plain}
case $flavour in plain|pytorch|mpi) ;; *) echo "build-test-image: unknown flavour $flavour" >&2; exit 1 ;; esac
busybox=/bin/busybox
[ -x "$busybox" ] || { echo "build-test-image: $busybox missing (apt-get install busybox-static)" >&2; exit 1; }
command -v mksquashfs >/dev/null || { echo "build-test-image: mksquashfs missing (squashfs-tools)" >&2; exit 1; }
if [ "$flavour" = mpi ]; then
    command -v mpicc >/dev/null || { echo "build-test-image: mpicc missing (libopenmpi-dev)" >&2; exit 1; }
fi

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
[ "$flavour" != pytorch ] || echo "PYTORCH_VERSION=2.3.0" >> "$root/etc/environment"
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
if [ "$flavour" = mpi ]; then
    # The program, then everything it loads: its libraries, Open MPI's and PMIx's components (dlopened, so not in
    # ldd's answer for the program) with theirs, and their help and configuration files. /lib and /lib64 are links
    # into /usr, as on Debian.
    here=$(cd "$(dirname "$0")" && pwd)
    mpicc -O2 -o "$root/usr/bin/mpi-hello" "$here/mpi-hello.c"
    multiarch=/usr/lib/x86_64-linux-gnu
    mkdir -p "$root$multiarch" "$root/usr/lib64" "$root/usr/share" "$root/etc"
    ln -s usr/lib "$root/lib"
    ln -s usr/lib64 "$root/lib64"
    cp -a "$multiarch/openmpi" "$multiarch/pmix2" "$root$multiarch/"
    for dir in /usr/share/openmpi /usr/share/pmix /etc/openmpi /etc/pmix; do
        [ -d "$dir" ] && cp -a "$dir" "$root$(dirname "$dir")/"
    done
    components=$(find "$multiarch/openmpi/lib/openmpi3" "$multiarch/pmix2/lib/pmix" -name '*.so')
    # shellcheck disable=SC2086
    for lib in $(ldd "$root/usr/bin/mpi-hello" $components 2>/dev/null \
            | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/lib64\// {print $1}' | sort -u); do
        case $lib in /lib64/*|/usr/lib64/*) target=$root/usr/lib64 ;; *) target=$root$multiarch ;; esac
        [ -e "$target/$(basename "$lib")" ] || cp -L "$lib" "$target/"
    done
fi
rm -f "$out"
mksquashfs "$root" "$out" -all-root -noappend -quiet -comp gzip >/dev/null
chmod 644 "$out"
echo "build-test-image: wrote $out ($flavour)"
