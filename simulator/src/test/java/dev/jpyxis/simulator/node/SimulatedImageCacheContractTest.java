package dev.jpyxis.simulator.node;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.port.out.CacheKey;
import dev.jpyxis.domain.port.out.ImageCache;
import dev.jpyxis.domain.port.out.ImageCacheContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The simulated image cache keeps the contract the file adapter keeps, so the simulator cannot drift. */
class SimulatedImageCacheContractTest extends ImageCacheContract {

    private FileSystem fileSystem;
    private Path root;
    private SimulatedKernel kernel;
    private SimulatedImageCache cache;
    private final Map<String, Long> locks = new HashMap<>();
    private SimulatedKernel.Process holder;
    private long clock;

    @BeforeEach
    void node() {
        fileSystem = Jimfs.newFileSystem(Configuration.unix());
        root = fileSystem.getPath("/");
        kernel = new SimulatedKernel(root);
        SimulatedRuntime runtime = new SimulatedRuntime(SimulatedRuntime.ENROOT, root, kernel, Map.of());
        cache = cacheOf(kernel.spawn(1000, Environment.empty(), "/"), runtime);
    }

    private SimulatedImageCache cacheOf(SimulatedKernel.Process engine, SimulatedRuntime runtime) {
        return new SimulatedImageCache(root.resolve("var/tmp/jpyxis-cache/1000"), "/var/tmp/jpyxis-cache/1000",
                kernel, engine, locks, runtime, () -> ++clock);
    }

    @AfterEach
    void close() throws IOException {
        fileSystem.close();
    }

    @Override
    protected ImageCache cache() {
        return cache;
    }

    private Path host(String path) {
        return DiskFiles.inside(root, path);
    }

    @Override
    protected void importInto(String path, String content) {
        SquashfsFiles.write(host(path), new SimulatedImage(Map.of("/content", content), Map.of(), "/", Map.of(),
                List.of()));
    }

    @Override
    protected String contentOf(String path) {
        SimulatedImage image = SquashfsFiles.read(host(path));
        return image == null ? null : image.files().get("/content");
    }

    @Override
    protected void truncate(String path) {
        try {
            Files.writeString(host(path), SquashfsFiles.MAGIC + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void scramble(String path) {
        try {
            Files.writeString(host(path), "X" + Files.readString(host(path)).substring(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void holdElsewhere(CacheKey key) {
        holder = kernel.spawn(1000, Environment.empty(), "/");
        cache.holdAs(holder, key);
    }

    @Override
    protected void killHolder() {
        if (holder != null) {
            kernel.exit(holder, 137);
            holder = null;
        }
    }
}
