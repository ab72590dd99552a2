#!/usr/bin/env bash
# Installs the plugin on this machine from the Debian package the build made, as an admin would: dpkg -i, whose
# postinst trains the engine's startup cache. The shim is then /usr/lib/jpyxis/lib/spank_pyxis.so, readable by every
# user, and the package's plugstack snippet /etc/slurm/plugstack.conf.d/jpyxis.conf is in place (the test cluster
# reads its own plugstack.conf, see start-cluster.sh).
# Usage: install-plugin.sh PACKAGE.deb
# Needs root and the package's dependencies (a JRE 17+ and Debian's Slurm, from install-packages.sh).
set -euo pipefail
deb=${1:?usage: install-plugin.sh PACKAGE.deb}
[ "$(id -u)" -eq 0 ] || { echo "install-plugin: must run as root" >&2; exit 1; }
[ -f "$deb" ] || { echo "install-plugin: $deb missing: build first (mvn -DskipTests package, with dpkg-deb)" >&2; exit 1; }
echo "install-plugin: dpkg -i $deb"
DEBIAN_FRONTEND=noninteractive dpkg -i "$deb"
dpkg-query -W -f='install-plugin: installed ${Package} ${Version}\n' jpyxis
