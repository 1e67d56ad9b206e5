package io.github.yototokenkeeper.oauth;

/**
 * An exception whose message is already one safe sentence for logs and pages (it names what and where, never a
 * token): {@link FailureReasons} shows it as it is.
 */
public interface SafeMessage {
}
