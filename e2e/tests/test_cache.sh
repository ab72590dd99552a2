# shellcheck shell=bash
# The image cache (docs/runtimes.md#the-image-cache): a docker:// image is imported once per user and node and reused
# while its tag names the same digest; concurrent steps import it once; a killed import holds no lock; a full cache
# disk falls back to a plain import; every user has a cache of their own. Uses the local registry (e2e/registry).
# The cache is node-local (/var/tmp): every step here runs on CACHE_NODE, and the cache is looked at there.

SECOND_USER=${SECOND_USER:-jpxtest2}
CACHE_NODE=node1

# The test user's cache directory (or USER's).
user_cache() { echo "$(node_path "$CACHE_NODE" "$IMAGE_CACHE")/$(id -u "${1:-$TEST_USER}")"; }

# cache_entries [USER]: the names of the user's cached images (*.sqsh), one a line.
cache_entries() { find "$(user_cache "${1:-}")" -maxdepth 1 -name '*.sqsh' -printf '%f\n' 2>/dev/null | sort; }

# count TEXT: how many stderr lines of the last run contain TEXT.
count_err() { grep -cF -- "$1" <<<"$ERR" || true; }

# push_image TAG VALUE: pushes the registry's jpyxis/busybox:1 again as jpyxis/busybox:TAG with TESTIMAGE_VAR=VALUE
# in its configuration: another manifest, so another digest, as a rebuilt image has.
push_image() {
    local tag=$1 value=$2 work
    work=$(mktemp -d)
    skopeo copy --quiet --src-tls-verify=false "docker://$E2E_REGISTRY/jpyxis/busybox:1" "oci:$work/oci:busybox" \
        && umoci config --image "$work/oci:busybox" --config.env "TESTIMAGE_VAR=$value" \
        && skopeo copy --quiet --format v2s2 --dest-tls-verify=false "oci:$work/oci:busybox" \
            "docker://$E2E_REGISTRY/jpyxis/busybox:$tag"
    local status=$?
    rm -rf "$work"
    return $status
}

# descendants_of PID...: the processes below these, by pid.
descendants_of() {
    local pid child
    for pid in "$@"; do
        for child in $(pgrep -P "$pid" || true); do
            echo "$child"
            descendants_of "$child"
        done
    done
}

# second_user: creates the second test user (idempotent) with a work directory like the first's.
second_user() {
    "$(dirname "${BASH_SOURCE[0]}")/../cluster/add-test-user.sh" "$SECOND_USER" 5100 >/dev/null
    local home
    home=$(getent passwd "$SECOND_USER" | cut -d: -f6)
    install -d -o "$SECOND_USER" -m 755 "$home/e2e-work"
}

# as_second COMMAND...: run, as the second test user.
as_second() {
    local TEST_USER=$SECOND_USER TEST_HOME WORK
    TEST_HOME=$(getent passwd "$SECOND_USER" | cut -d: -f6)
    WORK=$TEST_HOME/e2e-work
    run "$@"
}

test_cache_a_second_job_reuses_the_image_without_importing() {
    needs_runtime
    registry_env
    clear_image_cache
    local image="$E2E_REGISTRY#jpyxis/busybox:1" t0 t1 t2
    t0=$(date +%s.%N)
    run srun -w "$CACHE_NODE" --container-image="$image" sh -c 'echo $TESTIMAGE_VAR'
    t1=$(date +%s.%N)
    assert_ok
    assert_out "from-registry"
    assert_err_has "pyxis: importing docker image: $image"
    assert_err_has "pyxis: imported docker image: $image"
    run srun -w "$CACHE_NODE" --container-image="$image" sh -c 'echo $TESTIMAGE_VAR'
    t2=$(date +%s.%N)
    assert_ok
    assert_out "from-registry"
    assert_err_lacks "pyxis: importing docker image"
    assert_err_lacks "pyxis: imported docker image"
    awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "first job %.2f s, second job %.2f s\n", b - a, c - b }'
    [ "$(cache_entries | wc -l)" -eq 1 ] || fail "expected one cached image: $(cache_entries)"
    # the user's alone: the directory 0700, every file 0600, all the user's
    [ "$(stat -c '%a %U' "$(user_cache)")" = "700 $TEST_USER" ] || fail "cache directory: $(stat -c '%a %U' "$(user_cache)")"
    local odd
    odd=$(find "$(user_cache)" -mindepth 1 \( ! -user "$TEST_USER" -o ! -perm 600 \) -printf '%m %u %f\n')
    [ -z "$odd" ] || fail "cache files not the user's alone: $odd"
}

test_cache_a_tag_pushed_again_is_imported_again() {
    needs_runtime
    registry_env
    clear_image_cache
    push_image moving first || fail "could not push jpyxis/busybox:moving"
    local image="$E2E_REGISTRY#jpyxis/busybox:moving"
    run srun -w "$CACHE_NODE" --container-image="$image" sh -c 'echo $TESTIMAGE_VAR'
    assert_ok
    assert_out "first"
    run srun -w "$CACHE_NODE" --container-image="$image" sh -c 'echo $TESTIMAGE_VAR'
    assert_out "first"
    assert_err_lacks "pyxis: imported docker image"
    push_image moving second || fail "could not push jpyxis/busybox:moving again"
    run srun -w "$CACHE_NODE" --container-image="$image" sh -c 'echo $TESTIMAGE_VAR'
    assert_ok
    assert_out "second"
    assert_err_has "pyxis: imported docker image: $image"
    [ "$(cache_entries | wc -l)" -eq 2 ] || fail "expected both digests cached: $(cache_entries)"
}

test_cache_four_concurrent_steps_import_once() {
    needs_runtime
    registry_env
    clear_image_cache
    local image="$E2E_REGISTRY#jpyxis/busybox:1"
    cat > "$WORK/four.sh" <<SCRIPT
for i in 1 2 3 4; do
    srun --overlap -n1 --container-image='$image' sh -c 'echo \$TESTIMAGE_VAR' &
done
wait
SCRIPT
    chown "$TEST_USER" "$WORK/four.sh"
    run salloc -w "$CACHE_NODE" -N1 -n4 --overcommit bash ./four.sh
    assert_ok
    [ "$(grep -c from-registry <<<"$OUT")" -eq 4 ] || fail "four steps did not all run"
    [ "$(count_err "pyxis: imported docker image: $image")" -eq 1 ] || fail "expected exactly one import"
    echo "steps that waited for another's import: $(count_err "pyxis: waiting for another step's import of $image")"
    [ "$(cache_entries | wc -l)" -eq 1 ] || fail "expected one cached image: $(cache_entries)"
}

test_cache_a_killed_import_holds_no_lock() {
    needs_runtime
    registry_env
    clear_image_cache
    local image="$E2E_REGISTRY#jpyxis/busybox:1" i engine='' importers='' pid
    as_user srun -w "$CACHE_NODE" --container-image="$image" true >/dev/null 2>&1 &
    local srun_pid=$!
    # mid-import: the engine's import command runs (enroot import --output <entry>.partial; ch-image pull)
    for ((i = 0; i < 600; i++)); do
        engine=$(pgrep -u "$TEST_USER" -f 'dev.jpyxis.dist.engine.EngineMain' | head -1 || true)
        if [ -n "$engine" ]; then
            importers=$(pgrep -P "$engine" -f '(\.partial|--no-cache pull )' || true)
            [ -z "$importers" ] || break
        fi
        sleep 0.05
    done
    [ -n "$importers" ] || { wait "$srun_pid"; fail "never saw the import under way"; return 1; }
    kill -KILL "$engine"
    # the import the engine started would outlive it (Slurm tracks the step's processes by parentage here): it goes
    # too, as the whole step would with cgroup tracking
    # shellcheck disable=SC2086
    for pid in $importers $(descendants_of $importers); do kill -KILL "$pid" 2>/dev/null || true; done
    wait "$srun_pid" || true
    STEP_TIMEOUT=60 run srun -w "$CACHE_NODE" --container-image="$image" sh -c 'echo $TESTIMAGE_VAR'
    assert_ok
    assert_out "from-registry"
    assert_err_has "pyxis: imported docker image: $image"
    [ "$(cache_entries | wc -l)" -eq 1 ] || fail "expected one cached image: $(cache_entries)"
    ! find "$(user_cache)" -name '*.partial' | grep -q . || fail "a .partial file is left"
    local inode
    while read -r inode; do
        ! grep -q ":$inode " /proc/locks || fail "a lock on inode $inode is still held"
    done < <(find "$(user_cache)" -name '*.lock' -printf '%i\n')
}

test_cache_a_full_cache_disk_falls_back_to_a_plain_import() {
    needs_runtime
    registry_env
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    local disk=/tmp/jpyxis-e2e-full-cache image="$E2E_REGISTRY#jpyxis/busybox:1"
    # /tmp is the node's own: the tmpfs goes into the node's mount namespace, seen from here below node_path
    node_exec "$CACHE_NODE" mkdir -p "$disk"
    node_exec "$CACHE_NODE" mount -t tmpfs -o size=128k,mode=0755 jpyxis-e2e-full-cache "$disk" \
        || skip "cannot mount a tmpfs here"
    printf '%s image_cache=%s\n' "$PLUGSTACK_LINE" "$disk" > "$PLUGSTACK"
    run srun -w "$CACHE_NODE" --container-image="$image" sh -c 'echo $TESTIMAGE_VAR'
    printf '%s\n' "$PLUGSTACK_LINE" > "$PLUGSTACK"
    local left
    left=$(node_exec "$CACHE_NODE" find "$disk" -mindepth 2 ! -name .lock -printf '%f\n')
    node_exec "$CACHE_NODE" umount "$disk" && node_exec "$CACHE_NODE" rmdir "$disk"
    assert_ok
    assert_out "from-registry"
    assert_err_has "pyxis: image cache: no space left in $disk/$(id -u "$TEST_USER"), importing $image without it"
    assert_err_has "pyxis: imported docker image: $image"
    [ -z "$left" ] || fail "left in the full cache: $left"
}

test_cache_every_user_has_a_cache_of_their_own() {
    needs_runtime
    registry_env
    clear_image_cache
    second_user
    rm -rf "$(user_cache "$SECOND_USER")"
    local image="$E2E_REGISTRY#jpyxis/busybox:1" entry
    run srun -w "$CACHE_NODE" --container-image="$image" true
    assert_ok
    entry=$(user_cache)/$(cache_entries | head -1)
    as_second srun -w "$CACHE_NODE" --container-image="$image" sh -c 'echo $TESTIMAGE_VAR'
    assert_ok
    assert_out "from-registry"
    assert_err_has "pyxis: imported docker image: $image"
    [ "$(cache_entries "$SECOND_USER" | wc -l)" -eq 1 ] || fail "the second user has no cache of their own"
    runuser -u "$SECOND_USER" -- cat "$entry" >/dev/null 2>&1 && fail "$SECOND_USER can read $entry"
    runuser -u "$SECOND_USER" -- ls "$(user_cache)" >/dev/null 2>&1 && fail "$SECOND_USER can list $(user_cache)"
    [ "$(stat -c '%a %U' "$(user_cache "$SECOND_USER")")" = "700 $SECOND_USER" ] \
        || fail "second cache: $(stat -c '%a %U' "$(user_cache "$SECOND_USER")")"
    return 0
}
