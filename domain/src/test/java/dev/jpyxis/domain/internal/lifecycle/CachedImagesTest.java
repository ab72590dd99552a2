package dev.jpyxis.domain.internal.lifecycle;

import static dev.jpyxis.domain.internal.lifecycle.Steps.options;
import static dev.jpyxis.domain.internal.lifecycle.Steps.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.internal.option.ContainerOptions;
import dev.jpyxis.domain.internal.step.StepContext;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.message.Severity;
import dev.jpyxis.domain.plan.TaskOperation;
import dev.jpyxis.domain.plan.TaskOperation.Checkpoint;
import dev.jpyxis.domain.port.out.CacheKey;
import dev.jpyxis.domain.port.out.ImageCache.CacheEntry;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("the user's image cache in a step's setup")
class CachedImagesTest {

    private static final String UBUNTU = "docker://ubuntu";
    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final String ENTRY = "sha256-" + "ab".repeat(32) + ".enroot";
    private static final String ENTRY_FILE = FakeImageCache.file(ENTRY);
    private static final String TEMPORARY = "/run/pyxis/1000/12.3.squashfs";

    private final FakeNode node = new FakeNode();
    private final FakeImageCache cache = new FakeImageCache(node.journal);

    @BeforeEach
    void inPlace() {
        node.squashfuse = true;
        cache.digests.put(UBUNTU, DIGEST);
    }

    private TaskShimDouble run(PluginConfig config, StepContext step, ContainerOptions options) {
        TaskShimDouble.Terminal terminal = new TaskShimDouble.Terminal();
        return new TaskShimDouble(new NodeStep(step, config, node.ports(false, cache), Steps.DAEMON_PATH,
                Steps.prepare(node, config, step, options), Steps.progress(terminal)), step.localTaskCount(),
                terminal);
    }

    private TaskShimDouble run(int tasks) {
        return run(PluginConfig.defaults(), step(12, 3, tasks), options("--container-image=ubuntu"));
    }

    /** Arrives every task in order and answers every report until nothing more happens. */
    private static TaskShimDouble runToEnd(TaskShimDouble shim) {
        for (int task = 0; task < shim.localTasks; task++) {
            shim.arrive(task);
        }
        while (!shim.awaitingReport.isEmpty()) {
            shim.report(shim.awaitingReport.keySet().iterator().next());
        }
        return shim;
    }

    private static List<String> shown(TaskShimDouble shim, int task) {
        return shim.executed.get(task).stream().filter(op -> op instanceof TaskOperation.Log log
                && log.diagnostic().severity() == Severity.USER)
                .map(op -> ((TaskOperation.Log) op).diagnostic().text()).toList();
    }

    private static List<Diagnostic> logged(TaskShimDouble shim, int task) {
        return shim.executed.get(task).stream().filter(op -> op instanceof TaskOperation.Log)
                .map(op -> ((TaskOperation.Log) op).diagnostic()).toList();
    }

    private void cached() {
        cache.entries.put(ENTRY, new CacheEntry(ENTRY, 1 << 20, 1));
    }

    private List<String> journal(String... verbs) {
        List<String> wanted = List.of(verbs);
        return node.journal.stream().filter(entry -> wanted.contains(entry.split(" ")[0])).toList();
    }

    @Nested
    @DisplayName("an image not in the cache yet")
    class FirstUse {
        @Test
        @DisplayName("is imported into its entry under the entry's lock, with pyxis's messages, and started from it")
        void importedIntoTheCache() {
            TaskShimDouble shim = run(1);
            shim.arrive(0);
            assertEquals(List.of("pyxis: importing docker image: ubuntu"), shown(shim, 0),
                    "announced before the import, as without the cache");
            assertEquals(List.of("digest docker://ubuntu"), node.journal);
            shim.report(0);
            assertEquals(List.of("digest docker://ubuntu", "lock " + ENTRY, "import docker://ubuntu "
                    + FakeImageCache.DIRECTORY + "/" + ENTRY + ".partial", "commit " + ENTRY + " ubuntu",
                    "unlock " + ENTRY, "prepare " + ENTRY_FILE), node.journal);
            assertEquals(List.of("pyxis: importing docker image: ubuntu", "pyxis: imported docker image: ubuntu"),
                    shown(shim, 0));
            assertTrue(node.lastStart.fromSquashfsFile());
        }

        @Test
        @DisplayName("the step's end deletes no cache entry, and the ownership record names no cache file")
        void entryOutlivesTheStep() {
            TaskShimDouble shim = runToEnd(run(1));
            shim.step.taskExited(0);
            assertFalse(node.journal.contains("delete " + ENTRY_FILE));
            assertEquals(List.of(), journal("discard", "evict"));
            node.records.forEach(record -> assertEquals(Optional.of(TEMPORARY), record.temporaryFile()));
            assertTrue(node.records.stream().flatMap(r -> r.startedInPlace().stream())
                    .allMatch(inPlace -> inPlace.image().equals(ENTRY_FILE)));
        }

        @Test
        @DisplayName("a named container is created from the cache's entry, which stays")
        void namedContainerFromTheCache() {
            TaskShimDouble shim = runToEnd(run(PluginConfig.defaults(), step(12, 3, 1), options(
                    "--container-image=ubuntu", "--container-name=dev")));
            assertEquals(List.of("import docker://ubuntu " + FakeImageCache.DIRECTORY + "/" + ENTRY + ".partial",
                    "create pyxis_dev " + ENTRY_FILE, "delete " + TEMPORARY), journal("import", "create", "delete"));
            assertEquals(List.of("pyxis: importing docker image: ubuntu", "pyxis: imported docker image: ubuntu"),
                    shown(shim, 0));
        }
    }

    @Test
    @DisplayName("the digest query is announced when the step is prepared, and asked with that invocation by the setup")
    void digestAnnouncedAhead() {
        cached();
        TaskShimDouble shim = run(1);
        assertEquals(List.of("docker://ubuntu"), cache.announced);
        assertEquals(List.of(), node.journal, "nothing runs before the setup task arrives");
        shim.arrive(0);
        assertEquals(2, cache.askedWith.size());
        assertEquals(cache.askedWith.get(0).environment(), cache.askedWith.get(1).environment());
        assertEquals(cache.askedWith.get(0).workingDirectory(), cache.askedWith.get(1).workingDirectory());
    }

    @Test
    @DisplayName("no digest query is announced for a squashfs file")
    void noDigestForAFile() {
        run(PluginConfig.defaults(), step(12, 3, 1), options("--container-image=/u.sqsh"));
        assertEquals(List.of(), cache.announced);
    }

    @Nested
    @DisplayName("an image in the cache")
    class Reuse {
        @Test
        @DisplayName("is started from its entry: no import, no import lines, nothing announced, a verbose line")
        void reused() {
            cached();
            TaskShimDouble shim = run(1);
            shim.arrive(0);
            assertEquals(List.of(), shown(shim, 0));
            assertFalse(shim.awaitingReport.containsValue(Checkpoint.READY_FOR_SETUP), "nothing to announce");
            assertEquals(List.of("digest docker://ubuntu", "lock " + ENTRY, "use " + ENTRY, "unlock " + ENTRY,
                    "prepare " + ENTRY_FILE), node.journal);
            assertTrue(logged(shim, 0).contains(Diagnostic.verbose("pyxis: using cached image ubuntu (" + DIGEST
                    + "): " + ENTRY_FILE)));
        }

        @Test
        @DisplayName("by every task of a multi-task step, none of which is told of an import")
        void multiTask() {
            cached();
            TaskShimDouble shim = runToEnd(run(3));
            for (int task = 0; task < 3; task++) {
                assertEquals(List.of(), shown(shim, task));
            }
            assertEquals(0, node.count("import"));
        }

        @Test
        @DisplayName("is imported again when its tag names another digest now")
        void changedTag() {
            cached();
            cache.digests.put(UBUNTU, "sha256:" + "cd".repeat(32));
            TaskShimDouble shim = runToEnd(run(1));
            assertEquals(1, node.count("import"));
            assertTrue(journal("commit").get(0).startsWith("commit sha256-" + "cd".repeat(32) + ".enroot"));
            assertTrue(shown(shim, 0).contains("pyxis: imported docker image: ubuntu"));
        }

        @Test
        @DisplayName("a damaged entry is discarded with a warning and imported again")
        void damaged() {
            cached();
            cache.damaged.put(ENTRY, "its size is 12 bytes, its metadata says 1048576");
            TaskShimDouble shim = runToEnd(run(1));
            assertEquals(List.of("discard " + ENTRY, "import docker://ubuntu " + FakeImageCache.DIRECTORY + "/"
                    + ENTRY + ".partial", "commit " + ENTRY + " ubuntu"), journal("discard", "import", "commit"));
            assertEquals(List.of("pyxis: importing docker image: ubuntu", "pyxis: image cache: discarding a damaged "
                    + "copy of ubuntu (its size is 12 bytes, its metadata says 1048576), importing it again",
                    "pyxis: imported docker image: ubuntu"), shown(shim, 0));
        }
    }

    @Nested
    @DisplayName("concurrent steps")
    class Concurrency {
        @Test
        @DisplayName("a step whose image another step imports says it waits, before it waits, then uses the entry")
        void waitsForTheOtherImport() {
            cache.heldElsewhere.add(ENTRY);
            TaskShimDouble shim = run(1);
            shim.arrive(0);
            assertEquals(List.of("pyxis: waiting for another step's import of ubuntu"), shown(shim, 0));
            assertEquals(List.of("digest docker://ubuntu"), node.journal, "the waiting happens after the line");
            shim.report(0);
            assertEquals(List.of("wait " + ENTRY, "lock " + ENTRY, "use " + ENTRY), journal("wait", "lock", "use"));
            assertEquals(0, node.count("import"));
            assertEquals(List.of("pyxis: waiting for another step's import of ubuntu"), shown(shim, 0));
        }

        @Test
        @DisplayName("when the other step's import failed or was killed, the waiting step imports it itself")
        void otherImportDied() {
            cache.heldElsewhere.add(ENTRY);
            cache.othersFinish = false;
            TaskShimDouble shim = runToEnd(run(1));
            assertEquals(1, node.count("import"));
            assertEquals(List.of("pyxis: waiting for another step's import of ubuntu",
                    "pyxis: importing docker image: ubuntu", "pyxis: imported docker image: ubuntu"), shown(shim, 0));
        }
    }

    @Nested
    @DisplayName("without the cache")
    class Fallback {
        @Test
        @DisplayName("no digest to be had: a verbose line, and the import pyxis does")
        void noDigest() {
            cache.digests.clear();
            TaskShimDouble shim = runToEnd(run(1));
            assertEquals(List.of("import docker://ubuntu " + TEMPORARY), journal("import", "lock"));
            assertTrue(logged(shim, 0).contains(Diagnostic.verbose("pyxis: image cache: no digest for ubuntu (curl: "
                    + "(6) Could not resolve host), importing it without the cache")));
            assertEquals(List.of("pyxis: importing docker image: ubuntu", "pyxis: imported docker image: ubuntu"),
                    shown(shim, 0));
        }

        @Test
        @DisplayName("a digest that is not algorithm:hex names no file")
        void malformedDigest() {
            cache.digests.put(UBUNTU, "sha256:../../etc/passwd");
            runToEnd(run(1));
            assertEquals(List.of("import docker://ubuntu " + TEMPORARY), journal("import", "lock"));
        }

        @Test
        @DisplayName("a full cache disk: a warning, then the import without the cache; the step succeeds")
        void fullDisk() {
            node.fullDirectories.add(FakeImageCache.DIRECTORY);
            TaskShimDouble shim = runToEnd(run(1));
            assertEquals(List.of("import docker://ubuntu " + FakeImageCache.DIRECTORY + "/" + ENTRY + ".partial",
                    "discard " + ENTRY, "import docker://ubuntu " + TEMPORARY), journal("import", "discard"));
            assertEquals(List.of("pyxis: importing docker image: ubuntu", "pyxis: image cache: no space left in "
                    + FakeImageCache.DIRECTORY + ", importing ubuntu without it",
                    "pyxis: imported docker image: ubuntu"), shown(shim, 0));
            assertEquals(TEMPORARY, node.lastStart.target());
            assertEquals(TaskShimDouble.End.EXEC, shim.ends.get(0));
        }

        @Test
        @DisplayName("a nearly full cache disk makes a failed import count as a full disk, whatever the runtime said")
        void nearlyFullDisk() {
            cache.free = 3L << 30; // 3% of 100 GiB
            node.fail("import");
            TaskShimDouble shim = runToEnd(run(1));
            assertEquals(2, node.count("import"), "the second import, without the cache, fails too");
            assertTrue(shim.failureOf(0).contains("pyxis: failed to import docker image: ubuntu"));
        }

        @Test
        @DisplayName("a registry's refusal is not retried: the step fails with pyxis's lines, the entry is discarded")
        void registryFailure() {
            node.fail("import");
            TaskShimDouble shim = runToEnd(run(1));
            assertEquals(1, node.count("import"));
            assertEquals(List.of("pyxis: child 77 failed with error code: 1",
                    "pyxis: failed to import docker image: ubuntu", "pyxis: printing enroot log file:",
                    "pyxis:     import went wrong"), shim.failureOf(0));
            assertEquals(List.of("discard " + ENTRY, "unlock " + ENTRY), journal("discard", "unlock"));
        }

        @Test
        @DisplayName("a cache that cannot be used (its directory refused) is not used: a line, and the plain import")
        void unusableDirectory() {
            cache.lockFails = true;
            TaskShimDouble shim = runToEnd(run(1));
            assertEquals(List.of("import docker://ubuntu " + TEMPORARY), journal("import"));
            assertTrue(logged(shim, 0).contains(Diagnostic.info("pyxis: image cache: not using "
                    + FakeImageCache.DIRECTORY + ": owned by uid 0, not 1000")));
        }

        @Test
        @DisplayName("an entry that cannot be committed: a warning, the partial import discarded, the plain import")
        void commitFails() {
            cache.commitFails = true;
            TaskShimDouble shim = runToEnd(run(1));
            assertEquals(2, node.count("import"));
            assertEquals(List.of("pyxis: importing docker image: ubuntu", "pyxis: image cache: cannot use "
                    + FakeImageCache.DIRECTORY + " (No space left on device), importing ubuntu without it",
                    "pyxis: imported docker image: ubuntu"), shown(shim, 0));
            assertEquals(TEMPORARY, node.lastStart.target());
        }

        @Test
        @DisplayName("use_enroot_load, the importer and squashfs files never touch the cache")
        void otherModes() {
            runToEnd(run(PluginConfig.parse("use_enroot_load=1"), step(12, 3, 1), options(
                    "--container-image=ubuntu", "--container-name=dev")));
            runToEnd(run(PluginConfig.defaults(), step(12, 4, 1), options("--container-image=/u.sqsh")));
            assertEquals(List.of(), journal("digest", "lock"));
        }

        @Test
        @DisplayName("image_cache= (empty): no cache port, the import pyxis does")
        void disabled() {
            PluginConfig config = PluginConfig.parse("image_cache=");
            StepContext step = step(12, 3, 1);
            runToEnd(new TaskShimDouble(new NodeStep(step, config, node.ports(false), Steps.DAEMON_PATH,
                    Steps.prepare(node, config, step, options("--container-image=ubuntu"))), 1));
            assertEquals(List.of("import docker://ubuntu " + TEMPORARY), journal("import", "digest"));
        }
    }

    @Nested
    @DisplayName("the size limit")
    class Eviction {
        private CacheEntry entry(String name, long bytes, long lastUsed) {
            CacheEntry entry = new CacheEntry(name, bytes, lastUsed);
            cache.entries.put(name, entry);
            return entry;
        }

        @Test
        @DisplayName("after a new entry, the least recently used others go until the rest fits image_cache_size")
        void leastRecentlyUsedFirst() {
            entry("old", 400L << 20, 10);
            entry("older", 300L << 20, 5);
            entry("recent", 200L << 20, 900);
            cache.importedBytes = 300L << 20;
            runToEnd(run(PluginConfig.parse("image_cache_size=800M"), step(12, 3, 1),
                    options("--container-image=ubuntu")));
            assertEquals(List.of("evict older", "evict old"), journal("evict"));
            assertEquals(java.util.Set.of("recent", ENTRY), cache.entries.keySet());
        }

        @Test
        @DisplayName("never the entry just made, even alone over the limit; never one another step holds")
        void keptEntries() {
            entry("held", 400L << 20, 1);
            entry("idle", 100L << 20, 2);
            cache.heldElsewhere.add("held");
            cache.importedBytes = 2L << 30;
            runToEnd(run(PluginConfig.parse("image_cache_size=1G"), step(12, 3, 1),
                    options("--container-image=ubuntu")));
            assertEquals(List.of("evict idle"), journal("evict"));
            assertTrue(cache.entries.containsKey(ENTRY));
        }

        @Test
        @DisplayName("a share is of the cache's file system; nothing goes while everything fits")
        void share() {
            entry("a", 10L << 30, 1);
            cache.importedBytes = 10L << 30;
            runToEnd(run(PluginConfig.parse("image_cache_size=25%"), step(12, 3, 1),
                    options("--container-image=ubuntu")));
            assertEquals(List.of(), journal("evict"), "20 GiB of a 100 GiB disk fit in 25%");
            cache.digests.put(UBUNTU, "sha256:" + "ef".repeat(32));
            runToEnd(run(PluginConfig.parse("image_cache_size=15%"), step(12, 4, 1),
                    options("--container-image=ubuntu")));
            assertEquals(List.of("evict a", "evict " + ENTRY), journal("evict"), "10 GiB fit in 15%: only the new one");
        }

        @Test
        @DisplayName("the order: least recently used first, ties by name, the kept entry left out")
        void order() {
            List<CacheEntry> order = CachedImages.leastRecentlyUsedFirst(List.of(new CacheEntry("c", 1, 5),
                    new CacheEntry("b", 1, 5), new CacheEntry("kept", 1, 0), new CacheEntry("a", 1, 9)), "kept");
            assertEquals(List.of("b", "c", "a"), order.stream().map(CacheEntry::name).toList());
        }
    }

    @Test
    @DisplayName("a cache key takes only algorithm:hex digests of 32 to 128 hex digits")
    void keys() {
        assertTrue(CacheKey.of("enroot", DIGEST).isPresent());
        assertTrue(CacheKey.of("charliecloud", "sha512:" + "0".repeat(128)).isPresent());
        for (String bad : List.of("sha256:" + "A".repeat(64), "sha256:" + "a".repeat(31), "sha256:" + "a".repeat(129),
                "sha256/" + "a".repeat(64), ":" + "a".repeat(64), "sha256:" + "a".repeat(63) + "\n",
                "../x:" + "a".repeat(64))) {
            assertEquals(Optional.empty(), CacheKey.of("enroot", bad), bad);
        }
        assertEquals(Optional.empty(), CacheKey.of("en root", DIGEST));
    }
}
