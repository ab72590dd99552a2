#!/usr/bin/env bash
# Starts a local image registry for the tests (Debian's docker-registry, HTTPS with its own certificate, on one
# local address only) and pushes the test image into it as jpyxis/busybox:1; then a second one on the next port
# that serves the same images only to a login. Idempotent; records the registries' pids.
# Usage: start-registry.sh STATE_DIR ROOTFS_IMAGE.sqsh
# Env: REGISTRY_ADDR  the address it listens on (default 127.0.0.1; 0.0.0.0 for every address); the cluster's nodes
#                     reach the host on its bridge address only (CLUSTER_HOST_ADDR of the cluster's cluster.env)
#      REGISTRY_SANS  more addresses its certificate names (space separated), e.g. the bridges of several clusters
#      REGISTRY_PORT  default 5000
#   prints nothing but progress; afterwards STATE_DIR/ca.crt is the certificate clients must trust
#   (CURL_CA_BUNDLE for enroot, REQUESTS_CA_BUNDLE for ch-image), the image is $REGISTRY_ADDR:$REGISTRY_PORT/jpyxis/busybox:1,
#   and on port REGISTRY_PORT+1 with the login of STATE_DIR/auth (user and password, one a line; root's only)
set -euo pipefail
STATE=${1:?usage: start-registry.sh STATE_DIR IMAGE.sqsh}
IMAGE=${2:?usage: start-registry.sh STATE_DIR IMAGE.sqsh}
PORT=${REGISTRY_PORT:-5000}
ADDR=${REGISTRY_ADDR:-127.0.0.1}
log() { echo "start-registry: $*"; }
mkdir -p "$STATE/storage"

CHECK_ADDR=$ADDR
[ "$ADDR" != 0.0.0.0 ] || CHECK_ADDR=127.0.0.1
NAMES="$CHECK_ADDR ${REGISTRY_SANS:-}"
if [ ! -s "$STATE/ca.crt" ] || [ "$(cat "$STATE/addr" 2>/dev/null)" != "$NAMES" ]; then
    san=IP:$CHECK_ADDR
    [ "$CHECK_ADDR" = 127.0.0.1 ] || san="$san,IP:127.0.0.1"
    for name in ${REGISTRY_SANS:-}; do san="$san,IP:$name"; done
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$ADDR" -addext "subjectAltName=$san" \
        -keyout "$STATE/ca.key" -out "$STATE/ca.crt" 2>/dev/null
    chmod 644 "$STATE/ca.crt"
    echo "$NAMES" > "$STATE/addr"
fi
cat > "$STATE/config.yml" <<CONF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $STATE/storage
  delete:
    enabled: true
http:
  addr: $ADDR:$PORT
  tls:
    certificate: $STATE/ca.crt
    key: $STATE/ca.key
CONF

# serve NAME CONFIG READY DESCRIPTION: a docker-registry of CONFIG, its pid in STATE/NAME.pid and its log in
# STATE/NAME.log, unless one already runs and READY (a command) says it answers as it should.
serve() {
    local name=$1 config=$2 ready=$3 what=$4 pid
    pid=$(cat "$STATE/$name.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && "$ready"; then
        log "$what already runs (pid $pid)"
        return 0
    fi
    # one of another address or certificate
    if [ -n "$pid" ] && grep -q docker-registry "/proc/$pid/cmdline" 2>/dev/null; then
        kill "$pid"
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    # only stdio: an inherited lock (flock LOCK run-e2e) must not stay held by the registry
    (for fd in /proc/$BASHPID/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
     exec setsid docker-registry serve "$config") > "$STATE/$name.log" 2>&1 < /dev/null &
    echo $! > "$STATE/$name.pid"
    for _ in $(seq 100); do "$ready" && break; sleep 0.1; done
    "$ready" || { cat "$STATE/$name.log" >&2; echo "start-registry: $what does not answer" >&2; exit 1; }
    log "$what on https://$ADDR:$(sed -n 's/^  addr: .*://p' "$config") (pid $(cat "$STATE/$name.pid"))"
}

answers() { curl -sf --cacert "$STATE/ca.crt" "https://$CHECK_ADDR:$PORT/v2/" >/dev/null 2>&1; }
serve registry "$STATE/config.yml" answers "the registry"
# The test image as an OCI image (umoci), pushed as Docker v2 schema 2 (enroot's probe does not take OCI manifests).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unsquashfs -q -d "$work/rootfs" "$IMAGE" >/dev/null
cd "$work"
umoci init --layout oci
umoci new --image oci:busybox
umoci unpack --image oci:busybox bundle >/dev/null
cp -a rootfs/. bundle/rootfs/
umoci repack --image oci:busybox bundle
umoci config --image oci:busybox --config.workingdir /workspace \
    --config.env PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin --config.env TESTIMAGE_VAR=from-registry \
    --config.cmd /bin/sh
skopeo copy --quiet --format v2s2 --dest-cert-dir "$STATE/certs.d" --dest-tls-verify=false \
    oci:oci:busybox "docker://$CHECK_ADDR:$PORT/jpyxis/busybox:1"
log "pushed $CHECK_ADDR:$PORT/jpyxis/busybox:1"

# A second registry on the next port, serving the same storage read-only and only to a login (htpasswd, bcrypt):
# for the tests of registry credentials. STATE_DIR/auth holds its user and password, one a line.
AUTH_PORT=$((PORT + 1))
if [ ! -s "$STATE/auth" ] || [ ! -s "$STATE/auth.htpasswd" ]; then
    (umask 077 && printf 'jpxreg\njpx-%s\n' "$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" > "$STATE/auth")
    /usr/bin/python3 -W ignore -c 'import crypt, sys
print("jpxreg:" + crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH)))' "$(sed -n 2p "$STATE/auth")" \
        > "$STATE/auth.htpasswd"
fi
cat > "$STATE/config-auth.yml" <<CONF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $STATE/storage
  maintenance:
    readonly:
      enabled: true
    uploadpurging:
      enabled: false
auth:
  htpasswd:
    realm: jpyxis-e2e
    path: $STATE/auth.htpasswd
http:
  addr: $ADDR:$AUTH_PORT
  tls:
    certificate: $STATE/ca.crt
    key: $STATE/ca.key
  # HTTP/1.1: enroot 4.1.2 finds its Basic login in curl's trace as "Authorization: Basic", which HTTP/2 lowercases
  http2:
    disabled: true
CONF
asks_login() {
    [ "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$STATE/ca.crt" "https://$CHECK_ADDR:$AUTH_PORT/v2/")" = 401 ]
}
serve auth-registry "$STATE/config-auth.yml" asks_login "the registry with a login"
