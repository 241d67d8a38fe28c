package dev.qdrantedge.engine.search;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pool exact searches run their scans on: one per JVM, as many daemon threads as processors, created
 * on first use. Several searches share it; a scan's tasks never wait for each other, so callers on the
 * pool's own threads do not deadlock.
 */
final class SearchExecutor {

    private static final AtomicInteger THREADS = new AtomicInteger();

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
        return Math.max(1, Runtime.getRuntime().availableProcessors());
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
