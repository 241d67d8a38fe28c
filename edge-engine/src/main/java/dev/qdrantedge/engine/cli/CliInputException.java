package dev.qdrantedge.engine.cli;

import dev.qdrantedge.engine.EdgeException;

/** Input the command line was given (a configuration or points file) that it cannot use; the message says where. */
final class CliInputException extends EdgeException {

    private static final long serialVersionUID = 1L;

    CliInputException(String message) {
        super(message);
    }
}
