package dev.usersapi.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON factory of the service (Jackson's streaming core, no data binding): strict on input (duplicate keys,
 * nesting, number and string lengths; trailing data through {@link #requireEnd}), plain on output.
 */
public final class Json {
    public static final String MEDIA_TYPE = "application/json";
    public static final String PROBLEM_MEDIA_TYPE = "application/problem+json";

    public static final JsonFactory FACTORY = JsonFactory.builder()
            // A request body is small; nothing legitimate nests deeply or carries huge numbers.
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(32)
                    .maxNumberLength(64)
                    .maxStringLength(64 * 1024)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // Jackson's default pool keeps buffers per thread, and each connection has its own virtual thread: a
            // shared pool lets every request reuse them. Bounded: at most one set per generator or parser in use
            // at once (about one per carrier thread), and never more than this many kept.
            .recyclerPool(JsonRecyclerPools.newBoundedPool(16))
            .build();

    /** Writes one JSON value. */
    @FunctionalInterface
    public interface Body {
        void writeTo(JsonGenerator gen) throws IOException;
    }

    private Json() {}

    /** The bytes {@code body} writes, in an array of exactly their length. */
    public static byte[] write(Body body) {
        ExactSizeOutput out = new ExactSizeOutput();
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            body.writeTo(gen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.bytes();
    }

    /** After the root value: only whitespace may follow, else a parse error located at the first extra token. */
    public static void requireEnd(JsonParser parser) throws IOException {
        if (parser.nextToken() != null) {
            throw new JsonParseException(parser, "trailing token after the root value", parser.currentTokenLocation());
        }
    }
}
