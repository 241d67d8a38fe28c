package dev.qdrantedge.engine.wal;

/** A record's CBOR does not have the expected shape; the message says where. Turned into an EdgeFormatException. */
final class WalDecodeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    WalDecodeException(String message) {
        super(message);
    }

    WalDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
