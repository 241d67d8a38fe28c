package dev.qdrantedge.engine.search;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pool exact searches run their scans on: one per JVM, as many daemon threads as processors (or as the
 * system property {@value #THREADS_PROPERTY} says, read once), created on first use. Several searches share
 * it; a scan's tasks never wait for each other, so callers on the pool's own threads do not deadlock. With one
 * thread, scans run on the calling thread.
 */
final class SearchExecutor {

    /** System property: the number of threads one search uses (default: the number of processors). */
    static final String THREADS_PROPERTY = "qdrant.edge.search.threads";

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final int PARALLELISM = configuredParallelism();

    private SearchExecutor() {
    }

    private static final class Holder {
        static final ForkJoinPool POOL = new ForkJoinPool(parallelism(), pool -> {
            ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            thread.setName("qdrant-edge-search-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }, null, false);
    }

    /** Threads available to one search. */
    static int parallelism() {
        return PARALLELISM;
    }

    private static int configuredParallelism() {
        int processors = Math.max(1, Runtime.getRuntime().availableProcessors());
        String configured = System.getProperty(THREADS_PROPERTY);
        if (configured == null || configured.isBlank()) {
            return processors;
        }
        try {
            int threads = Integer.parseInt(configured.trim());
            if (threads >= 1) {
                return threads;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        System.getLogger(SearchExecutor.class.getName()).log(System.Logger.Level.WARNING,
                THREADS_PROPERTY + "=" + configured + " is not a positive integer; using " + processors);
        return processors;
    }

    /** Runs the tasks, in parallel where there are several, and returns their results in order. */
    static <T> List<T> runAll(List<Callable<T>> tasks) {
        if (tasks.size() <= 1 || parallelism() == 1) {
            List<T> out = new ArrayList<>(tasks.size());
            for (Callable<T> task : tasks) {
                out.add(call(task));
            }
            return out;
        }
        List<ForkJoinTask<T>> forks = new ArrayList<>(tasks.size());
        for (Callable<T> task : tasks) {
            forks.add(ForkJoinTask.adapt(() -> call(task)));
        }
        Holder.POOL.invoke(ForkJoinTask.adapt(() -> ForkJoinTask.invokeAll(forks)));
        List<T> out = new ArrayList<>(forks.size());
        for (ForkJoinTask<T> fork : forks) {
            out.add(fork.join());
        }
        return out;
    }

    private static <T> T call(Callable<T> task) {
        try {
            return task.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
