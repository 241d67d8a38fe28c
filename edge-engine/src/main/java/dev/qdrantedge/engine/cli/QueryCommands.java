package dev.qdrantedge.engine.cli;

import dev.qdrantedge.engine.EdgeException;
import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.filter.FilterParser;
import dev.qdrantedge.engine.query.CountRequest;
import dev.qdrantedge.engine.query.QueryExecutor;
import dev.qdrantedge.engine.query.QueryRequest;
import dev.qdrantedge.engine.query.RestRequests;
import dev.qdrantedge.engine.query.RestResponses;
import dev.qdrantedge.engine.shard.EdgeShard;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The read commands of the CLI: {@code search}, {@code query}, {@code count}, {@code scroll} and {@code facet}. Each takes a
 * shard directory and a JSON file ({@code -} for standard input) holding a Qdrant REST request body, and
 * prints the answer in Qdrant's REST response shape.
 */
final class QueryCommands {

    static final String USAGE = String.join("\n",
            "  search <shard-dir> <request.json>   a /points/search body (\"vector\") or /points/query body",
            "                                      (\"query\", \"using\"); exact nearest neighbours",
            "  query <shard-dir> <request.json>    a /points/query body: prefetch (nested), nearest, fusion",
            "                                      (rrf, dbsf), order_by, mmr, formula; {\"points\": [...]}",
            "  count <shard-dir> <filter.json>     a filter, or a /points/count body; the exact count",
            "  scroll <shard-dir> <request.json>   a /points/scroll body; one page of points in id order",
            "  facet <shard-dir> <request.json>    a /facet body; the most frequent values of a field",
            "  (request files may be '-' for standard input)");

    private static final Set<String> COMMANDS = Set.of("search", "query", "count", "scroll", "facet");
    private static final Set<String> COUNT_BODY_KEYS = Set.of("filter", "exact");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private QueryCommands() {
    }

    static boolean handles(String command) {
        return COMMANDS.contains(command);
    }

    static int run(String[] args, Writer out, PrintStream err, InputStream stdin) {
        if (args.length != 3) {
            err.println("usage: java -jar edge-engine-cli.jar " + args[0] + " <shard-dir> <request.json>\n"
                    + EdgeCli.USAGE);
            return 2;
        }
        Path dir = Path.of(args[1]);
        try {
            JsonNode body = read(args[2], stdin);
            long start = System.nanoTime();
            try (EdgeShard shard = EdgeShard.load(dir)) {
                JsonNode result;
                switch (args[0]) {
                    case "search": {
                        QueryRequest request = RestRequests.parseSearchOrQuery(body);
                        result = RestResponses.searchResult(QueryExecutor.run(shard, request), request.queryApi());
                        break;
                    }
                    case "query":
                        result = RestResponses.searchResult(QueryExecutor.run(shard,
                                RestRequests.parseQuery(body)), true);
                        break;
                    case "count":
                        result = RestResponses.countResult(shard.count(countFilter(body)));
                        break;
                    case "scroll":
                        result = RestResponses.scrollResult(shard.scroll(RestRequests.parseScroll(body)));
                        break;
                    default:
                        result = RestResponses.facetResult(shard.facet(RestRequests.parseFacet(body)));
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                out.write(JSON.writeValueAsString(RestResponses.envelope(result, seconds)));
                out.write('\n');
            }
            out.flush();
            return 0;
        } catch (EdgeException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    /** A count body ({@code filter}, {@code exact}) or a bare filter. */
    private static Filter countFilter(JsonNode body) {
        if (body.isObject() && !body.isEmpty() && COUNT_BODY_KEYS.containsAll(List.copyOf(body.propertyNames()))) {
            CountRequest request = RestRequests.parseCount(body);
            return request.filter();
        }
        return FilterParser.parse(body, "filter");
    }

    private static JsonNode read(String source, InputStream stdin) throws IOException {
        try {
            if (source.equals("-")) {
                return JSON.readTree(stdin.readAllBytes());
            }
            return JSON.readTree(Files.readAllBytes(Path.of(source)));
        } catch (NoSuchFileException e) {
            throw new IOException(source + ": no such file", e);
        } catch (JacksonException e) {
            throw new IOException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
