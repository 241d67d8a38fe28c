package dev.qdrantedge.engine.io;

import dev.qdrantedge.engine.EdgeFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reading Qdrant's JSON files; every failure names the file. */
public final class JsonFiles {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JsonFiles() {
    }

    /** Parses a whole JSON file; a missing file or invalid JSON is an error naming it. */
    public static JsonNode readTree(Path file) {
        try {
            return JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new EdgeFormatException(file, "file is missing", e);
        } catch (IOException | JacksonException e) {
            throw new EdgeFormatException(file, "cannot parse: " + e.getMessage(), e);
        }
    }
}
