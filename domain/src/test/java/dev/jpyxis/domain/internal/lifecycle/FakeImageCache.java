package dev.jpyxis.domain.internal.lifecycle;

import dev.jpyxis.domain.port.out.CacheKey;
import dev.jpyxis.domain.port.out.ImageCache;
import dev.jpyxis.domain.port.out.ImageDigest;
import dev.jpyxis.domain.port.out.ImageDigests;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test double of the user's image cache and of the digest query: entries by name, digests by image URI, switches to
 * make another process hold an entry or the cache fail, and its calls in the node's journal.
 */
final class FakeImageCache implements ImageCache, ImageDigests {

    static final String DIRECTORY = "/var/tmp/jpyxis-cache/1000";

    private final List<String> journal;
    /** The digest each image URI has now; an URI without one has no digest to be had. */
    final Map<String, String> digests = new HashMap<>();
    /** Complete entries: name to size and last use. */
    final Map<String, CacheEntry> entries = new LinkedHashMap<>();
    /** Entries whose files are there but damaged, with why. */
    final Map<String, String> damaged = new HashMap<>();
    /** Entries another process holds: probed as being imported; not evictable. */
    final Set<String> heldElsewhere = new HashSet<>();
    /** What the other process leaves behind when it lets go of a held entry: it finished its import. */
    boolean othersFinish = true;
    boolean lockFails;
    boolean commitFails;
    long total = 100L << 30;
    long free = 50L << 30;
    long importedBytes = 1 << 20;
    long now = 1_000;

    FakeImageCache(List<String> journal) {
        this.journal = journal;
    }

    static String name(CacheKey key) {
        return key.algorithm() + "-" + key.hex() + "." + key.runtime();
    }

    static String file(String name) {
        return DIRECTORY + "/" + name + ".sqsh";
    }

    /** The queries announced ahead ({@link ImageDigests#digestSoon}) and the invocations of those asked, in order. */
    final List<String> announced = new ArrayList<>();
    final List<RuntimeInvocation> askedWith = new ArrayList<>();

    // ---- ImageDigests

    @Override
    public void digestSoon(RuntimeInvocation invocation, String uri) {
        announced.add(uri);
        askedWith.add(invocation);
    }

    @Override
    public ImageDigest digest(RuntimeInvocation invocation, String uri) {
        journal.add("digest " + uri);
        askedWith.add(invocation);
        String digest = digests.get(uri);
        return digest == null ? new ImageDigest.Unknown("curl: (6) Could not resolve host") : new ImageDigest.Known(
                digest);
    }

    // ---- ImageCache

    @Override
    public String directory() {
        return DIRECTORY;
    }

    @Override
    public EntryProbe probe(CacheKey key) {
        if (lockFails) {
            throw new CacheException("owned by uid 0, not 1000");
        }
        String name = name(key);
        if (heldElsewhere.contains(name)) {
            return EntryProbe.BEING_IMPORTED;
        }
        return entries.containsKey(name) && !damaged.containsKey(name) ? EntryProbe.READY : EntryProbe.MISSING;
    }

    @Override
    public EntryLock lock(CacheKey key) {
        String name = name(key);
        if (lockFails) {
            throw new CacheException("owned by uid 0, not 1000");
        }
        if (heldElsewhere.remove(name)) {
            journal.add("wait " + name);
            if (othersFinish) {
                entries.put(name, new CacheEntry(name, importedBytes, now++));
            }
        }
        journal.add("lock " + name);
        return new Held(name);
    }

    @Override
    public DiskSpace space() {
        return new DiskSpace(total, free);
    }

    private final class Held implements EntryLock {
        private final String name;

        Held(String name) {
            this.name = name;
        }

        @Override
        public EntryState state() {
            if (damaged.containsKey(name)) {
                return new EntryState.Damaged(damaged.get(name));
            }
            return entries.containsKey(name) ? new EntryState.Present(file(name)) : new EntryState.Missing();
        }

        @Override
        public void discard() {
            journal.add("discard " + name);
            entries.remove(name);
            damaged.remove(name);
        }

        @Override
        public String importFile() {
            return DIRECTORY + "/" + name + ".partial";
        }

        @Override
        public String commit(String reference) {
            if (commitFails) {
                throw new CacheException("No space left on device");
            }
            journal.add("commit " + name + " " + reference);
            entries.put(name, new CacheEntry(name, importedBytes, now++));
            return file(name);
        }

        @Override
        public String use() {
            journal.add("use " + name);
            entries.put(name, new CacheEntry(name, entries.get(name).bytes(), now++));
            return file(name);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<CacheEntry> entries() {
            return new ArrayList<>(entries.values());
        }

        @Override
        public boolean evict(String other) {
            if (other.equals(name)) {
                throw new IllegalStateException("evicting the entry held");
            }
            if (heldElsewhere.contains(other)) {
                return false;
            }
            journal.add("evict " + other);
            entries.remove(other);
            return true;
        }

        @Override
        public void close() {
            journal.add("unlock " + name);
        }
    }
}
