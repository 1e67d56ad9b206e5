package io.github.yototokenkeeper.token;

/** The named changes of a {@link TokenSession}: the only ways its state moves. */
public enum Transition {
    /** A login (device flow, or any other) put a new refresh token on disk and an access token in use. */
    LOGGED_IN,
    /** A refresh worked: the rotated refresh token is on disk (or held, see UNSAVED), the new access token in use. */
    REFRESHED,
    /** A refresh failed for a reason that may pass; a retry is planned. */
    REFRESH_FAILED,
    /** The request went out and no answer came back: the server may have rotated; retried fast with the same token. */
    ANSWER_LOST,
    /** The server refused the refresh token for good: a new login is needed. */
    REFUSED,
    /** The disk refused a rotated refresh token: it is held in memory, its only copy, and written again later. */
    UNSAVED,
    /** The refresh token held in memory reached the disk. */
    SAVED,
    /** The user logged out: tokens forgotten, the token file deleted. */
    LOGGED_OUT,
    /** A refresh found no refresh token on disk: nobody has logged in (yet). */
    NO_TOKEN,
    /** The access token expired while refreshes kept failing. */
    ACCESS_TOKEN_EXPIRED
}
