package dev.jpyxis.adapters.linux;

import dev.jpyxis.domain.port.out.OwnershipRecord;
import dev.jpyxis.domain.port.out.ProcessIdentity;
import dev.jpyxis.domain.port.out.StepLedger;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Ownership records as one small file each in the user's own ledger directory ({@code <runtime_path>/<uid>/ledger},
 * mode 0700). A record is written atomically (temporary file, then rename) so a crash never leaves half a record.
 * The file {@code complete} there says the ledger has recorded everything since the runtime's storage was swept.
 */
public final class FileStepLedger implements StepLedger {

    private static final String SUFFIX = ".record";

    private final Path directory;
    private final EpilogTraces epilogTraces;
    private final Path proc;

    /**
     * @param directory    the user's ledger directory
     * @param epilogTraces where the traces of the job epilog lie (the shim checks them)
     */
    public FileStepLedger(Path directory, EpilogTraces epilogTraces) {
        this(directory, epilogTraces, Path.of("/proc"));
    }

    FileStepLedger(Path directory, EpilogTraces epilogTraces, Path proc) {
        this.directory = directory;
        this.epilogTraces = epilogTraces;
        this.proc = proc;
    }

    @Override
    public String bootId() {
        try {
            return Files.readString(proc.resolve("sys/kernel/random/boot_id")).strip();
        } catch (IOException e) {
            return "unknown-boot";
        }
    }

    @Override
    public ProcessIdentity self() {
        long pid = ProcessHandle.current().pid();
        return new ProcessIdentity(pid, startTime(pid).orElse(0L));
    }

    @Override
    public boolean isAlive(ProcessIdentity process) {
        return startTime(process.pid()).map(start -> start == process.startTime()).orElse(false);
    }

    @Override
    public Optional<ProcessIdentity> identify(long pid) {
        return startTime(pid).map(start -> new ProcessIdentity(pid, start));
    }

    /** Field 22 of {@code /proc/<pid>/stat}: when the process started, in clock ticks since boot. */
    Optional<Long> startTime(long pid) {
        try {
            String stat = Files.readString(proc.resolve(pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(Long.parseLong(fields[19]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<OwnershipRecord> records() {
        List<OwnershipRecord> records = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return records;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
                read(file).ifPresent(records::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }

    @Override
    public void write(OwnershipRecord record) {
        Properties properties = new Properties();
        properties.setProperty("container", record.containerName());
        properties.setProperty("ownership", record.ownership().name());
        properties.setProperty("job", Long.toString(record.jobId()));
        properties.setProperty("step", Long.toString(record.stepId()));
        properties.setProperty("restarts", Integer.toString(record.restartCount()));
        properties.setProperty("boot", record.bootId());
        properties.setProperty("owner.pid", Long.toString(record.owner().pid()));
        properties.setProperty("owner.start", Long.toString(record.owner().startTime()));
        record.temporaryFile().ifPresent(file -> properties.setProperty("file", file));
        record.startedInPlace().ifPresent(container -> {
            properties.setProperty("inplace.pid", Long.toString(container.firstProcess().pid()));
            properties.setProperty("inplace.start", Long.toString(container.firstProcess().startTime()));
            properties.setProperty("inplace.image", container.image());
        });
        try {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Path file = fileOf(record);
            Path partial = directory.resolve(file.getFileName() + ".partial");
            Files.writeString(partial, propertiesText(properties), StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The records in {@link Properties#load} format. Not {@link Properties#store}: its date comment loads the JDK's
     * time zone names, which costs a fresh JVM tens of milliseconds on every step.
     */
    static String propertiesText(Properties properties) {
        StringBuilder text = new StringBuilder();
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            text.append(key).append('=');
            String value = properties.getProperty(key);
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '\\' -> text.append("\\\\");
                    case '\n' -> text.append("\\n");
                    case '\r' -> text.append("\\r");
                    case '\t' -> text.append("\\t");
                    case '\f' -> text.append("\\f");
                    case ' ' -> text.append(i == 0 ? "\\ " : " ");
                    default -> text.append(c);
                }
            }
            text.append('\n');
        }
        return text.toString();
    }

    @Override
    public void erase(OwnershipRecord record) {
        try {
            Files.deleteIfExists(fileOf(record));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The mark of a ledger that records everything: gone with the directory, as when a reboot empties /run. */
    private Path completeMark() {
        return directory.resolve("complete");
    }

    @Override
    public boolean complete() {
        return Files.exists(completeMark(), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public void markComplete() {
        try {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            if (!complete()) {
                Files.createFile(completeMark(), PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            }
        } catch (IOException | UnsupportedOperationException unmarked) {
            // the next step sweeps again: it costs one listing
        }
    }

    @Override
    public boolean expectEpilog(long jobId) {
        try {
            Path trace = epilogTraces.expected(jobId);
            if (!Files.exists(trace, LinkOption.NOFOLLOW_LINKS)) {
                Files.createFile(trace, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Override
    public void epilogDone(long jobId) {
        try {
            Files.deleteIfExists(epilogTraces.expected(jobId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<Long> jobsLeftToSweep() {
        return epilogTraces.endedJobs();
    }

    @Override
    public void jobSwept(long jobId) {
        try {
            Files.deleteIfExists(epilogTraces.ended(jobId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path fileOf(OwnershipRecord record) {
        String safeName = record.containerName().replaceAll("[^A-Za-z0-9._-]", "_");
        return directory.resolve(safeName + "@" + record.owner().pid() + "-" + record.owner().startTime() + SUFFIX);
    }

    private static Optional<OwnershipRecord.InPlace> inPlace(Properties properties) {
        String pid = properties.getProperty("inplace.pid");
        String start = properties.getProperty("inplace.start");
        String image = properties.getProperty("inplace.image");
        return pid == null || start == null || image == null ? Optional.empty()
                : Optional.of(new OwnershipRecord.InPlace(new ProcessIdentity(Long.parseLong(pid),
                        Long.parseLong(start)), image));
    }

    private static Optional<OwnershipRecord> read(Path file) {
        try {
            Properties properties = new Properties();
            properties.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            return Optional.of(new OwnershipRecord(properties.getProperty("container"),
                    OwnershipRecord.Ownership.valueOf(properties.getProperty("ownership")),
                    Long.parseLong(properties.getProperty("job")), Long.parseLong(properties.getProperty("step")),
                    Integer.parseInt(properties.getProperty("restarts")), properties.getProperty("boot"),
                    new ProcessIdentity(Long.parseLong(properties.getProperty("owner.pid")),
                            Long.parseLong(properties.getProperty("owner.start"))),
                    Optional.ofNullable(properties.getProperty("file")), inPlace(properties)));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }
}
