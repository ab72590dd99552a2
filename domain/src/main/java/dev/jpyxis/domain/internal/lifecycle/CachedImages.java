package dev.jpyxis.domain.internal.lifecycle;

import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.internal.image.ImageReference;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.port.out.CacheKey;
import dev.jpyxis.domain.port.out.CommandFailedException;
import dev.jpyxis.domain.port.out.ImageCache;
import dev.jpyxis.domain.port.out.ImageCache.CacheEntry;
import dev.jpyxis.domain.port.out.ImageCache.CacheException;
import dev.jpyxis.domain.port.out.ImageCache.EntryLock;
import dev.jpyxis.domain.port.out.ImageCache.EntryProbe;
import dev.jpyxis.domain.port.out.ImageCache.EntryState;
import dev.jpyxis.domain.port.out.ImageDigest;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.domain.port.out.StepPorts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The user's image cache as a step's setup uses it (docs/runtimes.md#the-image-cache): a registry image is named by
 * the digest its reference has now, reused when its entry is there, imported into the cache under the entry's lock when
 * it is not (a concurrent step waits, then finds it). Whatever goes wrong with the cache itself falls back to an import
 * without it; a registry's refusal fails the step as it would without the cache.
 */
final class CachedImages {

    static final String WAITING = "pyxis: waiting for another step's import of ";

    /** Below this much free space, a failed import into the cache counts as a full disk. */
    static final long LOW_SPACE_BYTES = 1L << 30;
    /** ... or below this share of the cache's file system, in percent. */
    static final int LOW_SPACE_PERCENT = 5;
    static final String NO_SPACE = "No space left on device";

    /** What the setup task learnt of its image before the setup began. */
    sealed interface Lookup {

        /** The image is imported without the cache. */
        record Uncached() implements Lookup {
        }

        /** The image goes through the cache under {@code key}; {@code probe} says how its entry stood. */
        record Cached(CacheKey key, EntryProbe probe) implements Lookup {
            public Cached {
                Objects.requireNonNull(key, "key");
                Objects.requireNonNull(probe, "probe");
            }
        }

        /** The entry was there: the setup will most likely import nothing. */
        default boolean found() {
            return this instanceof Cached cached && cached.probe() == EntryProbe.READY;
        }

        /** Another step imports the image right now: this one will wait for it. */
        default boolean waits() {
            return this instanceof Cached cached && cached.probe() == EntryProbe.BEING_IMPORTED;
        }
    }

    private final PluginConfig config;
    private final StepPorts ports;
    private final ImageCache cache;

    private CachedImages(PluginConfig config, StepPorts ports) {
        this.config = config;
        this.ports = ports;
        this.cache = ports.imageCache().orElseThrow();
    }

    /**
     * Whether the step's image goes through the cache, and how its entry stands: only an image the runtime imports to
     * a squashfs file (not {@code use_enroot_load}, not the admin's importer), on a node with a cache, whose digest can
     * be had and is well-formed.
     */
    static Lookup lookUp(StepSetup setup, StepPorts ports, RuntimeInvocation invocation,
            List<Diagnostic> diagnostics) {
        if (!asksDigest(setup, ports)) {
            return new Lookup.Uncached();
        }
        ImageReference image = setup.image().orElseThrow();
        ImageDigest digest = ports.digests().digest(invocation, image.uri());
        if (digest instanceof ImageDigest.Unknown unknown) {
            diagnostics.add(Diagnostic.verbose("pyxis: image cache: no digest for " + image + " (" + unknown.reason()
                    + "), importing it without the cache"));
            return new Lookup.Uncached();
        }
        String known = ((ImageDigest.Known) digest).digest();
        Optional<CacheKey> key = CacheKey.of(ports.runtime().traits().name(), known);
        if (key.isEmpty()) {
            diagnostics.add(Diagnostic.verbose("pyxis: image cache: unusable digest for " + image + ": " + known
                    + ", importing it without the cache"));
            return new Lookup.Uncached();
        }
        ImageCache cache = ports.imageCache().get();
        try {
            return new Lookup.Cached(key.get(), cache.probe(key.get()));
        } catch (CacheException unusable) {
            diagnostics.add(Diagnostic.info("pyxis: image cache: not using " + cache.directory() + ": "
                    + unusable.reason()));
            return new Lookup.Uncached();
        }
    }

    /** Whether {@link #lookUp} asks for the image's digest: an image imported to a file, on a node with a cache. */
    static boolean asksDigest(StepSetup setup, StepPorts ports) {
        return setup.mode().isPresent() && setup.mode().get().importsToFile() && ports.imageCache().isPresent();
    }

    /**
     * The image's file in the cache: there already, or imported into it now, under the entry's lock.
     *
     * @param importing runs the import command, with the "importing" line and the progress lines around it
     * @return empty when the step must import the image without the cache; the lines say why
     * @throws dev.jpyxis.domain.message.PyxisException when the import fails for another reason than the cache's
     *         disk: the step fails as it would without the cache
     */
    static Optional<String> fetch(PluginConfig config, StepPorts ports, CacheKey key, ImageReference image,
            RuntimeInvocation invocation, List<Diagnostic> diagnostics, Consumer<Runnable> importing) {
        return new CachedImages(config, ports).fetch(key, image, invocation, diagnostics, importing);
    }

    private Optional<String> fetch(CacheKey key, ImageReference image, RuntimeInvocation invocation,
            List<Diagnostic> diagnostics, Consumer<Runnable> importing) {
        try (EntryLock entry = cache.lock(key)) {
            EntryState state = entry.state();
            if (state instanceof EntryState.Present) {
                String file = entry.use();
                diagnostics.add(Diagnostic.verbose("pyxis: using cached image " + image + " (" + key.digest()
                        + "): " + file));
                return Optional.of(file);
            }
            if (state instanceof EntryState.Damaged damaged) {
                diagnostics.add(Diagnostic.user("pyxis: image cache: discarding a damaged copy of " + image + " ("
                        + damaged.reason() + "), importing it again"));
                entry.discard();
            }
            return importInto(entry, image, invocation, diagnostics, importing);
        } catch (CacheException unusable) {
            diagnostics.add(Diagnostic.user("pyxis: image cache: cannot use " + cache.directory() + " ("
                    + unusable.reason() + "), importing " + image + " without it"));
            return Optional.empty();
        }
    }

    private Optional<String> importInto(EntryLock entry, ImageReference image, RuntimeInvocation invocation,
            List<Diagnostic> diagnostics, Consumer<Runnable> importing) {
        try {
            importing.accept(() -> ports.runtime().importImage(invocation, image.uri(), entry.importFile()));
        } catch (CommandFailedException failed) {
            entry.discard();
            if (diskFull(failed.log())) {
                diagnostics.add(Diagnostic.user("pyxis: image cache: no space left in " + cache.directory()
                        + ", importing " + image + " without it"));
                return Optional.empty();
            }
            throw RootFilesystemSetup.importFailure(failed, image, ports.runtime().traits().name());
        }
        String file;
        try {
            file = entry.commit(image.asGiven());
        } catch (CacheException unkept) {
            entry.discard();
            throw unkept;
        }
        diagnostics.add(RootFilesystemSetup.imported(image));
        evictBeyondLimit(entry, diagnostics);
        return Optional.of(file);
    }

    /** The runtime said so, or the cache's file system is nearly full (the runtime may have removed its output). */
    private boolean diskFull(List<String> log) {
        if (log.stream().anyMatch(line -> line.contains(NO_SPACE))) {
            return true;
        }
        ImageCache.DiskSpace space = cache.space();
        return space.free() < LOW_SPACE_BYTES || space.free() < space.total() / 100 * LOW_SPACE_PERCENT;
    }

    /**
     * The user's least recently used entries go until the rest fit {@code image_cache_size}; never the entry just
     * made, nor one another step holds. A step still running from a removed file keeps reading it.
     */
    private void evictBeyondLimit(EntryLock entry, List<Diagnostic> diagnostics) {
        long limit;
        List<CacheEntry> entries;
        try {
            limit = config.imageCacheSize().bytesOn(cache.space().total());
            entries = entry.entries();
        } catch (CacheException unreadable) {
            diagnostics.add(Diagnostic.info("pyxis: image cache: could not look for entries to remove: "
                    + unreadable.reason()));
            return;
        }
        long total = entries.stream().mapToLong(CacheEntry::bytes).sum();
        for (CacheEntry candidate : leastRecentlyUsedFirst(entries, entry.name())) {
            if (total <= limit) {
                return;
            }
            if (entry.evict(candidate.name())) {
                total -= candidate.bytes();
                diagnostics.add(Diagnostic.info("pyxis: image cache: removed " + candidate.name()
                        + ", the least recently used, to stay within " + limit + " bytes"));
            }
        }
    }

    /** The eviction order: least recently used first, by name among equals; {@code kept} never. */
    static List<CacheEntry> leastRecentlyUsedFirst(List<CacheEntry> entries, String kept) {
        List<CacheEntry> order = new ArrayList<>(entries.stream().filter(e -> !e.name().equals(kept)).toList());
        order.sort(Comparator.comparingLong(CacheEntry::lastUsed).thenComparing(CacheEntry::name));
        return order;
    }
}
