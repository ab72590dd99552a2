package dev.jpyxis.domain.port.out;

/** Capabilities that not every runtime has; options needing a missing one are refused up front. */
public enum RuntimeFeature {
    /** Direct extraction of registry images ({@code use_enroot_load}). */
    LOAD,
    /** Starting from a squashfs file without unpacking it ({@code use_squashfuse}). */
    SQUASHFS_START,
    /** Writing to a squashfs file started directly (an overlay on it), for {@code --container-writable}. */
    WRITABLE_SQUASHFS_START,
    /** {@code dockerd://} images from the local Docker daemon. */
    DOCKER_DAEMON_IMAGES,
    /** Running the image's entrypoint ({@code --container-entrypoint}). */
    ENTRYPOINT,
    /** {@code --container-unshare=net}. */
    UNSHARE_NET,
    /** {@code --container-unshare=ipc}. */
    UNSHARE_IPC,
    /** {@code --container-unshare=uts}. */
    UNSHARE_UTS,
    /** {@code --container-mounts} flags beyond read-only/read-write (e.g. {@code nosuid}, {@code tmpfs} size). */
    MOUNT_OPTIONS,
    /**
     * The runtime's own hook gives PyTorch images their distributed variables (enroot's 50-slurm-pytorch.sh, which
     * pyxis sites install); without it jpyxis gives them ({@link dev.jpyxis.domain.env.PytorchVariables}).
     */
    PYTORCH_HOOK
}
