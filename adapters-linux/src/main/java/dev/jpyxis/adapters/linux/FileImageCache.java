package dev.jpyxis.adapters.linux;

import dev.jpyxis.domain.port.out.CacheKey;
import dev.jpyxis.domain.port.out.ImageCache;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The user's image cache as files in {@code <image_cache>/<uid>} (docs/runtimes.md#the-image-cache): per entry
 * {@code <algorithm>-<hex>.<runtime>.sqsh}, its {@code .meta} (whose modification time is the entry's last use), the
 * {@code .partial} file an import writes, and the {@code .lock} file holding the entry's lock.
 *
 * <p>Locks are POSIX record locks ({@link FileChannel#lock}), which the kernel releases when their process dies. An
 * entry's lock is taken under a shared lock of the directory's {@code .lock}; lock files of entries that are gone are
 * deleted only under that lock held exclusively, so no process ever waits on a lock file that was deleted. Nothing
 * here follows a symbolic link, and everything is created for the user alone (0600).
 */
public final class FileImageCache implements ImageCache {

    static final String DIRECTORY_LOCK = ".lock";
    private static final Pattern ENTRY_FILE = Pattern.compile(
            "([a-z0-9]+-[a-f0-9]+\\.[a-z0-9]+)\\.(sqsh|meta|partial|meta\\.new|lock)");
    private static final byte[] SQUASHFS_MAGIC = "hsqs".getBytes(StandardCharsets.US_ASCII);
    private static final int METADATA_LIMIT = 64 * 1024;
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final int GROUP_OR_OTHERS_WRITE = 0022;
    private static final int FILE_TYPE = 0170000;
    private static final int DIRECTORY = 0040000;
    private static final int REGULAR_FILE = 0100000;

    private final Path root;
    private final Path directory;
    private final long uid;
    private final LongSupplier clock;

    /**
     * @param root the {@code image_cache} directory
     * @param uid  the user this process runs as, whose directory {@code <root>/<uid>} is
     */
    public FileImageCache(Path root, long uid) {
        this(root, uid, System::currentTimeMillis);
    }

    FileImageCache(Path root, long uid, LongSupplier clock) {
        this.root = root;
        this.directory = root.resolve(Long.toString(uid));
        this.uid = uid;
        this.clock = clock;
    }

    @Override
    public String directory() {
        return directory.toString();
    }

    @Override
    public EntryProbe probe(CacheKey key) {
        checkDirectories();
        try (FileChannel shared = open(directory.resolve(DIRECTORY_LOCK));
                FileLock ignored = shared.lock(0, Long.MAX_VALUE, true);
                FileChannel channel = open(lockFile(name(key)));
                FileLock entry = channel.tryLock()) {
            if (entry == null) {
                return EntryProbe.BEING_IMPORTED;
            }
            return state(name(key), key) instanceof EntryState.Present ? EntryProbe.READY : EntryProbe.MISSING;
        } catch (IOException e) {
            throw failure("cannot lock an entry", e);
        }
    }

    @Override
    public EntryLock lock(CacheKey key) {
        checkDirectories();
        FileChannel shared = null;
        FileChannel entry = null;
        try {
            shared = open(directory.resolve(DIRECTORY_LOCK));
            shared.lock(0, Long.MAX_VALUE, true);
            entry = open(lockFile(name(key)));
            entry.lock();
            return new HeldEntry(key, shared, entry);
        } catch (IOException | RuntimeException e) {
            closeQuietly(entry);
            closeQuietly(shared);
            throw e instanceof CacheException cache ? cache : failure("cannot lock an entry", e);
        }
    }

    @Override
    public DiskSpace space() {
        try {
            FileStore store = Files.getFileStore(directory);
            return new DiskSpace(store.getTotalSpace(), store.getUsableSpace());
        } catch (IOException e) {
            throw failure("cannot see its file system", e);
        }
    }

    static String name(CacheKey key) {
        return key.algorithm() + "-" + key.hex() + "." + key.runtime();
    }

    // ---- the directories

    /**
     * The cache's directory must be a directory of root's (or the user's) that nobody else may write to, the user's
     * directory in it one of the user's alone: no symbolic link, nothing another user could swap or read.
     */
    private void checkDirectories() {
        check(root, uid, true);
        check(directory, uid, false);
    }

    private static void check(Path path, long uid, boolean rootMayOwn) {
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(path, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException missing) {
            throw new CacheException(path + " does not exist");
        } catch (IOException | UnsupportedOperationException e) {
            throw new CacheException("cannot look at " + path + ": " + reason(e));
        }
        int mode = (Integer) attributes.get("mode");
        long owner = ((Integer) attributes.get("uid")).longValue();
        if ((mode & FILE_TYPE) != DIRECTORY) {
            throw new CacheException(path + " is not a directory");
        }
        if (owner != uid && !(rootMayOwn && owner == 0)) {
            throw new CacheException(path + " is owned by uid " + owner + ", not " + uid);
        }
        if ((mode & GROUP_OR_OTHERS_WRITE) != 0) {
            throw new CacheException(path + " is writable by others (mode " + Integer.toOctalString(mode & 07777)
                    + ")");
        }
    }

    // ---- an entry's state

    private Path file(String name, String suffix) {
        return directory.resolve(name + suffix);
    }

    private Path lockFile(String name) {
        return file(name, ".lock");
    }

    private EntryState state(String name, CacheKey key) {
        Path image = file(name, ".sqsh");
        Path metadata = file(name, ".meta");
        boolean hasImage = Files.exists(image, LinkOption.NOFOLLOW_LINKS);
        boolean hasMetadata = Files.exists(metadata, LinkOption.NOFOLLOW_LINKS);
        if (!hasImage && !hasMetadata) {
            return new EntryState.Missing();
        }
        if (!hasMetadata) {
            return new EntryState.Damaged("it has no metadata");
        }
        if (!hasImage) {
            return new EntryState.Damaged("its image file is missing");
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(image, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                return new EntryState.Damaged("its image is not a regular file");
            }
            Properties properties = readMetadata(metadata);
            String size = properties.getProperty("size", "");
            if (!size.equals(Long.toString(attributes.size()))) {
                return new EntryState.Damaged("its image has " + attributes.size() + " bytes, its metadata says "
                        + (size.isEmpty() ? "nothing" : size));
            }
            if (!key.digest().equals(properties.getProperty("digest"))
                    || !key.runtime().equals(properties.getProperty("runtime"))) {
                return new EntryState.Damaged("its metadata names another image");
            }
            if (!startsWithMagic(image)) {
                return new EntryState.Damaged("it is not a squashfs image");
            }
            return new EntryState.Present(image.toString());
        } catch (IOException e) {
            return new EntryState.Damaged("it cannot be read: " + reason(e));
        }
    }

    private static Properties readMetadata(Path metadata) throws IOException {
        try (InputStream in = Files.newInputStream(metadata, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes(METADATA_LIMIT);
            Properties properties = new Properties();
            properties.load(new java.io.StringReader(new String(bytes, StandardCharsets.UTF_8)));
            return properties;
        }
    }

    private static boolean startsWithMagic(Path image) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(image, StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer head = ByteBuffer.allocate(SQUASHFS_MAGIC.length);
            while (head.hasRemaining() && channel.read(head) > 0) {
                // read the first bytes
            }
            return !head.hasRemaining() && java.util.Arrays.equals(head.array(), SQUASHFS_MAGIC);
        }
    }

    // ---- holding an entry

    private final class HeldEntry implements EntryLock {

        private final CacheKey key;
        private final String name;
        private final FileChannel shared;
        private final FileChannel entry;

        HeldEntry(CacheKey key, FileChannel shared, FileChannel entry) {
            this.key = key;
            this.name = FileImageCache.name(key);
            this.shared = shared;
            this.entry = entry;
        }

        @Override
        public EntryState state() {
            return FileImageCache.this.state(name, key);
        }

        @Override
        public void discard() {
            try {
                deleteEntryFiles(name);
            } catch (IOException e) {
                throw failure("cannot delete an entry", e);
            }
        }

        @Override
        public String importFile() {
            Path partial = file(name, ".partial");
            try {
                Files.deleteIfExists(partial); // a killed import's
            } catch (IOException e) {
                throw failure("cannot delete a killed import's file", e);
            }
            return partial.toString();
        }

        @Override
        public long importedBytes() {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file(name, ".partial"),
                        BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                return attributes.isRegularFile() ? attributes.size() : 0;
            } catch (IOException none) {
                return 0;
            }
        }

        @Override
        public String commit(String reference) {
            Path partial = file(name, ".partial");
            Path image = file(name, ".sqsh");
            try {
                BasicFileAttributes attributes = Files.readAttributes(partial, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (!attributes.isRegularFile()) {
                    throw new CacheException("the import left no regular file");
                }
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
                Files.move(partial, image, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                Properties properties = new Properties();
                properties.setProperty("reference", reference);
                properties.setProperty("digest", key.digest());
                properties.setProperty("runtime", key.runtime());
                properties.setProperty("size", Long.toString(attributes.size()));
                Path metadata = file(name, ".meta");
                Path next = file(name, ".meta.new");
                Files.deleteIfExists(next);
                try (SeekableByteChannel out = Files.newByteChannel(next, Set.of(StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), PRIVATE_FILE)) {
                    ByteBuffer text = ByteBuffer.wrap(FileStepLedger.propertiesText(properties)
                            .getBytes(StandardCharsets.UTF_8));
                    while (text.hasRemaining()) {
                        out.write(text);
                    }
                }
                Files.setLastModifiedTime(next, FileTime.fromMillis(clock.getAsLong()));
                Files.move(next, metadata, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return image.toString();
            } catch (NoSuchFileException missing) {
                throw new CacheException("the import left no file");
            } catch (IOException e) {
                throw failure("cannot keep the image", e);
            }
        }

        @Override
        public String use() {
            try {
                Files.setLastModifiedTime(file(name, ".meta"), FileTime.fromMillis(clock.getAsLong()));
            } catch (IOException e) {
                throw failure("cannot mark an entry used", e);
            }
            return file(name, ".sqsh").toString();
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<CacheEntry> entries() {
            Map<String, long[]> found = new TreeMap<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
                for (Path path : files) {
                    Matcher matcher = ENTRY_FILE.matcher(path.getFileName().toString());
                    if (!matcher.matches() || matcher.group(2).equals("lock")) {
                        continue;
                    }
                    BasicFileAttributes attributes;
                    try {
                        attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    } catch (NoSuchFileException gone) {
                        continue;
                    }
                    long[] entry = found.computeIfAbsent(matcher.group(1), stem -> new long[] {0, 0, 0});
                    entry[0] += attributes.size();
                    long modified = attributes.lastModifiedTime().toMillis();
                    if (matcher.group(2).equals("meta")) {
                        entry[1] = modified;
                        entry[2] = 1;
                    } else if (entry[2] == 0) {
                        entry[1] = Math.max(entry[1], modified);
                    }
                }
            } catch (IOException e) {
                throw failure("cannot list the entries", e);
            }
            List<CacheEntry> entries = new ArrayList<>();
            found.forEach((stem, entry) -> entries.add(new CacheEntry(stem, entry[0], entry[1])));
            return entries;
        }

        @Override
        public boolean evict(String other) {
            if (other.equals(name) || !ENTRY_FILE.matcher(other + ".sqsh").matches()) {
                throw new IllegalArgumentException("not an entry to evict: " + other);
            }
            try (FileChannel channel = open(lockFile(other)); FileLock held = channel.tryLock()) {
                if (held == null) {
                    return false;
                }
                deleteEntryFiles(other);
                return true;
            } catch (IOException e) {
                throw failure("cannot remove an entry", e);
            }
        }

        @Override
        public void close() {
            closeQuietly(entry);
            closeQuietly(shared);
            deleteUnusedLockFiles();
        }
    }

    private void deleteEntryFiles(String name) throws IOException {
        for (String suffix : List.of(".sqsh", ".meta", ".partial", ".meta.new")) {
            Files.deleteIfExists(file(name, suffix));
        }
    }

    /**
     * Lock files of entries that are gone, deleted while nobody holds or waits for any entry (the directory's lock held
     * exclusively, or not at all: then another process is busy, and a later one tidies up).
     */
    private void deleteUnusedLockFiles() {
        try (FileChannel channel = open(directory.resolve(DIRECTORY_LOCK)); FileLock alone = channel.tryLock()) {
            if (alone == null) {
                return;
            }
            Set<String> stems = new java.util.HashSet<>();
            List<Path> locks = new ArrayList<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
                for (Path path : files) {
                    Matcher matcher = ENTRY_FILE.matcher(path.getFileName().toString());
                    if (matcher.matches()) {
                        if (matcher.group(2).equals("lock")) {
                            locks.add(path);
                        } else {
                            stems.add(matcher.group(1));
                        }
                    }
                }
            }
            for (Path lock : locks) {
                String stem = lock.getFileName().toString();
                if (!stems.contains(stem.substring(0, stem.length() - ".lock".length()))) {
                    Files.deleteIfExists(lock);
                }
            }
        } catch (IOException | RuntimeException e) {
            // tidying is best effort: a lock file left over costs an inode
        }
    }

    private static FileChannel open(Path lockFile) throws IOException {
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        return FileChannel.open(lockFile, options, PRIVATE_FILE);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close(); // releases the channel's locks
            } catch (IOException ignored) {
                // nothing to be done
            }
        }
    }

    private static CacheException failure(String what, Exception e) {
        return new CacheException(what + ": " + reason(e), e);
    }

    static String reason(Exception e) {
        return e instanceof IOException io ? ProcContainerProcesses.reason(io) : String.valueOf(e.getMessage());
    }
}
