#!/usr/bin/env bash
# Installs the Debian 12 packages the Slurm harness needs (see README.md in this directory).
# Idempotent and quick when everything is already installed; safe to run unattended in CI (root, no systemd).
#
# Env:
#   EXTRA_PACKAGES   more Debian packages to install in the same run (space separated)
set -euo pipefail

PACKAGES=(
    slurmctld slurmd slurm-client   # Slurm 22.05 daemons and srun/sbatch/salloc/sinfo
    munge                           # auth/munge (munged, munge, unmunge, mungekey)
    libslurm-dev                    # <slurm/spank.h> for building SPANK plugins
    libpmix-dev                     # P6: mpi_pmix_v4.so dlopens the unversioned libpmix.so only this ships
    squashfs-tools busybox-static   # the test image (e2e/images/build-test-image.sh)
    squashfuse fuse3                # use_squashfuse: squashfs images started without unpacking
    charliecloud-runtime charliecloud-builders  # the Charliecloud runtime (ch-run, ch-image, ch-convert)
    docker-registry skopeo umoci openssl curl   # the local image registry of the tests (e2e/registry)
    python3                         # small helpers in tests
    procps util-linux               # free, ps; setpriv, runuser, setsid; unshare, nsenter (the nodes' namespaces)
    iproute2                        # ip netns, veth and bridge: each node's network
    gcc libc6-dev libopenmpi-dev openmpi-bin    # the MPI hello world of the test image (Open MPI on Debian's PMIx)
)
# shellcheck disable=SC2206
[ -n "${EXTRA_PACKAGES:-}" ] && PACKAGES+=(${EXTRA_PACKAGES})

[ "$(id -u)" -eq 0 ] || { echo "install-packages: must run as root" >&2; exit 1; }

missing=()
for p in "${PACKAGES[@]}"; do
    st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$st" = installed ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-packages: all ${#PACKAGES[@]} packages already installed"
    exit 0
fi
echo "install-packages: installing ${missing[*]}"

export DEBIAN_FRONTEND=noninteractive
APT=(apt-get -y -q -o DPkg::Lock::Timeout=900 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

# P1: without systemd, package scripts try invoke-rc.d. Make sure no daemon is started by the packages
# (start-cluster.sh starts them itself, with its own configuration): block service starts for the duration of
# the install if the machine has no policy-rc.d of its own.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod 755 "$policy"
    trap 'rm -f "$policy"' EXIT
fi

lists_present() { compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null || compgen -G '/var/lib/apt/lists/*_Packages.*' >/dev/null; }
all_known() { local p; for p in "$@"; do apt-cache show "$p" >/dev/null 2>&1 || return 1; done; }

if ! lists_present || ! all_known "${missing[@]}"; then
    echo "install-packages: apt-get update (package lists missing or stale)"
    "${APT[@]}" update
fi
if ! "${APT[@]}" install --no-install-recommends "${missing[@]}"; then
    echo "install-packages: install failed, retrying once after apt-get update"
    "${APT[@]}" update
    "${APT[@]}" install --no-install-recommends "${missing[@]}"
fi
echo "install-packages: done"
