package dev.jpyxis.adapters.linux;

import dev.jpyxis.domain.port.out.CacheKey;
import dev.jpyxis.domain.port.out.ImageCache;

/**
 * Another process of the user: holds one cache entry, says so on its output, and waits to be killed
 * ({@code EntryHolder ROOT UID RUNTIME DIGEST}).
 */
public final class EntryHolder {

    private EntryHolder() {
    }

    public static void main(String[] args) throws InterruptedException {
        FileImageCache cache = new FileImageCache(java.nio.file.Path.of(args[0]), Long.parseLong(args[1]));
        ImageCache.EntryLock entry = cache.lock(new CacheKey(args[2], args[3]));
        System.out.println("holding " + entry.name());
        System.out.flush();
        Thread.sleep(120_000);
    }
}
