package dev.qdrantedge.engine.index.hnsw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.compat.SharedFixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HNSW files of real Qdrant 1.16 server storages (the shared fixtures) decode into well-formed graphs;
 * the plain links form reads the same lists as the compressed one; links held in memory decode as the mapped
 * ones do; damaged files are refused naming them.
 */
class GraphFilesTest {

    @TempDir
    Path temp;

    /** Every {@code vector_index*} directory with a graph in the fixtures that have HNSW segments. */
    static List<Path> fixtureIndexes() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String fixture : List.of("vnpt-v1.16-hnsw-mmap-payloadidx", "skn21-v1.16-appendable+hnsw")) {
            try (Stream<Path> files = Files.walk(SharedFixtures.require().resolve(fixture))) {
                files.filter(p -> p.getFileName().toString().equals(GraphLayerData.FILE))
                        .map(Path::getParent).sorted().forEach(out::add);
            }
        }
        return out;
    }

    @Test
    void fixtureGraphsHoldTheStructureQdrantBuilds() throws IOException {
        List<Path> indexes = fixtureIndexes();
        assertThat(indexes).hasSizeGreaterThanOrEqualTo(10);
        long lists = 0;
        for (Path dir : indexes) {
            HnswGraph graph = HnswGraph.open(dir);
            assertThat(graph).as(dir.toString()).isNotNull();
            lists += checkInvariants(graph);
        }
        assertThat(lists).isGreaterThan(10_000);
    }

    /** Checks a graph's structure; returns the number of lists read. */
    static long checkInvariants(HnswGraph graph) {
        GraphLinks links = graph.links();
        HnswGraphConfig config = graph.config();
        GraphLayerData data = graph.data();
        String where = graph.directory().toString();
        assertThat(data.m()).as(where).isEqualTo(config.m());
        assertThat(data.m0()).as(where).isEqualTo(config.m0());
        assertThat(data.efConstruct()).as(where).isEqualTo(config.efConstruct());
        if (config.indexedVectorCount() != null) {
            assertThat((long) links.pointCount()).as(where).isGreaterThanOrEqualTo(config.indexedVectorCount());
        }
        assertThat(data.entryPoints()).as(where).isNotEmpty();
        EntryPoint top = data.entryPoints().get(0);
        assertThat(links.levelCount()).as(where).isEqualTo(top.level() + 1);
        for (EntryPoint ep : data.entryPoints()) {
            assertThat(links.pointLevel(ep.pointId())).as(where + " entry point " + ep).isEqualTo(ep.level());
        }
        for (EntryPoint ep : data.extraEntryPoints()) {
            assertThat(links.pointLevel(ep.pointId())).as(where + " extra entry point " + ep).isEqualTo(ep.level());
        }
        boolean payloadLinks = config.payloadM() != null && config.payloadM() > 0;
        int[] perLevel = new int[links.levelCount()];
        GraphLinks.Cursor cursor = links.cursor();
        long read = 0;
        long linked = 0;
        for (int p = 0; p < links.pointCount(); p++) {
            int level = links.pointLevel(p);
            perLevel[level]++;
            for (int l = 0; l <= level; l++) {
                cursor.load(p, l);
                read++;
                int limit = l == 0 ? config.m0() : config.m();
                if (!payloadLinks) {
                    assertThat(cursor.count()).as(where + " degree of " + p + " on level " + l).isLessThanOrEqualTo(limit);
                }
                java.util.BitSet seen = new java.util.BitSet();
                for (int i = 0; i < cursor.count(); i++) {
                    int link = cursor.link(i);
                    assertThat(link).as(where + " link of " + p).isBetween(0, links.pointCount() - 1);
                    assertThat(link).as(where + " self link").isNotEqualTo(p);
                    assertThat(links.pointLevel(link)).as(where + " link level").isGreaterThanOrEqualTo(l);
                    assertThat(seen.get(link)).as(where + " duplicate link " + link + " of " + p).isFalse();
                    seen.set(link);
                }
                linked += cursor.count();
            }
        }
        for (int l = 0; l < links.levelCount(); l++) {
            long reaching = 0;
            for (int k = l; k < perLevel.length; k++) {
                reaching += perLevel[k];
            }
            assertThat(links.pointsOnLevel(l)).as(where + " points on level " + l).isEqualTo(reaching);
        }
        if (links.pointCount() > 1) {
            assertThat(linked).as(where + " links").isGreaterThan(0);
        }
        return read;
    }

    @Test
    void plainLinksReadTheSameListsAsCompressedOnes() throws IOException {
        Path source = fixtureIndexes().get(0);
        HnswGraph compressed = HnswGraph.open(source);
        assertThat(compressed.links().format()).isEqualTo(LinksFormat.COMPRESSED);
        Path copy = temp.resolve("plain");
        Files.createDirectories(copy);
        Files.copy(source.resolve(GraphLayerData.FILE), copy.resolve(GraphLayerData.FILE));
        Files.copy(source.resolve(HnswGraphConfig.FILE), copy.resolve(HnswGraphConfig.FILE));
        Files.write(copy.resolve(LinksFormat.PLAIN.fileName()), PlainLinksWriter.write(compressed.links()));
        HnswGraph plain = HnswGraph.open(copy);
        assertThat(plain.links().format()).isEqualTo(LinksFormat.PLAIN);
        checkInvariants(plain);
        GraphLinks.Cursor a = compressed.links().cursor();
        GraphLinks.Cursor b = plain.links().cursor();
        for (int p = 0; p < compressed.links().pointCount(); p++) {
            assertThat(plain.links().pointLevel(p)).isEqualTo(compressed.links().pointLevel(p));
            for (int l = 0; l <= compressed.links().pointLevel(p); l++) {
                a.load(p, l);
                b.load(p, l);
                assertThat(ids(b)).as("point " + p + " level " + l).containsExactly(ids(a));
            }
        }
    }

    @Test
    void linksHeldInMemoryDecodeAsTheMappedOnes() throws IOException {
        long lists = 0;
        for (Path dir : fixtureIndexes()) {
            HnswGraph mapped = HnswGraph.open(dir);
            HnswGraph inRam = HnswGraph.open(dir, true);
            assertThat(mapped.links().inMemory()).isFalse();
            assertThat(inRam.links().inMemory()).as(dir.toString()).isTrue();
            lists += checkSameLists(mapped.links(), inRam.links());
        }
        assertThat(lists).isGreaterThan(10_000);
    }

    /** Asserts that both read the same lists; returns how many were compared. */
    static long checkSameLists(GraphLinks expected, GraphLinks actual) {
        assertThat(actual.pointCount()).isEqualTo(expected.pointCount());
        GraphLinks.Cursor a = expected.cursor();
        GraphLinks.Cursor b = actual.cursor();
        long compared = 0;
        for (int p = 0; p < expected.pointCount(); p++) {
            for (int l = 0; l <= expected.pointLevel(p); l++) {
                a.load(p, l);
                b.load(p, l);
                assertThat(ids(b)).as("point " + p + " level " + l).containsExactly(ids(a));
                compared++;
            }
        }
        return compared;
    }

    @Test
    void offsetsOutOfOrderAreRefusedWhenLinksAreLoadedIntoMemory() throws IOException {
        Path dir = copyIndex(fixtureIndexes().get(0));
        Path linksFile = dir.resolve(LinksFormat.COMPRESSED.fileName());
        byte[] bytes = Files.readAllBytes(linksFile);
        // the compressed offsets end the file, before 7 bytes of 0xFF: raise the last chunk's bits so that
        // some offset leaves the neighbour lists or drops below its predecessor
        for (int i = bytes.length - 7 - 12; i < bytes.length - 7; i++) {
            bytes[i] = (byte) 0xFF;
        }
        Files.write(linksFile, bytes);
        assertThatThrownBy(() -> HnswGraph.open(dir, true)).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining(linksFile.toString()).hasMessageContaining("neighbour list offset");
    }

    static int[] ids(GraphLinks.Cursor cursor) {
        int[] out = new int[cursor.count()];
        for (int i = 0; i < out.length; i++) {
            out[i] = cursor.link(i);
        }
        return out;
    }

    @Test
    void truncatedLinksFileIsRefusedNamingIt() throws IOException {
        Path dir = copyIndex(fixtureIndexes().get(0));
        Path links = dir.resolve(LinksFormat.COMPRESSED.fileName());
        byte[] bytes = Files.readAllBytes(links);
        Files.write(links, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        assertThatThrownBy(() -> HnswGraph.open(dir)).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining(links.toString()).hasMessageContaining("truncated");
        Files.write(links, java.util.Arrays.copyOf(bytes, 40));
        assertThatThrownBy(() -> HnswGraph.open(dir)).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining(links.toString());
    }

    @Test
    void wrongHeaderVersionIsRefusedNamingTheFile() throws IOException {
        Path dir = copyIndex(fixtureIndexes().get(0));
        Path links = dir.resolve(LinksFormat.COMPRESSED.fileName());
        byte[] bytes = Files.readAllBytes(links);
        bytes[8] = 0x02;
        Files.write(links, bytes);
        assertThatThrownBy(() -> HnswGraph.open(dir)).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining(links.toString()).hasMessageContaining("header version");
    }

    @Test
    void corruptNeighbourListIsRefusedWhenRead() throws IOException {
        Path dir = copyIndex(fixtureIndexes().get(0));
        Path linksFile = dir.resolve(LinksFormat.COMPRESSED.fileName());
        HnswGraph graph = HnswGraph.open(dir);
        int points = graph.links().pointCount();
        long levels = graph.links().levelCount();
        // the first list starts after the header, the level offsets and the reindex: make its sorted width
        // 32 bits, so that its deltas add up beyond the point count
        long first = 64 + 8 * levels + 4L * points;
        byte[] bytes = Files.readAllBytes(linksFile);
        for (int i = 0; i < 40; i++) {
            bytes[(int) first + i] = (byte) 0xFF;
        }
        Files.write(linksFile, bytes);
        for (boolean inRam : new boolean[] {false, true}) {
            GraphLinks.Cursor cursor = HnswGraph.open(dir, inRam).links().cursor();
            assertThatThrownBy(() -> cursor.load(0, 0)).as("in memory: " + inRam)
                    .isInstanceOf(EdgeFormatException.class).hasMessageContaining(linksFile.toString())
                    .hasMessageContaining("beyond the " + points + " points");
        }
    }

    @Test
    void graphFileWithWrongLengthIsRefusedNamingIt() throws IOException {
        Path dir = copyIndex(fixtureIndexes().get(0));
        Path graph = dir.resolve(GraphLayerData.FILE);
        byte[] bytes = Files.readAllBytes(graph);
        Files.write(graph, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        assertThatThrownBy(() -> HnswGraph.open(dir)).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining(graph.toString());
        Files.write(graph, java.util.Arrays.copyOf(bytes, bytes.length + 1));
        assertThatThrownBy(() -> HnswGraph.open(dir)).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining(graph.toString()).hasMessageContaining("unexpected bytes");
    }

    @Test
    void directoryWithoutGraphIsNoIndex() throws IOException {
        assertThat(HnswGraph.open(temp)).isNull();
        Path dir = copyIndex(fixtureIndexes().get(0));
        Files.delete(dir.resolve(LinksFormat.COMPRESSED.fileName()));
        assertThatThrownBy(() -> HnswGraph.open(dir)).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("no links file");
    }

    private Path copyIndex(Path source) throws IOException {
        Path dir = Files.createTempDirectory(temp, "index");
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.toList()) {
                Path target = dir.resolve(f.getFileName());
                Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
                target.toFile().setWritable(true);
            }
        }
        return dir;
    }

    /** Writes a graph's lists in the plain form, laid out as Qdrant's serializer lays it out. */
    static final class PlainLinksWriter {

        static byte[] write(GraphLinks links) {
            int points = links.pointCount();
            int levels = links.levelCount();
            // points by descending top level (stable): the reindex
            Integer[] order = new Integer[points];
            for (int i = 0; i < points; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (x, y) -> Integer.compare(links.pointLevel(y), links.pointLevel(x)));
            int[] reindex = new int[points];
            for (int i = 0; i < points; i++) {
                reindex[order[i]] = i;
            }
            List<int[]> lists = new ArrayList<>();
            long[] levelOffsets = new long[levels];
            GraphLinks.Cursor cursor = links.cursor();
            for (int l = 0; l < levels; l++) {
                levelOffsets[l] = lists.size();
                long onLevel = links.pointsOnLevel(l);
                for (int i = 0; i < onLevel; i++) {
                    int p = l == 0 ? i : order[i];
                    cursor.load(p, l);
                    lists.add(ids(cursor));
                }
            }
            long neighbors = lists.stream().mapToLong(a -> a.length).sum();
            long beforeOffsets = 64 + 8L * levels + 4L * points + 4 * neighbors;
            int padding = (int) ((8 - beforeOffsets % 8) % 8);
            ByteBuffer out = ByteBuffer.allocate((int) (beforeOffsets + padding + 8L * (lists.size() + 1)))
                    .order(ByteOrder.LITTLE_ENDIAN);
            out.putLong(points).putLong(levels).putLong(neighbors).putLong(lists.size() + 1).putLong(padding);
            out.put(new byte[24]);
            for (long o : levelOffsets) {
                out.putLong(o);
            }
            for (int r : reindex) {
                out.putInt(r);
            }
            for (int[] list : lists) {
                for (int link : list) {
                    out.putInt(link);
                }
            }
            out.put(new byte[padding]);
            long offset = 0;
            out.putLong(offset);
            for (int[] list : lists) {
                offset += list.length;
                out.putLong(offset);
            }
            return out.array();
        }
    }
}
