package dev.qdrantedge.spring.boot.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Matches when {@code qdrant.edge.server.url} or {@code qdrant.edge.server.host} has a value (blank counts as
 * unset, as {@link EdgeProperties.Server#hasAddress()} has it).
 */
class OnServerAddressCondition extends SpringBootCondition {

    private static final String URL = EdgeProperties.PREFIX + ".server.url";
    private static final String HOST = EdgeProperties.PREFIX + ".server.host";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Binder binder = Binder.get(context.getEnvironment());
        for (String property : new String[] {URL, HOST}) {
            String value = binder.bind(property, String.class).orElse(null);
            if (StringUtils.hasText(value)) {
                return ConditionOutcome.match(property + " is set");
            }
        }
        return ConditionOutcome.noMatch("neither " + URL + " nor " + HOST + " is set");
    }
}
