package dev.qdrantedge.engine.vectors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Encodes already preprocessed float values into the little-endian element bytes a storage keeps. */
final class VectorEncoding {

    private VectorEncoding() {
    }

    /**
     * The stored bytes of {@code values}: float32 as is, float16 rounded to nearest even, uint8 as Rust's
     * {@code f32 as u8} converts (toward zero, saturating at 0 and 255, NaN to 0).
     */
    static byte[] encode(float[] values, VectorDatatype type) {
        ByteBuffer out = ByteBuffer.allocate(values.length * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case FLOAT32:
                for (float v : values) {
                    out.putFloat(v);
                }
                break;
            case FLOAT16:
                for (float v : values) {
                    out.putShort(Float16.fromFloat(v));
                }
                break;
            case UINT8:
                for (float v : values) {
                    out.put((byte) toUint8(v));
                }
                break;
            default:
                throw new IllegalArgumentException("unsupported datatype " + type);
        }
        return out.array();
    }

    static int toUint8(float v) {
        if (Float.isNaN(v) || v <= 0f) {
            return 0;
        }
        if (v >= 255f) {
            return 255;
        }
        return (int) v;
    }
}
