# shellcheck shell=bash
# docker:// images from the local registry (e2e/registry): import messages, one import per node, the image's config.
# Each test that counts imports starts with an empty image cache (test_cache.sh shows the cache itself).

registry_env() {
    [ -n "${E2E_REGISTRY:-}" ] || skip "no local registry"
    USER_ENV="CURL_CA_BUNDLE=$E2E_REGISTRY_CA REQUESTS_CA_BUNDLE=$E2E_REGISTRY_CA"
}

test_a_registry_image_is_imported_with_pyxis_messages() {
    needs_runtime
    registry_env
    local image="$E2E_REGISTRY#jpyxis/busybox:1"
    clear_image_cache
    run srun --container-image="$image" sh -c 'echo "$TESTIMAGE_VAR $PWD"; echo $SLURM_JOB_ID >&2'
    assert_ok
    assert_out "from-registry /workspace"
    assert_err_has "pyxis: importing docker image: $image"
    assert_err_has "pyxis: imported docker image: $image"
    assert_no_container "pyxis_${ERR##*$'\n'}.0"
}

# pyxis says only "imported" in a multi-task step; jpyxis also says that the node imports, naming it
# (docs/troubleshooting.md#progress-of-an-import)
test_a_multi_task_step_imports_once_per_node_and_says_so() {
    needs_runtime
    registry_env
    local image="$E2E_REGISTRY#jpyxis/busybox:1"
    clear_image_cache
    run srun -n3 --overcommit -w "${NODE_NAMES[0]}" --container-image="$image" sh -c 'echo $TESTIMAGE_VAR'
    assert_ok
    assert_out "from-registry
from-registry
from-registry"
    [ "$(grep -cx "pyxis: importing docker image: $image (node ${NODE_NAMES[0]})" <<<"$ERR")" -eq 1 ] \
        || fail "expected one importing line naming the node"
    [ "$(grep -c "pyxis: imported docker image: $image" <<<"$ERR")" -eq 1 ] || fail "expected one imported line"
}

test_an_unknown_registry_image_fails_clearly() {
    needs_runtime
    registry_env
    run srun --container-image="$E2E_REGISTRY#jpyxis/nothing:here" true
    [ "$RC" -ne 0 ] || fail "srun succeeded"
    assert_err_has "pyxis: failed to import docker image: $E2E_REGISTRY#jpyxis/nothing:here"
}
