package io.github.yototokenkeeper.login;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.github.yototokenkeeper.oauth.FailureReasons;
import io.github.yototokenkeeper.oauth.LenientText;

/**
 * The device authorization endpoint's answer (RFC 8628 §3.2), or its error (RFC 6749 §5.2). The device code is a
 * credential: {@link #toString()} leaves it out, and it is never sent to a browser. {@code expires_in} and
 * {@code interval} are bound as any JSON value and read by {@link DevicePollPolicy}, so an odd one cannot fail the answer.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeviceAuthorization(
        @JsonProperty("device_code") @JsonDeserialize(using = LenientText.class) String deviceCode,
        @JsonProperty("user_code") @JsonDeserialize(using = LenientText.class) String userCode,
        @JsonProperty("verification_uri") @JsonAlias("verification_url") @JsonDeserialize(using = LenientText.class) String verificationUri,
        @JsonProperty("verification_uri_complete") @JsonDeserialize(using = LenientText.class) String verificationUriComplete,
        @JsonProperty("expires_in") JsonNode expiresIn,
        @JsonProperty("interval") JsonNode interval,
        @JsonProperty("error") @JsonDeserialize(using = LenientText.class) String error,
        @JsonProperty("error_description") @JsonDeserialize(using = LenientText.class) String errorDescription) {

    @Override
    public String toString() {
        return "DeviceAuthorization[user_code=" + userCode + ", verification_uri=" + verificationUri
                + ", expires_in=" + shortText(expiresIn) + ", interval=" + shortText(interval) + ", error=" + error + "]";
    }

    private static String shortText(JsonNode value) {
        return FailureReasons.serverText(String.valueOf(value));
    }
}
