# shellcheck shell=bash
# Live progress of a slow import (docs/troubleshooting.md#progress-of-an-import) on a step of two nodes and four
# tasks: each node's "importing" and "still importing" lines on srun's stderr, stdout as without them. The image is
# pushed to the suite's registry by the first test that needs it (needs umoci and skopeo, as start-registry.sh).

SLOW_IMAGE=jpyxis/slow:1

# push_slow_image: the test image plus 160 MB of random data (no compression shrinks it), slow enough to import that
# progress_interval=1 shows lines on the way. Pushed once per registry.
push_slow_image() {
    curl -sf --cacert "$E2E_REGISTRY_CA" -o /dev/null \
        -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
        "https://$E2E_REGISTRY/v2/${SLOW_IMAGE%:*}/manifests/${SLOW_IMAGE#*:}" && return 0
    local work rc=0
    work=$(mktemp -d)
    (
        set -e
        cd "$work"
        unsquashfs -q -d rootfs "$E2E_IMAGE" >/dev/null
        head -c 160000000 /dev/urandom > rootfs/blob
        umoci init --layout oci
        umoci new --image oci:slow
        umoci unpack --image oci:slow bundle >/dev/null
        cp -a rootfs/. bundle/rootfs/
        umoci repack --image oci:slow bundle
        umoci config --image oci:slow --config.workingdir /workspace \
            --config.env PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin --config.cmd /bin/sh
        skopeo copy --quiet --format v2s2 --dest-tls-verify=false oci:oci:slow "docker://$E2E_REGISTRY/$SLOW_IMAGE"
    ) || rc=$?
    rm -rf "$work"
    [ "$rc" -eq 0 ] || fail "could not push $SLOW_IMAGE to the registry"
}

test_progress_a_slow_import_on_two_nodes_shows_each_nodes_lines_on_stderr_and_leaves_stdout_alone() {
    needs_runtime
    needs_nodes 2
    registry_env
    [ -n "${PLUGSTACK:-}" ] || skip "PLUGSTACK not set"
    push_slow_image
    local image="$E2E_REGISTRY#$SLOW_IMAGE" nodes="${NODE_NAMES[0]},${NODE_NAMES[1]}" node line
    clear_image_cache
    printf '%s progress_interval=1\n' "$PLUGSTACK_LINE" > "$PLUGSTACK"
    STEP_TIMEOUT=300 run srun -N2 -n4 -w "$nodes" --container-image="$image" sh -c 'echo "task $SLURM_PROCID"'
    printf '%s\n' "$PLUGSTACK_LINE" > "$PLUGSTACK"
    clear_image_cache
    assert_ok
    # stdout is the command's alone, as without the lines
    [ "$(sort <<<"$OUT")" = "$(printf 'task %s\n' 0 1 2 3)" ] || fail "stdout is not the four tasks' lines"
    for node in "${NODE_NAMES[0]}" "${NODE_NAMES[1]}"; do
        assert_err_has "pyxis: importing docker image: $image (node $node)"
        grep -qE "^pyxis: still importing ${image//./\\.}, [0-9]+ s, [0-9]+ MB written to disk \(node $node\)$" <<<"$ERR" \
            || fail "no 'still importing' line from $node"
    done
    [ "$(grep -c "^pyxis: imported docker image: $image$" <<<"$ERR")" -eq 2 ] || fail "expected one imported line per node"
    # each node's lines come in order: importing, still importing (time growing), imported, from one task each
    for node in "${NODE_NAMES[0]}" "${NODE_NAMES[1]}"; do
        line=$(grep -n "(node $node)" <<<"$ERR" | grep "still importing" | sed -E 's/^([0-9]+):.*, ([0-9]+) s, .*/\2/' \
            | tr '\n' ' ')
        [ "$(tr ' ' '\n' <<<"$line" | grep . | sort -n | tr '\n' ' ')" = "$line" ] \
            || fail "$node's seconds do not grow: $line"
    done
}
