package dev.qdrantedge.engine.sync;

import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Counts the bytes of one download and logs how far it is, every so many bytes or seconds, so that a large
 * download shows it is alive. A download that never reached either threshold logs only its end, and that at
 * {@code DEBUG}.
 */
final class DownloadProgress {

    private final System.Logger log;
    private final URI uri;
    private final long announced;
    private final long everyBytes;
    private final long everyNanos;
    private final long startNanos;
    private long bytes;
    private long lastLoggedBytes;
    private long lastLoggedNanos;
    private boolean logged;

    /** @param announced the Content-Length, or -1 when the server streams without one */
    DownloadProgress(System.Logger log, URI uri, long announced, long everyBytes, Duration every) {
        this.log = log;
        this.uri = uri;
        this.announced = announced;
        this.everyBytes = everyBytes;
        this.everyNanos = every.toNanos();
        this.startNanos = System.nanoTime();
        this.lastLoggedNanos = startNanos;
    }

    long bytes() {
        return bytes;
    }

    void add(long count) {
        bytes += count;
        long now = System.nanoTime();
        if (bytes - lastLoggedBytes >= everyBytes || now - lastLoggedNanos >= everyNanos) {
            lastLoggedBytes = bytes;
            lastLoggedNanos = now;
            logged = true;
            log.log(Level.INFO, () -> "snapshot download from " + uri + ": " + size(bytes)
                    + (announced >= 0 ? " of " + size(announced) : "") + " so far, " + rate(now));
        }
    }

    void finished() {
        long now = System.nanoTime();
        log.log(logged ? Level.INFO : Level.DEBUG, () -> "snapshot download from " + uri + " complete: "
                + size(bytes) + " in " + seconds(now - startNanos) + ", " + rate(now));
    }

    private String rate(long now) {
        double elapsed = Math.max(1, now - startNanos) / 1e9;
        return size((long) (bytes / elapsed)) + "/s";
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /** Bytes in the largest binary unit that keeps the number at least 1, one decimal. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
