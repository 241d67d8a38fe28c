package dev.qdrantedge.engine.gridstore;

import dev.qdrantedge.engine.compat.SharedFixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.vectors.DynamicStoredFlags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Gridstores written by real Qdrant servers (1.14 to 1.18), from the shared fixture collection. Their page
 * files are absent (too large for the source repositories), but config, tracker and bitmask are byte-exact:
 * every gridstore's config and tracker must read, every tracked value must lie on blocks the bitmask marks
 * used, and opening the store must fail with an error naming the absent page file.
 *
 * <p>The fixtures are found by {@link SharedFixtures}; without them the test is
 * skipped, saying why.
 */
class ServerFixtureGridstoreTest {

    @Test
    void everyFixtureGridstoreReadsAndNamesItsMissingPage() throws IOException {
        Path fixtures = fixturesDir();
        List<Path> stores = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(fixtures)) {
            walk.filter(p -> Files.isRegularFile(p.resolve("config.json")))
                    .filter(p -> p.getFileName().toString().equals("payload_storage")
                            || p.getFileName().toString().equals("store")
                                    && p.getParent().getFileName().toString().startsWith("vector_storage-"))
                    .sorted().forEach(stores::add);
        }
        assertThat(stores).as("gridstores under " + fixtures).hasSizeGreaterThan(20);

        int pointers = 0;
        for (Path store : stores) {
            GridstoreConfig config = GridstoreConfig.read(store);
            GridstoreTracker tracker = GridstoreTracker.open(store);
            byte[] bitmask = Files.readAllBytes(store.resolve("bitmask.dat"));
            long blocks = (long) bitmask.length * 8;
            for (int offset = 0; offset < tracker.pointerCount(); offset++) {
                ValuePointer pointer = tracker.pointer(offset);
                if (pointer == null) {
                    continue;
                }
                pointers++;
                long first = pointer.pageId() * config.blocksPerPage() + pointer.blockOffset();
                long count = (pointer.length() + config.blockSizeBytes() - 1) / config.blockSizeBytes();
                assertThat(first + count).as("%s offset %s within the bitmask", store, offset).isLessThanOrEqualTo(blocks);
                for (long b = first; b < first + count; b++) {
                    assertThat(bitmask[(int) (b / 8)] >> (b % 8) & 1).as("%s offset %s block %s used", store, offset, b)
                            .isEqualTo(1);
                }
            }
            if (store.getFileName().toString().equals("store")) {
                DynamicStoredFlags.open(store.resolveSibling("deleted"));
            }

            Path page = store.resolve("page_0.dat");
            if (Files.exists(page)) {
                Gridstore.open(store).close();
                continue;
            }
            assertThat(missingBlobs(fixtures, store)).as("absence of %s is documented", page)
                    .contains(page.toAbsolutePath().normalize());
            assertThatThrownBy(() -> Gridstore.open(store)).isInstanceOf(EdgeFormatException.class)
                    .hasMessageContaining("page_0.dat").hasMessageContaining("missing")
                    .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(page);
        }
        assertThat(pointers).as("tracked values across all fixtures").isGreaterThan(1000);
    }

    private static Path fixturesDir() {
        return SharedFixtures.require();
    }

    /** The absolute paths listed in the fixture's MISSING_BLOBS.tsv. */
    private static Set<Path> missingBlobs(Path fixtures, Path store) throws IOException {
        Path fixture = fixtures.resolve(fixtures.relativize(store).getName(0));
        Set<Path> missing = new HashSet<>();
        Path list = fixture.resolve("MISSING_BLOBS.tsv");
        if (Files.isRegularFile(list)) {
            for (String line : Files.readAllLines(list)) {
                if (!line.isBlank()) {
                    missing.add(fixture.resolve(line.split("\t")[0]).toAbsolutePath().normalize());
                }
            }
        }
        return missing;
    }
}
