package io.github.yototokenkeeper.login;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The device authorization endpoint's answer (RFC 8628 §3.2), or its error (RFC 6749 §5.2). The device code is a
 * credential: {@link #toString()} leaves it out, and it is never sent to a browser.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeviceAuthorization(
        @JsonProperty("device_code") String deviceCode,
        @JsonProperty("user_code") String userCode,
        @JsonProperty("verification_uri") @JsonAlias("verification_url") String verificationUri,
        @JsonProperty("verification_uri_complete") String verificationUriComplete,
        @JsonProperty("expires_in") Long expiresIn,
        @JsonProperty("interval") Long interval,
        @JsonProperty("error") String error,
        @JsonProperty("error_description") String errorDescription) {

    @Override
    public String toString() {
        return "DeviceAuthorization[user_code=" + userCode + ", verification_uri=" + verificationUri + ", expires_in=" + expiresIn
                + ", interval=" + interval + ", error=" + error + "]";
    }
}
