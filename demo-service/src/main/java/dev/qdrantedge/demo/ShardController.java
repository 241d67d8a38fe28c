package dev.qdrantedge.demo;

import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.ShardInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** What the local shard holds. */
@RestController
@RequestMapping("/api/shard")
public class ShardController {

    private final EdgeShard shard;

    public ShardController(EdgeShard shard) {
        this.shard = shard;
    }

    @GetMapping
    public Map<String, Object> info() {
        ShardInfo info = shard.info();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("path", shard.directory().toAbsolutePath().toString());
        body.put("segments", info.segmentsCount());
        body.put("points", info.pointsCount());
        return body;
    }
}
