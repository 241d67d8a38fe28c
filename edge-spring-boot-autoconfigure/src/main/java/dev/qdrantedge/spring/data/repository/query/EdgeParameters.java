package dev.qdrantedge.spring.data.repository.query;

import java.util.List;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.data.core.TypeInformation;
import org.springframework.data.domain.Range;
import org.springframework.data.domain.Score;
import org.springframework.data.repository.query.Parameter;
import org.springframework.data.repository.query.Parameters;
import org.springframework.data.repository.query.ParametersSource;

/**
 * The parameters of an edge query method. Besides Spring Data's special parameters ({@code Pageable},
 * {@code Sort}, {@code Limit}), a {@link Score} and a {@code Range<Score>} are special here: they set a vector
 * search's score threshold or range and are not bound to a part of the method name. A {@code Vector} is
 * bound, to the {@code Near}/{@code Within} part.
 */
public class EdgeParameters extends Parameters<EdgeParameters, EdgeParameters.EdgeParameter> {

    public EdgeParameters(ParametersSource source) {
        super(source, parameter -> new EdgeParameter(parameter, source.getDomainTypeInformation()));
    }

    private EdgeParameters(List<EdgeParameter> parameters) {
        super(parameters);
    }

    @Override
    protected EdgeParameters createFrom(List<EdgeParameter> parameters) {
        return new EdgeParameters(parameters);
    }

    /** A parameter of an edge query method. */
    public static class EdgeParameter extends Parameter {

        private final boolean scoring;

        protected EdgeParameter(MethodParameter parameter, TypeInformation<?> domainType) {
            super(parameter, domainType);
            Class<?> type = parameter.getParameterType();
            this.scoring = Score.class.isAssignableFrom(type) || (Range.class.isAssignableFrom(type)
                    && Score.class.isAssignableFrom(ResolvableType.forMethodParameter(parameter).getGeneric(0)
                    .toClass()));
        }

        /** Whether this is a {@link Score} or {@code Range<Score>} parameter. */
        public boolean isScoring() {
            return scoring;
        }

        @Override
        public boolean isSpecialParameter() {
            return super.isSpecialParameter() || scoring;
        }
    }
}
