package io.github.yototokenkeeper.oauth;

import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * A text field of a server's JSON answer, read leniently: a string or any other scalar as its text, an object or an
 * array as absent. Bound strictly, one odd field (a {@code token_type} object) would fail the whole answer and lose
 * the rotated refresh token in it.
 */
public final class LenientText extends JsonDeserializer<String> {

    @Override
    public String deserialize(com.fasterxml.jackson.core.JsonParser parser, DeserializationContext context) throws IOException {
        JsonNode value = context.readTree(parser);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    @Override
    public String getNullValue(DeserializationContext context) {
        return null;
    }
}
