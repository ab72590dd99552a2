#!/bin/sh
# Builds the Debian package target/jpyxis_<version>_<arch>.deb: the whole distribution target/jpyxis/ in
# /usr/lib/jpyxis, /usr/bin/jpyxis, the plugstack snippet /etc/slurm/plugstack.conf.d/jpyxis.conf, the man page and
# bash completions the build generated, the docs, and the maintainer scripts of this directory.
# Called by Maven (plugin-dist, package phase) where dpkg-deb exists. Needs dpkg-deb, gzip, Slurm's headers (the
# package depends on the Slurm release the shim was compiled against) and the shim: without it no package is built,
# and the script says so.
# Usage: build-deb.sh VERSION TARGET_DIR REPOSITORY_ROOT TIMESTAMP
#   TIMESTAMP (ISO 8601, the build's project.build.outputTimestamp) dates every file and the changelog, so that the
#   same sources give the same package.
set -eu
version=$1 target=$2 root=$3 timestamp=$4
here=$(cd "$(dirname "$0")" && pwd)
dist=$target/jpyxis

if [ ! -f "$dist/lib/spank_pyxis.so" ]; then
    echo "build-deb: !!! $dist/lib/spank_pyxis.so is missing (no libslurm-dev): the .deb is NOT built !!!"
    exit 0
fi

deb_version=$(printf '%s' "$version" | sed 's/-/~/g')    # 0.2.0-SNAPSHOT sorts before 0.2.0: 0.2.0~SNAPSHOT
arch=$(dpkg --print-architecture)
# SLURM_VERSION_NUMBER 0x160508 is 22.05.8: the package needs the release the shim was compiled against (22.05)
number=$(sed -n 's/^#define SLURM_VERSION_NUMBER 0x\([0-9a-fA-F]*\).*/\1/p' /usr/include/slurm/slurm_version.h)
[ -n "$number" ] || { echo "build-deb: no SLURM_VERSION_NUMBER in /usr/include/slurm/slurm_version.h" >&2; exit 1; }
major=$((0x$number >> 16 & 255)) minor=$((0x$number >> 8 & 255))
slurm=$(printf '%d.%02d' "$major" "$minor")
slurm_next=$(printf '%d.%02d' "$major" "$((minor + 1))")
SOURCE_DATE_EPOCH=$(date -u -d "$timestamp" +%s)
export SOURCE_DATE_EPOCH

stage=$target/deb/jpyxis
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/usr/lib/jpyxis" "$stage/usr/bin" "$stage/etc/slurm/plugstack.conf.d" \
    "$stage/etc/bash_completion.d" "$stage/usr/share/bash-completion/completions" "$stage/usr/share/man/man1" \
    "$stage/usr/share/doc/jpyxis"

# The distribution as built; what 'jpyxis install' may have written into it on this machine stays out.
cp -a "$dist/." "$stage/usr/lib/jpyxis/"
rm -rf "$stage"/usr/lib/jpyxis/lib/jvm "$stage"/usr/lib/jpyxis/lib/jvm.default
if [ -f "$root/plugin-dist/src/main/dist/lib/engine.args" ] && [ -f "$stage/usr/lib/jpyxis/lib/engine.args" ]; then
    cp "$root/plugin-dist/src/main/dist/lib/engine.args" "$stage/usr/lib/jpyxis/lib/engine.args"
fi
ln -s ../lib/jpyxis/bin/jpyxis "$stage/usr/bin/jpyxis"

cp "$here/jpyxis.conf" "$stage/etc/slurm/plugstack.conf.d/jpyxis.conf"
cp "$target/completion/jpyxis-slurm" "$stage/etc/bash_completion.d/jpyxis-slurm"
cp "$target/completion/jpyxis" "$stage/usr/share/bash-completion/completions/jpyxis"
gzip -9n < "$target/man/jpyxis.1" > "$stage/usr/share/man/man1/jpyxis.1.gz"

doc=$stage/usr/share/doc/jpyxis
cp "$here/copyright" "$doc/copyright"
cp "$root/README.md" "$doc/README.md"
for page in options configuration install troubleshooting cli simulator runtimes lifecycle pyxis-compatibility; do
    [ ! -f "$root/docs/$page.md" ] || cp "$root/docs/$page.md" "$doc/"    # the pages for users and admins
done
gzip -9n < "$root/CHANGELOG.md" > "$doc/changelog.gz"
{
    printf 'jpyxis (%s) unstable; urgency=medium\n\n' "$deb_version"
    printf '  * Built from the jpyxis sources; their changes are in changelog.gz.\n\n'
    printf ' -- jpyxis developers <jpyxis-dev@localhost>  %s\n' "$(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n > "$doc/changelog.Debian.gz"

for script in postinst prerm postrm; do
    install -m 755 "$here/$script" "$stage/DEBIAN/$script"
done
printf '%s\n' /etc/slurm/plugstack.conf.d/jpyxis.conf /etc/bash_completion.d/jpyxis-slurm > "$stage/DEBIAN/conffiles"

# Debian's conventional modes: directories and programs 0755, everything else 0644 (the shim too: a library).
find "$stage" -path "$stage/DEBIAN" -prune -o -type d -exec chmod 755 {} +
find "$stage" -path "$stage/DEBIAN" -prune -o -type f -exec chmod 644 {} +
chmod 755 "$stage/usr/lib/jpyxis/bin/"*

size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat > "$stage/DEBIAN/control" <<CONTROL
Package: jpyxis
Version: $deb_version
Architecture: $arch
Maintainer: jpyxis developers <jpyxis-dev@localhost>
Installed-Size: $size
Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless, slurm-wlm-basic-plugins (>= $slurm), slurm-wlm-basic-plugins (<< $slurm_next~)
Recommends: enroot | charliecloud-runtime, squashfs-tools
Suggests: charliecloud-builders, squashfuse
Conflicts: nvslurm-plugin-pyxis
Section: admin
Priority: optional
Description: pyxis-compatible Slurm plugin: srun --container-image runs tasks in containers
 jpyxis is a drop-in replacement for NVIDIA pyxis 0.24: a SPANK plugin that runs
 the tasks of a Slurm step in one shared container per node, with pyxis's options
 (--container-image, --container-mounts, --container-name, ...), defaults and
 messages. Its decisions are made by a Java engine; a small native shim connects
 it to Slurm and to the container runtime (enroot, or Charliecloud).
 .
 The package installs the plugin in /usr/lib/jpyxis, loads it through
 /etc/slurm/plugstack.conf.d/jpyxis.conf and trains the engine's startup cache
 for the node's JDK. The jpyxis tool checks command lines (validate), checks a
 node (doctor) and replays scenarios without a cluster (simulate).
 .
 Built for Slurm $slurm: SPANK plugins must be rebuilt for each Slurm release.
CONTROL
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) \
    > "$stage/DEBIAN/md5sums"
chmod 644 "$stage/DEBIAN/control" "$stage/DEBIAN/conffiles" "$stage/DEBIAN/md5sums"
find "$stage" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

package=$target/jpyxis_${deb_version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$stage" "$package" >/dev/null
echo "build-deb: wrote $package"
