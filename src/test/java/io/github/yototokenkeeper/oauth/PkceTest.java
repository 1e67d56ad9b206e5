package io.github.yototokenkeeper.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PkceTest {

    /** RFC 7636 Appendix B: the verifier and the S256 challenge the RFC computes from it. */
    @Test
    void theS256ChallengeIsTheOneOfRfc7636AppendixB() {
        assertThat(Pkce.challengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    @Test
    void eachPairIsFreshAndItsVerifierHasTheRfcsShape() {
        Set<String> verifiers = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Pkce pair = Pkce.generate();
            // RFC 7636 §4.1: 43 to 128 characters of [A-Z a-z 0-9 - . _ ~]; 32 random octets give 43
            assertThat(pair.verifier()).matches("[A-Za-z0-9._~-]{43}");
            assertThat(pair.challenge()).isEqualTo(Pkce.challengeOf(pair.verifier()));
            verifiers.add(pair.verifier());
        }
        assertThat(verifiers).hasSize(100);
        Pkce pair = Pkce.generate();
        assertThat(pair.toString()).doesNotContain(pair.verifier()).doesNotContain(pair.challenge());
    }
}
