package dev.jpyxis.domain.port.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.port.out.ImageCache.CacheEntry;
import dev.jpyxis.domain.port.out.ImageCache.EntryLock;
import dev.jpyxis.domain.port.out.ImageCache.EntryProbe;
import dev.jpyxis.domain.port.out.ImageCache.EntryState;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link ImageCache}: entries by key, committed from what an import wrote, checked when held, evicted
 * by name, each held by one process at a time. The file adapter and the simulator's cache run these same tests through
 * a subclass that supplies what an import and another process do.
 */
public abstract class ImageCacheContract {

    protected static final CacheKey UBUNTU = new CacheKey("enroot", "sha256:" + "ab".repeat(32));
    protected static final CacheKey DEBIAN = new CacheKey("enroot", "sha256:" + "cd".repeat(32));
    protected static final CacheKey UBUNTU_FOR_CHARLIECLOUD = new CacheKey("charliecloud", UBUNTU.digest());

    /** The user's cache, its directory in place. */
    protected abstract ImageCache cache();

    /** What a runtime's import does: writes a squashfs image holding {@code content} at {@code path}. */
    protected abstract void importInto(String path, String content);

    /** What the squashfs image at {@code path} holds, or null when no file is there. */
    protected abstract String contentOf(String path);

    /** The image at {@code path} loses its end. */
    protected abstract void truncate(String path);

    /** The image at {@code path} is overwritten, its size kept, with something that is no squashfs image. */
    protected abstract void scramble(String path);

    /** Another process of the user holds the entry (it imports the image) until {@link #killHolder}. */
    protected abstract void holdElsewhere(CacheKey key);

    /** The process holding an entry is killed. */
    protected abstract void killHolder();

    private String commit(CacheKey key, String content) {
        try (EntryLock entry = cache().lock(key)) {
            importInto(entry.importFile(), content);
            return entry.commit("reference of " + key.digest());
        }
    }

    @Test
    @DisplayName("an entry never made is missing")
    void missing() {
        assertEquals(EntryProbe.MISSING, cache().probe(UBUNTU));
        try (EntryLock entry = cache().lock(UBUNTU)) {
            assertInstanceOf(EntryState.Missing.class, entry.state());
        }
    }

    @Test
    @DisplayName("what an import wrote becomes the entry: present, ready, the same bytes, its name among the entries")
    void committed() {
        String file = commit(UBUNTU, "ubuntu image");
        assertEquals(EntryProbe.READY, cache().probe(UBUNTU));
        try (EntryLock entry = cache().lock(UBUNTU)) {
            assertEquals(new EntryState.Present(file), entry.state());
            assertEquals(file, entry.use());
            assertEquals("ubuntu image", contentOf(file));
            assertTrue(entry.entries().stream().anyMatch(e -> e.name().equals(entry.name()) && e.bytes() > 0));
        }
    }

    @Test
    @DisplayName("runtimes do not share entries: the same digest imported by another runtime is another entry")
    void perRuntime() {
        commit(UBUNTU, "enroot's");
        assertEquals(EntryProbe.MISSING, cache().probe(UBUNTU_FOR_CHARLIECLOUD));
    }

    @Test
    @DisplayName("committing without an import fails as the cache's failure")
    void commitWithoutImport() {
        try (EntryLock entry = cache().lock(UBUNTU)) {
            entry.importFile();
            assertThrows(ImageCache.CacheException.class, () -> entry.commit("ubuntu"));
        }
    }

    @Test
    @DisplayName("the import file is empty ground: what a killed import left there is gone")
    void killedImportLeftovers() {
        String partial;
        try (EntryLock entry = cache().lock(UBUNTU)) {
            partial = entry.importFile();
            importInto(partial, "half");
        }
        try (EntryLock entry = cache().lock(UBUNTU)) {
            assertEquals(partial, entry.importFile());
            assertEquals(null, contentOf(partial));
            assertInstanceOf(EntryState.Missing.class, entry.state());
        }
    }

    @Test
    @DisplayName("a truncated image or one that is no squashfs is damaged; discarded, it is missing")
    void damaged() {
        String file = commit(UBUNTU, "ubuntu image");
        truncate(file);
        assertEquals(EntryProbe.MISSING, cache().probe(UBUNTU));
        try (EntryLock entry = cache().lock(UBUNTU)) {
            assertInstanceOf(EntryState.Damaged.class, entry.state());
            entry.discard();
            assertInstanceOf(EntryState.Missing.class, entry.state());
            assertEquals(null, contentOf(file));
        }
        file = commit(DEBIAN, "debian image");
        scramble(file);
        try (EntryLock entry = cache().lock(DEBIAN)) {
            assertInstanceOf(EntryState.Damaged.class, entry.state());
        }
    }

    @Test
    @DisplayName("a use makes an entry the most recently used")
    void lastUse() {
        commit(UBUNTU, "ubuntu");
        commit(DEBIAN, "debian");
        try (EntryLock entry = cache().lock(UBUNTU)) {
            entry.use();
            List<CacheEntry> entries = entry.entries();
            long ubuntu = entries.stream().filter(e -> e.name().equals(entry.name())).findFirst().orElseThrow()
                    .lastUsed();
            assertTrue(entries.stream().allMatch(e -> e.lastUsed() <= ubuntu), entries.toString());
        }
    }

    @Test
    @DisplayName("another entry can be evicted: its image goes; the one held cannot be")
    void evict() {
        String debian = commit(DEBIAN, "debian");
        commit(UBUNTU, "ubuntu");
        try (EntryLock entry = cache().lock(UBUNTU)) {
            String other = entry.entries().stream().map(CacheEntry::name).filter(n -> !n.equals(entry.name()))
                    .findFirst().orElseThrow();
            assertTrue(entry.evict(other));
            assertEquals(null, contentOf(debian));
            assertEquals(List.of(entry.name()), entry.entries().stream().map(CacheEntry::name).toList());
            assertThrows(IllegalArgumentException.class, () -> entry.evict(entry.name()));
        }
        assertEquals(EntryProbe.MISSING, cache().probe(DEBIAN));
    }

    @Test
    @DisplayName("an entry another process holds is being imported, cannot be evicted, and is free once its holder "
            + "is killed")
    void heldElsewhere() {
        commit(DEBIAN, "debian");
        holdElsewhere(UBUNTU);
        try {
            assertEquals(EntryProbe.BEING_IMPORTED, cache().probe(UBUNTU));
            try (EntryLock entry = cache().lock(DEBIAN)) {
                String held = entry.entries().stream().map(CacheEntry::name).filter(n -> !n.equals(entry.name()))
                        .findFirst().orElse(null);
                if (held != null) {
                    assertFalse(entry.evict(held));
                }
            }
        } finally {
            killHolder();
        }
        assertEquals(EntryProbe.MISSING, cache().probe(UBUNTU));
        try (EntryLock entry = cache().lock(UBUNTU)) {
            assertInstanceOf(EntryState.Missing.class, entry.state());
        }
    }

    @Test
    @DisplayName("the cache's file system has a size and free space")
    void space() {
        ImageCache.DiskSpace space = cache().space();
        assertTrue(space.total() > 0 && space.free() >= 0 && space.free() <= space.total(), space.toString());
    }
}
