package dev.jpyxis.domain.port.out;

import java.util.List;
import java.util.Objects;

/**
 * The job user's image cache on the node (docs/runtimes.md#the-image-cache): imported squashfs images by
 * {@link CacheKey}, in a directory of the user's own, each entry behind a lock that the kernel releases when its holder
 * dies. Every method but {@link #directory} may throw {@link CacheException} when the cache cannot be used.
 */
public interface ImageCache {

    /** The user's cache directory, for messages. */
    String directory();

    /** How an entry stands, without waiting for anyone. */
    EntryProbe probe(CacheKey key);

    /** Waits until no other process holds the entry, then holds it until {@link EntryLock#close}. */
    EntryLock lock(CacheKey key);

    /** The size and free space of the file system the cache lives on. */
    DiskSpace space();

    /** What {@link #probe} saw. */
    enum EntryProbe {
        /** The entry is there and looks whole. */
        READY,
        /** Another process holds the entry: it imports the image right now. */
        BEING_IMPORTED,
        /** Not there, or damaged. */
        MISSING
    }

    /** An entry held by this process: nobody else checks, imports or removes it meanwhile. */
    interface EntryLock extends AutoCloseable {

        /** Whether the entry is there and whole: its metadata names its file's size, the file is a squashfs image. */
        EntryState state();

        /** Deletes the entry's files (a damaged entry, or a failed import's). */
        void discard();

        /** Where an import writes the image before {@link #commit}; nothing is there. */
        String importFile();

        /** How many bytes an import wrote into {@link #importFile} so far: 0 when it wrote none. */
        long importedBytes();

        /**
         * Makes the imported file the entry, mode 0600, with its metadata (written atomically).
         *
         * @param reference the image as the user gave it, recorded for people looking at the cache
         * @return the entry's squashfs file
         */
        String commit(String reference);

        /** The entry's squashfs file, marked as used now (the least recently used entries go first). */
        String use();

        /** This entry's name among {@link #entries}. */
        String name();

        /** Every entry of the user's, this one included, complete or not. */
        List<CacheEntry> entries();

        /** Removes another entry unless another process holds it; returns whether it went. */
        boolean evict(String name);

        /** Lets others have the entry. */
        @Override
        void close();
    }

    /** What {@link EntryLock#state} found. */
    sealed interface EntryState {
        record Present(String file) implements EntryState {
            public Present {
                Objects.requireNonNull(file, "file");
            }
        }

        record Missing() implements EntryState {
        }

        /** Files are there but do not make a whole entry, and why. */
        record Damaged(String reason) implements EntryState {
            public Damaged {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }

    /**
     * One of the user's entries, as eviction sees it.
     *
     * @param lastUsed when a step last used it, in milliseconds since the epoch
     */
    record CacheEntry(String name, long bytes, long lastUsed) {
        public CacheEntry {
            Objects.requireNonNull(name, "name");
        }
    }

    /** The cache's file system: its size and what is still free, in bytes. */
    record DiskSpace(long total, long free) {
    }

    /** The cache cannot be used: its directory is refused, or a lock, an entry or its metadata cannot be written. */
    final class CacheException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CacheException(String reason) {
            super(reason);
        }

        public CacheException(String reason, Throwable cause) {
            super(reason, cause);
        }

        /** Why, in a few words. */
        public String reason() {
            return getMessage();
        }
    }
}
