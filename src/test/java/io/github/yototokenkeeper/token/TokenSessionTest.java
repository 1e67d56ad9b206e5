package io.github.yototokenkeeper.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.yototokenkeeper.oauth.TokenEndpointResponse;
import io.github.yototokenkeeper.support.HandClock;
import io.github.yototokenkeeper.support.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session's transitions in plain Java: a clock the test moves, a real token file in a temporary directory. */
class TokenSessionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2026-11-30T12:00:00Z");

    @TempDir
    Path dir;

    private final HandClock clock = new HandClock(START);
    private final List<SessionEvent> events = new ArrayList<>();
    private TokenFile file;
    private TokenSession session;

    @BeforeEach
    void newSession() {
        file = new TokenFile(dir.resolve(".yoto_refresh_token"));
        // 12 h interval, 5 min margin, first retry 30 s; the jitter's random part is always half
        session = new TokenSession(clock, file, new RefreshPolicy(Duration.ofHours(12), Duration.ofMinutes(5), Duration.ofSeconds(30), () -> 0.5));
        session.addListener(events::add);
    }

    private static TokenEndpointResponse answer(String access, String refresh, long expiresIn) throws Exception {
        return JSON.readValue("{\"access_token\":\"" + access + "\"" + (refresh == null ? "" : ",\"refresh_token\":\"" + refresh + "\"")
                + ",\"expires_in\":" + expiresIn + "}", TokenEndpointResponse.class);
    }

    /** An attempt that read the file's token, as the refresh route's first step does. */
    private RefreshAttempt attempt() throws Exception {
        RefreshAttempt attempt = new RefreshAttempt(clock.instant());
        assertThat(session.tokenToSend(attempt)).isPresent();
        return attempt;
    }

    private List<Transition> transitions() {
        return events.stream().map(SessionEvent::transition).toList();
    }

    @Test
    void aRefreshSavesTheRotatedTokenFirstAndPlansTheEarlyRefresh() throws Exception {
        file.write("rt-first");
        String rotated = Tokens.refresh();
        String access = Tokens.access();
        List<String> onDiskWhenHeard = new ArrayList<>();
        session.addListener(event -> {
            try {
                onDiskWhenHeard.add(file.read().orElse(null));
            } catch (TokenFileException e) {
                throw new IllegalStateException(e);
            }
        });

        session.refreshed(attempt(), answer(access, rotated, 3600));

        assertThat(onDiskWhenHeard).as("on disk before anyone hears of it").containsExactly(rotated);
        assertThat(session.state()).isEqualTo(SessionState.AUTHENTICATED);
        assertThat(session.validAccessToken()).contains(access);
        assertThat(transitions()).containsExactly(Transition.REFRESHED);
        assertThat(events.get(0).accessToken()).isEqualTo(access);
        assertThat(events.get(0).toString()).doesNotContain(access);
        assertThat(session.nextWakeUp()).contains(START.plusSeconds(3600 - 300));
    }

    @Test
    void aOneMinuteTokenIsRefreshedHalfWayThroughItsLife() throws Exception {
        file.write("rt-first");
        session.refreshed(attempt(), answer(Tokens.access(), Tokens.refresh(), 60));

        assertThat(session.nextWakeUp()).contains(START.plusSeconds(30));
        assertThat(session.refreshDue()).isFalse();
        clock.advance(Duration.ofSeconds(30));
        assertThat(session.refreshDue()).isTrue();
        assertThat(session.validAccessToken()).isPresent();
    }

    @Test
    void aLoginDuringARefreshOutdatesItsAnswer() throws Exception {
        file.write("rt-old");
        RefreshAttempt underWay = attempt();
        String loggedIn = Tokens.refresh();
        session.loggedIn(answer(Tokens.access(), loggedIn, 3600));

        session.refreshed(underWay, answer(Tokens.access(), Tokens.refresh(), 3600));
        session.refused(underWay, "invalid_grant for the old token");
        session.refreshFailed(underWay, "a 503 for the old token", null);

        assertThat(underWay.isOutdated()).isTrue();
        assertThat(file.read()).contains(loggedIn);
        assertThat(session.state()).isEqualTo(SessionState.AUTHENTICATED);
        assertThat(session.snapshot().consecutiveFailures()).isZero();
        assertThat(transitions()).containsExactly(Transition.LOGGED_IN);
    }

    @Test
    void aFailurePlansABackedOffRetryAndKeepsTheAccessToken() throws Exception {
        file.write("rt-first");
        String access = Tokens.access();
        session.refreshed(attempt(), answer(access, null, 3600));
        events.clear();

        session.refreshFailed(attempt(), "the token endpoint answered HTTP 503", null);
        session.refreshFailed(attempt(), "the token endpoint answered HTTP 503", Duration.ofMinutes(10));

        assertThat(session.state()).isEqualTo(SessionState.REFRESH_FAILING);
        assertThat(session.snapshot().consecutiveFailures()).isEqualTo(2);
        assertThat(session.validAccessToken()).contains(access);
        assertThat(session.nextWakeUp()).as("the server's Retry-After, longer than the backoff").contains(START.plus(Duration.ofMinutes(10)));
        assertThat(transitions()).containsExactly(Transition.REFRESH_FAILED, Transition.REFRESH_FAILED);
        assertThat(file.read()).contains("rt-first");
    }

    @Test
    void aLostAnswerIsRetriedEveryTwoSecondsForThirtySeconds() throws Exception {
        file.write("rt-first");
        RefreshAttempt lost = attempt();
        lost.answerLost();

        session.refreshFailed(lost, "no answer", null);

        assertThat(transitions()).containsExactly(Transition.ANSWER_LOST);
        assertThat(session.retrySoon()).isTrue();
        assertThat(session.nextWakeUp()).contains(START.plus(RefreshPolicy.AMBIGUOUS_RETRY));
        clock.advance(Duration.ofSeconds(20));
        session.refreshFailed(attempt(), "the token endpoint answered HTTP 503", null);
        assertThat(session.nextWakeUp()).as("still inside the window").contains(clock.instant().plus(RefreshPolicy.AMBIGUOUS_RETRY));
        clock.advance(Duration.ofSeconds(11));
        session.refreshFailed(attempt(), "the token endpoint answered HTTP 503", null);
        assertThat(session.retrySoon()).isFalse();
        assertThat(session.nextWakeUp()).hasValueSatisfying(next -> assertThat(next).isAfter(clock.instant().plusSeconds(10)));
    }

    @Test
    void aRefusedTokenIsNeverSentAgainUntilANewLogin() throws Exception {
        file.write("rt-refused");
        session.refused(attempt(), "the token endpoint answered HTTP 400 invalid_grant");

        assertThat(session.state()).isEqualTo(SessionState.REAUTH_REQUIRED);
        assertThat(session.refusedBefore("rt-refused")).isTrue();
        assertThat(session.refusedBefore("rt-another")).isFalse();
        assertThat(session.nextWakeUp()).isEmpty();
        assertThat(file.read()).as("the file is kept").contains("rt-refused");

        session.loggedIn(answer(Tokens.access(), Tokens.refresh(), 3600));
        assertThat(session.refusedBefore("rt-refused")).isFalse();
        assertThat(transitions()).containsExactly(Transition.REFUSED, Transition.LOGGED_IN);
    }

    @Test
    void aTokenTheDiskRefusesIsHeldUsedNextAndSavedLater() throws Exception {
        Path directory = dir.resolve("tokens");
        Files.writeString(directory, "a file where the directory should be");
        TokenFile blocked = new TokenFile(directory.resolve(".yoto_refresh_token"));
        TokenSession held = new TokenSession(clock, blocked, new RefreshPolicy(Duration.ofHours(12), Duration.ofMinutes(5),
                Duration.ofSeconds(30), () -> 0.5));
        held.addListener(events::add);
        RefreshAttempt heldAttempt = new RefreshAttempt(clock.instant());
        heldAttempt.readUnder(0);
        heldAttempt.sends("rt-first");
        String rotated = Tokens.refresh();

        held.refreshed(heldAttempt, answer(Tokens.access(), rotated, 3600));

        assertThat(transitions()).containsExactly(Transition.UNSAVED, Transition.REFRESHED);
        assertThat(held.snapshot().refreshTokenUnsaved()).isTrue();
        RefreshAttempt next = new RefreshAttempt(clock.instant());
        assertThat(held.tokenToSend(next)).as("the held token is the one sent next").contains(rotated);
        Files.delete(directory);
        held.saveUnsaved();
        assertThat(blocked.read()).contains(rotated);
        assertThat(held.snapshot().refreshTokenUnsaved()).isFalse();
        assertThat(transitions()).endsWith(Transition.SAVED);
    }

    @Test
    void aHeldTokenSavedByASuccessfulRefreshIsToldWithTheStateAfterIt() throws Exception {
        Path directory = dir.resolve("tokens");
        Files.writeString(directory, "a file where the directory should be");
        TokenSession held = new TokenSession(clock, new TokenFile(directory.resolve(".yoto_refresh_token")),
                new RefreshPolicy(Duration.ofHours(12), Duration.ofMinutes(5), Duration.ofSeconds(30), () -> 0.5));
        held.addListener(events::add);
        RefreshAttempt first = new RefreshAttempt(clock.instant());
        first.readUnder(0);
        first.sends("rt-first");
        held.refreshed(first, answer(Tokens.access(), Tokens.refresh(), 3600));
        held.refreshFailed(new RefreshAttempt(clock.instant()), "the token endpoint answered HTTP 503", null);
        Files.delete(directory);
        events.clear();

        held.refreshed(new RefreshAttempt(clock.instant()), answer(Tokens.access(), Tokens.refresh(), 3600));

        assertThat(transitions()).containsExactly(Transition.SAVED, Transition.REFRESHED);
        assertThat(events).allSatisfy(event -> {
            assertThat(event.snapshot().state()).isEqualTo(SessionState.AUTHENTICATED);
            assertThat(event.snapshot().refreshTokenUnsaved()).isFalse();
        });
        assertThat(events.get(0).sequence()).isLessThan(events.get(1).sequence());
    }

    @Test
    void aTokenFileThatCannotBeReadAfterALoginIsThisSessionsFailure() throws Exception {
        session.loggedIn(answer(Tokens.access(), Tokens.refresh(), 3600));
        Files.delete(file.path());
        Files.createDirectories(file.path()); // not a token file any more
        RefreshAttempt attempt = new RefreshAttempt(clock.instant());

        assertThatThrownBy(() -> session.tokenToSend(attempt)).isInstanceOf(TokenFileException.class);
        session.refreshFailed(attempt, "Cannot read token file: it is a directory", null);

        assertThat(attempt.isOutdated()).as("the session's own failure, not one of before the login").isFalse();
        assertThat(session.state()).isEqualTo(SessionState.REFRESH_FAILING);
        assertThat(session.snapshot().consecutiveFailures()).isEqualTo(1);
        assertThat(transitions()).endsWith(Transition.REFRESH_FAILED);
    }

    @Test
    void anAccessTokenThatLapsesWhileRefreshesFailIsAnnouncedOnce() throws Exception {
        file.write("rt-first");
        session.refreshed(attempt(), answer(Tokens.access(), null, 600));
        session.refreshFailed(attempt(), "the token endpoint answered HTTP 503", Duration.ofHours(1));
        assertThat(session.nextWakeUp()).as("the expiry comes before the retry").contains(START.plusSeconds(600));
        events.clear();

        clock.advance(Duration.ofSeconds(600));
        session.wakeUp();
        session.wakeUp();

        assertThat(transitions()).containsExactly(Transition.ACCESS_TOKEN_EXPIRED);
        assertThat(session.nextWakeUp()).contains(START.plus(Duration.ofHours(1)));
    }

    @Test
    void aLogoutDeletesTheFileFirstAndOutdatesARefreshUnderWay() throws Exception {
        file.write("rt-first");
        RefreshAttempt underWay = attempt();

        session.loggedOut();
        session.refreshed(underWay, answer(Tokens.access(), Tokens.refresh(), 3600));

        assertThat(Files.exists(file.path())).isFalse();
        assertThat(session.state()).isEqualTo(SessionState.LOGGED_OUT);
        assertThat(transitions()).containsExactly(Transition.LOGGED_OUT);
    }

    @Test
    void aLogoutWhoseFileCannotGoChangesNothing() throws Exception {
        String access = Tokens.access();
        session.loggedIn(answer(access, Tokens.refresh(), 3600));
        events.clear();
        Files.delete(file.path());
        Files.createDirectories(file.path()); // a directory where the token file should be: never deleted

        assertThatThrownBy(session::loggedOut).isInstanceOf(TokenFileException.class);

        assertThat(events).isEmpty();
        assertThat(Files.isDirectory(file.path())).isTrue();
        assertThat(session.state()).isEqualTo(SessionState.AUTHENTICATED);
        assertThat(session.validAccessToken()).contains(access);
    }

    @Test
    void aListenerThatFailsDoesNotHoldUpTheOthers() throws Exception {
        List<Transition> heard = new ArrayList<>();
        TokenSession fresh = new TokenSession(clock, file, new RefreshPolicy(Duration.ofHours(12), Duration.ofMinutes(5),
                Duration.ofSeconds(30), () -> 0.5));
        fresh.addListener(event -> {
            throw new IllegalStateException("a broken listener");
        });
        fresh.addListener(event -> heard.add(event.transition()));

        fresh.loggedIn(answer(Tokens.access(), Tokens.refresh(), 3600));

        assertThat(heard).containsExactly(Transition.LOGGED_IN);
        assertThat(fresh.state()).isEqualTo(SessionState.AUTHENTICATED);
    }
}
