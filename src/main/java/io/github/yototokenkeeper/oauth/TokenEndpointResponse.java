package io.github.yototokenkeeper.oauth;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * A token endpoint's JSON answer (RFC 6749 §5.1 success, §5.2 error). Tokens are opaque strings; {@code expires_in}
 * may be anything from seconds to a day, or absent. It is bound as any JSON value and read by
 * {@link RefreshPolicy#accessTokenLifetime}: as a Long, {@code "abc"} or {@code 1e400} would fail the whole answer and
 * lose the rotated refresh token in it; the text fields are read by {@link LenientText} for the same reason.
 * {@link #toString()} never shows a token.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenEndpointResponse(
        @JsonProperty("access_token") @JsonDeserialize(using = LenientText.class) String accessToken,
        @JsonProperty("refresh_token") @JsonDeserialize(using = LenientText.class) String refreshToken,
        @JsonProperty("expires_in") JsonNode expiresIn,
        @JsonProperty("token_type") @JsonDeserialize(using = LenientText.class) String tokenType,
        @JsonProperty("error") @JsonDeserialize(using = LenientText.class) String error,
        @JsonProperty("error_description") @JsonDeserialize(using = LenientText.class) String errorDescription) {

    public boolean hasAccessToken() {
        return accessToken != null && !accessToken.isBlank();
    }

    public boolean hasRefreshToken() {
        return refreshToken != null && !refreshToken.isBlank();
    }

    @Override
    public String toString() {
        return "TokenEndpointResponse[access_token " + (hasAccessToken() ? "present" : "absent")
                + ", refresh_token " + (hasRefreshToken() ? "present" : "absent")
                + ", expires_in=" + FailureReasons.serverText(String.valueOf(expiresIn)) + ", error=" + error + "]";
    }
}
