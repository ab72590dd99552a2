package dev.jpyxis.domain.port.out;

import java.util.List;

/**
 * A container runtime as pyxis uses it (enroot is the reference contract): import images, create root filesystems,
 * start a container's first process with a generated configuration, export, remove, list. Every call runs as the
 * job user with the environment and working directory of the {@link RuntimeInvocation}.
 *
 * <p>Calls fail with {@link CommandFailedException} when the runtime's command fails, or with a
 * {@link dev.jpyxis.domain.message.PyxisException} carrying the complete message when the failure is the adapter's
 * own (e.g. unreadable output).
 */
public interface ContainerRuntime {

    /** What this runtime is called, protects and can do. */
    RuntimeTraits traits();

    /** The user's containers, with the pid of the first process of those that run ({@code enroot list -f}). */
    List<ContainerListing> list(RuntimeInvocation invocation);

    /**
     * Says that the step will soon {@link #list} the user's containers with this invocation: a runtime whose listing
     * is slow may begin it now, while the step's other work goes on, and answer an equal invocation's {@link #list}
     * from it, with the lines the listing logged. Runtimes that list quickly ignore it.
     */
    default void listSoon(RuntimeInvocation invocation) {
    }

    /**
     * The names of the user's containers, running or not ({@code enroot list}, which needs no process scan): what
     * the job epilog reads, as pyxis's does.
     */
    default List<String> names(RuntimeInvocation invocation) {
        return list(invocation).stream().map(ContainerListing::name).toList();
    }

    /**
     * Whether a squashfs file can be started here without unpacking it, by the user this process runs as: the
     * runtime's squashfuse tools are installed and {@code /dev/fuse} is open to the user. Asked before choosing to
     * start an image in place; a runtime without {@link RuntimeFeature#SQUASHFS_START} answers false.
     */
    boolean startsSquashfsDirectly(RuntimeInvocation invocation);

    /** Fetches a registry image into a squashfs file ({@code enroot import --output FILE URI}). */
    void importImage(RuntimeInvocation invocation, String uri, String squashfsFile);

    /** Extracts a registry image straight into a named root filesystem ({@code enroot load --name NAME URI}). */
    void load(RuntimeInvocation invocation, String uri, String name);

    /**
     * Unpacks a squashfs file into a named root filesystem ({@code enroot create --name NAME FILE}). A create that
     * fails midway (a full disk, a damaged image) leaves nothing under the name; one that found the name taken leaves
     * that container alone.
     */
    void create(RuntimeInvocation invocation, String name, String squashfsFile);

    /**
     * Prepares the start of a container's first process: writes whatever configuration the runtime needs and returns
     * the command that starts it, to be run by the task that sets the container up. The process must stop itself
     * ({@code SIGSTOP}) once the container is in place, and exit when continued.
     */
    ContainerLaunch prepareStart(RuntimeInvocation invocation, StartConfiguration configuration);

    /**
     * Removes what {@link #prepareStart} left behind, whether the start succeeded or not. Never throws: false when
     * something is still there (its command killed by the signals of a cancelled step, say), for the caller to ask
     * again later; asking again after true does no harm.
     */
    boolean finishStart(ContainerLaunch launch);

    /** Saves a container's root filesystem as a squashfs file, overwriting it ({@code enroot export -f -o}). */
    void export(RuntimeInvocation invocation, String name, String squashfsFile);

    /** Removes a named root filesystem ({@code enroot remove -f NAME}). */
    void remove(RuntimeInvocation invocation, String name);
}
