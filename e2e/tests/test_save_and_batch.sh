# shellcheck shell=bash
# --container-save and sbatch.

test_container_save_exports_a_reusable_image() {
    needs_runtime
    as_user rm -f "$WORK/saved.sqsh"
    run srun --container-image=./img.sqsh --container-writable --container-save=./saved.sqsh \
        sh -c 'echo saved > /var/tmp/x; echo $SLURM_JOB_ID'
    assert_ok
    assert_err_has "pyxis: exported container pyxis_${OUT}.0 to ./saved.sqsh"
    [ -s "$WORK/saved.sqsh" ] || fail "no saved image"
    run srun --container-image=./saved.sqsh cat /var/tmp/x
    assert_ok
    assert_out saved
}

test_sbatch_runs_the_batch_script_in_the_container() {
    needs_runtime
    cat > "$WORK/batch.sh" <<SCRIPT
#!/bin/sh
#SBATCH --container-image=$WORK/img.sqsh
#SBATCH --output=$WORK/batch.out
grep ^ID= /etc/os-release
echo "script: \$0"
SCRIPT
    chown "$TEST_USER" "$WORK/batch.sh"
    as_user rm -f "$WORK/batch.out"
    run sbatch --wait ./batch.sh
    assert_ok
    [ "$(head -1 "$WORK/batch.out")" = "ID=jpyxis-test" ] || { OUT=$(cat "$WORK/batch.out"); fail "not in the container"; }
}
