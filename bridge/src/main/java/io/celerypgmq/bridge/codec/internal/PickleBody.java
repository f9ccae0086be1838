package io.celerypgmq.bridge.codec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.celerypgmq.bridge.codec.PicklePolicy;
import io.celerypgmq.bridge.codec.UndecodableMessageException.Reason;
import java.io.IOException;

/**
 * A pickle body, read by {@link SafeUnpickler}: data only, nothing executed. Python strings holding lone surrogates
 * (pickled with {@code surrogatepass}) come out with U+FFFD in their place.
 */
public final class PickleBody {
    private PickleBody() {}

    public static JsonNode decode(byte[] bytes, PicklePolicy policy, long nodeBudget) {
        Object value;
        try {
            value = new SafeUnpickler(policy, bytes.length).read(bytes);
        } catch (BodyException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BodyException(Reason.BAD_BODY, "pickle body does not load: " + e.getMessage(), e);
        }
        return NaturalJson.convert(value, nodeBudget);
    }
}
