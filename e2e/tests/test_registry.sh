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

# A registry that serves only to a login: an image naming the user (USER@REGISTRY#IMAGE) pulls with the password of
# the user's enroot credentials file, with either runtime (docs/runtimes.md: Charliecloud reads the same file).
test_a_registry_login_comes_from_the_enroot_credentials_file() {
    needs_runtime
    registry_env
    [ -n "${E2E_AUTH_REGISTRY:-}" ] && [ -r "${E2E_AUTH_FILE:-}" ] || skip "no registry with a login"
    local login password image creds=$TEST_HOME/.config/enroot/.credentials
    login=$(sed -n 1p "$E2E_AUTH_FILE") password=$(sed -n 2p "$E2E_AUTH_FILE")
    image="$login@$E2E_AUTH_REGISTRY#jpyxis/busybox:1"
    clear_image_cache
    as_user mkdir -p "$TEST_HOME/.config/enroot"
    as_user rm -f "$creds"
    run srun --container-image="$image" true
    [ "$RC" -ne 0 ] || fail "the registry let a pull without a password through"
    as_user sh -c "umask 077 && printf 'machine %s login %s password %s\n' '${E2E_AUTH_REGISTRY%:*}' '$login' \
        '$password' > '$creds'"
    run srun --container-image="$image" sh -c 'echo $TESTIMAGE_VAR'
    as_user rm -f "$creds"
    assert_ok
    assert_out from-registry
}
