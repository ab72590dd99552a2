package dev.jpyxis.adapters.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.port.out.CacheKey;
import dev.jpyxis.domain.port.out.ImageCache;
import dev.jpyxis.domain.port.out.ImageCache.CacheException;
import dev.jpyxis.domain.port.out.ImageCache.EntryLock;
import dev.jpyxis.domain.port.out.ImageCache.EntryState;
import dev.jpyxis.domain.port.out.ImageCacheContract;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("the image cache in files")
class FileImageCacheTest extends ImageCacheContract {

    @TempDir
    Path root;

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private FileImageCache cache;
    private Process holder;

    /** The uid this test runs as: the owner of what it creates. */
    private long uid;

    @BeforeEach
    void userDirectory() throws IOException {
        uid = ((Integer) Files.getAttribute(root, "unix:uid")).longValue();
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectory(root.resolve(Long.toString(uid)), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        cache = new FileImageCache(root, uid, () -> clock.addAndGet(1000));
    }

    @AfterEach
    void noHolderLeft() {
        killHolder();
    }

    @Override
    protected ImageCache cache() {
        return cache;
    }

    /** A squashfs image as the cache sees it: the magic, then anything. */
    private static byte[] squashfs(String content) {
        return ("hsqs" + content).getBytes(StandardCharsets.US_ASCII);
    }

    private static void write(String path, byte[] content) {
        try {
            Files.write(Path.of(path), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void importInto(String path, String content) {
        write(path, squashfs(content));
    }

    @Override
    protected String contentOf(String path) {
        try {
            return Files.exists(Path.of(path)) ? Files.readString(Path.of(path)).substring(4) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void truncate(String path) {
        write(path, squashfs(""));
    }

    @Override
    protected void scramble(String path) {
        try {
            write(path, ("xxxx" + Files.readString(Path.of(path)).substring(4)).getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A second JVM takes the entry's lock: POSIX locks are per process, as between two step engines. */
    @Override
    protected void holdElsewhere(CacheKey key) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    EntryHolder.class.getName(), root.toString(), Long.toString(uid), key.runtime(), key.digest())
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("holding "), "the holder says: " + line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void killHolder() {
        if (holder != null) {
            holder.destroyForcibly();
            try {
                holder.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            holder = null;
        }
    }

    private Path user() {
        return root.resolve(Long.toString(uid));
    }

    private List<String> files() throws IOException {
        try (Stream<Path> list = Files.list(user())) {
            return list.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    private String commit(CacheKey key, String text) {
        try (EntryLock entry = cache.lock(key)) {
            importInto(entry.importFile(), text);
            return entry.commit("ref");
        }
    }

    @Nested
    @DisplayName("on disk")
    class OnDisk {
        @Test
        @DisplayName("an entry is <algorithm>-<hex>.<runtime>.sqsh with its .meta, both 0600; lock files of gone "
                + "entries are tidied")
        void layout() throws IOException {
            String file = commit(UBUNTU, "ubuntu");
            String stem = "sha256-" + "ab".repeat(32) + ".enroot";
            assertEquals(user().resolve(stem + ".sqsh").toString(), file);
            assertEquals(List.of(FileImageCache.DIRECTORY_LOCK, stem + ".lock", stem + ".meta", stem + ".sqsh"),
                    files());
            for (String suffix : List.of(".sqsh", ".meta", ".lock")) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                        user().resolve(stem + suffix))), suffix);
            }
            String meta = Files.readString(user().resolve(stem + ".meta"));
            assertTrue(meta.contains("digest=" + UBUNTU.digest()) && meta.contains("runtime=enroot")
                    && meta.contains("size=10") && meta.contains("reference=ref"), meta);
            try (EntryLock entry = cache.lock(UBUNTU)) {
                entry.discard();
            }
            assertEquals(List.of(FileImageCache.DIRECTORY_LOCK), files());
        }

        @Test
        @DisplayName("an image whose size is not its metadata's, or that is a symbolic link, is damaged")
        void damage() throws IOException {
            String file = commit(UBUNTU, "ubuntu");
            Files.write(Path.of(file), squashfs("ubuntu, longer"));
            try (EntryLock entry = cache.lock(UBUNTU)) {
                assertEquals(new EntryState.Damaged("its image has 18 bytes, its metadata says 10"), entry.state());
            }
            Files.delete(Path.of(file));
            Path elsewhere = Files.write(root.resolve("elsewhere.sqsh"), squashfs("ubuntu"));
            Files.createSymbolicLink(Path.of(file), elsewhere);
            try (EntryLock entry = cache.lock(UBUNTU)) {
                assertEquals(new EntryState.Damaged("its image is not a regular file"), entry.state());
                entry.discard();
            }
            assertTrue(Files.exists(elsewhere), "a link is removed, never followed");
        }

        @Test
        @DisplayName("a use is recorded as the metadata's modification time")
        void lastUse() throws IOException {
            commit(UBUNTU, "ubuntu");
            try (EntryLock entry = cache.lock(UBUNTU)) {
                entry.use();
                long used = clock.get();
                assertEquals(List.of(new ImageCache.CacheEntry(entry.name(), 10 + Files.size(user().resolve(
                        entry.name() + ".meta")), used)), entry.entries());
            }
        }
    }

    @Nested
    @DisplayName("between processes")
    class Locking {
        @Test
        @DisplayName("a step waits for the entry another step holds, and gets it the moment its holder is killed")
        void waitsUntilTheHolderDies() throws Exception {
            holdElsewhere(UBUNTU);
            CompletableFuture<EntryState> waiting = CompletableFuture.supplyAsync(() -> {
                try (EntryLock entry = cache.lock(UBUNTU)) {
                    return entry.state();
                }
            });
            assertThrows(TimeoutException.class, () -> waiting.get(500, TimeUnit.MILLISECONDS));
            killHolder();
            assertInstanceOf(EntryState.Missing.class, waiting.get(10, TimeUnit.SECONDS));
        }
    }

    @Nested
    @DisplayName("directories it refuses")
    class Refusals {
        private String refusal() {
            return assertThrows(CacheException.class, () -> cache.probe(UBUNTU)).reason();
        }

        @Test
        @DisplayName("a user directory that is missing, a symbolic link, not a directory, another user's or "
                + "group-writable")
        void userDirectory() throws IOException {
            Files.delete(user());
            assertEquals(user() + " does not exist", refusal());
            Path real = Files.createDirectory(root.resolve("real"));
            Files.createSymbolicLink(user(), real);
            assertEquals(user() + " is not a directory", refusal());
            Files.delete(user());
            Files.createFile(user());
            assertEquals(user() + " is not a directory", refusal());
            Files.delete(user());
            Files.createDirectory(user());
            Files.setPosixFilePermissions(user(), PosixFilePermissions.fromString("rwxrwx---"));
            assertEquals(user() + " is writable by others (mode 770)", refusal());
            Files.setPosixFilePermissions(user(), PosixFilePermissions.fromString("rwx------"));
            FileImageCache other = new FileImageCache(root, uid + 1);
            Files.move(user(), root.resolve(Long.toString(uid + 1)));
            assertEquals(root.resolve(Long.toString(uid + 1)) + " is owned by uid " + uid + ", not " + (uid + 1),
                    assertThrows(CacheException.class, () -> other.lock(UBUNTU)).reason());
        }

        @Test
        @DisplayName("a cache directory others may write to: they could swap the user's directory")
        void writableRoot() throws IOException {
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
            assertEquals(root + " is writable by others (mode 777)", refusal());
        }
    }

    @Test
    @DisplayName("an entry's lock never blocks on a lock file that was deleted: held entries keep theirs")
    void heldLockFilesStay() throws IOException {
        holdElsewhere(DEBIAN);
        commit(UBUNTU, "ubuntu");
        assertTrue(files().contains("sha256-" + "cd".repeat(32) + ".enroot.lock"));
        assertFalse(files().contains("sha256-" + "cd".repeat(32) + ".enroot.sqsh"));
    }
}
