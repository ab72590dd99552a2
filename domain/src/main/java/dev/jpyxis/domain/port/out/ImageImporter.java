package dev.jpyxis.domain.port.out;

/**
 * The admin's importer executable (docs/pyxis-compatibility.md#importer): {@code get URI} prints the path of a squashfs
 * file, {@code release} frees whatever the step got; both run as the job user.
 */
public interface ImageImporter {

    /** The executable, as configured. */
    String path();

    /**
     * @return the squashfs path: the first line the importer printed
     * @throws CommandFailedException when it fails; {@link ImporterGaveNoPathException} when it printed no path
     */
    String get(RuntimeInvocation invocation, String uri);

    /** @throws CommandFailedException when it fails (pyxis then only logs it) */
    void release(RuntimeInvocation invocation);

    /** The importer exited successfully but printed no path. */
    final class ImporterGaveNoPathException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final java.util.List<String> log;

        public ImporterGaveNoPathException(java.util.List<String> log) {
            super("importer did not return a squashfs path");
            this.log = java.util.List.copyOf(log);
        }

        public java.util.List<String> log() {
            return log;
        }
    }
}
