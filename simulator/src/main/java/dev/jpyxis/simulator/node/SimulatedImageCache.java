package dev.jpyxis.simulator.node;

import dev.jpyxis.domain.port.out.CacheKey;
import dev.jpyxis.domain.port.out.ImageCache;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One user's image cache on a simulated node, as that user's engine sees it: entries on the node's in-memory disk in
 * the file adapter's layout ({@code <algorithm>-<hex>.<runtime>.sqsh} and {@code .meta}), each entry held by a process
 * of the node's kernel and free again once that process is gone, as a POSIX lock is.
 */
public final class SimulatedImageCache implements ImageCache {

    /** What the simulated file system of every node has: 100 GiB, half of them free unless the disk is full. */
    static final long DISK_BYTES = 100L << 30;

    private final Path directory;
    private final String shown;
    private final SimulatedKernel kernel;
    private final SimulatedKernel.Process engine;
    /** The node's entry locks: the entry's path, and the pid of the process holding it. */
    private final Map<String, Long> locks;
    private final SimulatedRuntime runtime;
    private final java.util.function.LongSupplier clock;

    SimulatedImageCache(Path directory, String shown, SimulatedKernel kernel, SimulatedKernel.Process engine,
            Map<String, Long> locks, SimulatedRuntime runtime, java.util.function.LongSupplier clock) {
        this.directory = directory;
        this.shown = shown;
        this.kernel = kernel;
        this.engine = engine;
        this.locks = locks;
        this.runtime = runtime;
        this.clock = clock;
    }

    @Override
    public String directory() {
        return shown;
    }

    @Override
    public EntryProbe probe(CacheKey key) {
        String name = name(key);
        if (heldByAnother(name)) {
            return EntryProbe.BEING_IMPORTED;
        }
        return state(name, key) instanceof EntryState.Present ? EntryProbe.READY : EntryProbe.MISSING;
    }

    @Override
    public EntryLock lock(CacheKey key) {
        String name = name(key);
        if (heldByAnother(name)) {
            // simulated steps set up one after another: only a process that is gone can have held an entry
            throw new IllegalStateException("a simulated step would wait for " + name + " forever");
        }
        try {
            DiskFiles.directory(directory);
        } catch (IOException e) {
            throw new CacheException("cannot make " + shown, e);
        }
        locks.put(file(name, "").toString(), engine.pid());
        return new Held(key, name);
    }

    @Override
    public DiskSpace space() {
        return new DiskSpace(DISK_BYTES, runtime.diskFull(shown) ? 0 : DISK_BYTES / 2);
    }

    static String name(CacheKey key) {
        return key.algorithm() + "-" + key.hex() + "." + key.runtime();
    }

    /** The process holding the entry, when it is not this engine and still alive. */
    private boolean heldByAnother(String name) {
        Long holder = locks.get(file(name, "").toString());
        return holder != null && holder != engine.pid() && kernel.process(holder).isPresent();
    }

    /** Another process of the same user takes the entry (for tests: a step that imports the image right now). */
    void holdAs(SimulatedKernel.Process other, CacheKey key) {
        locks.put(file(name(key), "").toString(), other.pid());
    }

    private Path file(String name, String suffix) {
        return directory.resolve(name + suffix);
    }

    private EntryState state(String name, CacheKey key) {
        Path image = file(name, ".sqsh");
        Path metadata = file(name, ".meta");
        if (!Files.exists(image) && !Files.exists(metadata)) {
            return new EntryState.Missing();
        }
        if (!Files.exists(metadata)) {
            return new EntryState.Damaged("it has no metadata");
        }
        if (!Files.exists(image)) {
            return new EntryState.Damaged("its image file is missing");
        }
        try {
            Properties properties = metadata(metadata);
            long size = Files.size(image);
            if (!Long.toString(size).equals(properties.getProperty("size"))) {
                return new EntryState.Damaged("its image has " + size + " bytes, its metadata says "
                        + properties.getProperty("size"));
            }
            if (!key.digest().equals(properties.getProperty("digest"))) {
                return new EntryState.Damaged("its metadata names another image");
            }
            if (SquashfsFiles.read(image) == null) {
                return new EntryState.Damaged("it is not a squashfs image");
            }
            return new EntryState.Present(shown + "/" + name + ".sqsh");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Properties metadata(Path file) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(file)));
        return properties;
    }

    private void writeMetadata(Path file, Properties properties) throws IOException {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(properties).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(file, text);
    }

    private final class Held implements EntryLock {
        private final CacheKey key;
        private final String name;

        Held(CacheKey key, String name) {
            this.key = key;
            this.name = name;
        }

        @Override
        public EntryState state() {
            return SimulatedImageCache.this.state(name, key);
        }

        @Override
        public void discard() {
            delete(name);
        }

        @Override
        public String importFile() {
            try {
                Files.deleteIfExists(file(name, ".partial"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return shown + "/" + name + ".partial";
        }

        @Override
        public long importedBytes() {
            try {
                Path partial = file(name, ".partial");
                return Files.isRegularFile(partial) ? Files.size(partial) : 0;
            } catch (IOException none) {
                return 0;
            }
        }

        @Override
        public String commit(String reference) {
            Path partial = file(name, ".partial");
            if (!Files.isRegularFile(partial)) {
                throw new CacheException("the import left no file");
            }
            try {
                Files.move(partial, file(name, ".sqsh"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Properties properties = new Properties();
                properties.setProperty("reference", reference);
                properties.setProperty("digest", key.digest());
                properties.setProperty("runtime", key.runtime());
                properties.setProperty("size", Long.toString(Files.size(file(name, ".sqsh"))));
                properties.setProperty("used", Long.toString(clock.getAsLong()));
                writeMetadata(file(name, ".meta"), properties);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return shown + "/" + name + ".sqsh";
        }

        @Override
        public String use() {
            try {
                Properties properties = metadata(file(name, ".meta"));
                properties.setProperty("used", Long.toString(clock.getAsLong()));
                writeMetadata(file(name, ".meta"), properties);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return shown + "/" + name + ".sqsh";
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<CacheEntry> entries() {
            Map<String, long[]> found = new TreeMap<>();
            try (Stream<Path> files = Files.list(directory)) {
                for (Path path : files.toList()) {
                    String file = path.getFileName().toString();
                    int dot = file.lastIndexOf('.');
                    String stem = file.substring(0, dot);
                    long[] entry = found.computeIfAbsent(stem, s -> new long[2]);
                    entry[0] += Files.size(path);
                    if (file.endsWith(".meta")) {
                        entry[1] = Long.parseLong(metadata(path).getProperty("used", "0"));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<CacheEntry> entries = new ArrayList<>();
            found.forEach((stem, entry) -> entries.add(new CacheEntry(stem, entry[0], entry[1])));
            return entries;
        }

        @Override
        public boolean evict(String other) {
            if (other.equals(name)) {
                throw new IllegalArgumentException("not an entry to evict: " + other);
            }
            Long holder = locks.get(file(other, "").toString());
            if (holder != null && kernel.process(holder).isPresent()) {
                return false;
            }
            delete(other);
            return true;
        }

        @Override
        public void close() {
            locks.remove(file(name, "").toString());
        }
    }

    private void delete(String name) {
        try {
            for (String suffix : List.of(".sqsh", ".meta", ".partial")) {
                Files.deleteIfExists(file(name, suffix));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
