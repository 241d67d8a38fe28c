package dev.qdrantedge.demo.notes;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Turns the API's refusals into RFC 9457 problem documents ({@code application/problem+json}) whose
 * {@code detail} says what is wrong and whose {@code field} names the request field or parameter at fault:
 * <pre>{"detail":"text: must not be blank","instance":"/api/notes","status":400,"title":"Bad Request",
 * "field":"text"}</pre>
 */
@RestControllerAdvice
public class ApiErrors {

    @ExceptionHandler(InvalidRequestException.class)
    ProblemDetail invalid(InvalidRequestException e) {
        return badRequest(e.getMessage(), e.field());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail mismatch(MethodArgumentTypeMismatchException e) {
        String expected = e.getRequiredType() == null ? "another value" : switch (e.getRequiredType().getSimpleName()) {
            case "UUID" -> "a UUID such as 3f2c7a1e-5b7d-4c1e-9a55-0c2d8e4b6f10";
            case "Integer", "int" -> "a whole number";
            default -> "a " + e.getRequiredType().getSimpleName();
        };
        return badRequest(e.getName() + ": '" + e.getValue() + "' is not " + expected, e.getName());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        return badRequest("the body is not a note: expected JSON such as {\"title\": \"…\", \"text\": \"…\", "
                + "\"tags\": [\"…\"]}", "body");
    }

    @ExceptionHandler(NoteNotFoundException.class)
    ProblemDetail notFound(NoteNotFoundException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    private static ProblemDetail badRequest(String detail, String field) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setProperty("field", field);
        return problem;
    }
}
