package dev.qdrantedge.engine.vectors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Decodes stored vector elements into floats, as Qdrant converts them when it returns vectors. */
final class VectorElements {

    private VectorElements() {
    }

    /**
     * Decodes {@code count} elements of {@code type} from the start of {@code bytes} (little-endian):
     * float32 as is, float16 exactly widened, uint8 as the unsigned byte value (0..255).
     */
    static float[] decode(ByteBuffer bytes, VectorDatatype type, int count) {
        ByteBuffer in = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[count];
        switch (type) {
            case FLOAT32:
                in.asFloatBuffer().get(out);
                break;
            case FLOAT16:
                for (int i = 0; i < count; i++) {
                    out[i] = Float16.toFloat(in.getShort(in.position() + 2 * i));
                }
                break;
            case UINT8:
                for (int i = 0; i < count; i++) {
                    out[i] = in.get(in.position() + i) & 0xFF;
                }
                break;
            default:
                throw new IllegalArgumentException("unsupported datatype " + type);
        }
        return out;
    }

    /**
     * Decodes {@code count} elements of {@code type} from the start of {@code bytes} into {@code out} at
     * {@code outOffset}, as {@link #decode(ByteBuffer, VectorDatatype, int)} does.
     */
    static void decodeInto(ByteBuffer bytes, VectorDatatype type, int count, float[] out, int outOffset) {
        ByteBuffer in = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int base = in.position();
        switch (type) {
            case FLOAT32:
                in.asFloatBuffer().get(out, outOffset, count);
                break;
            case FLOAT16:
                for (int i = 0; i < count; i++) {
                    out[outOffset + i] = Float16.toFloat(in.getShort(base + 2 * i));
                }
                break;
            case UINT8:
                for (int i = 0; i < count; i++) {
                    out[outOffset + i] = in.get(base + i) & 0xFF;
                }
                break;
            default:
                throw new IllegalArgumentException("unsupported datatype " + type);
        }
    }
}
