package dev.usersapi.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one JSON mapper of the service: strict on input (duplicate keys, trailing data), plain on output. */
public final class Json {
    public static final String MEDIA_TYPE = "application/json";
    public static final String PROBLEM_MEDIA_TYPE = "application/problem+json";

    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    // A request body is small; nothing legitimate nests deeply or carries huge numbers.
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(32)
                            .maxNumberLength(64)
                            .maxStringLength(64 * 1024)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {}
}
