package io.github.yototokenkeeper.api;

import io.github.yototokenkeeper.config.InvalidSettingException;
import io.github.yototokenkeeper.config.KeeperSettings;
import io.github.yototokenkeeper.config.Setting;
import io.github.yototokenkeeper.oauth.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The programs' API keys, from KEEPER_API_KEYS and KEEPER_API_KEYS_FILE: {@code name:key} or {@code name:key:token} /
 * {@code name:key:proxy}, comma-separated (one a line in the file; blank lines and {@code #} comments skipped). Keys of
 * at least {@value #MIN_KEY_LENGTH} characters; names unique (they go into the audit line and the metrics), keys too.
 * Only the keys' SHA-256 digests are kept; a request's key is compared with every one of them in constant time.
 * A malformed entry stops the start with one line that names the setting and the entry's place, never the key.
 * Plain code: tested without Camel.
 */
public final class ApiKeys {

    public static final int MIN_KEY_LENGTH = 32;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]+"); // visible ASCII, no space
    private static final String HOW = "write name:key or name:key:token or name:key:proxy, keys of at least " + MIN_KEY_LENGTH
            + " characters (openssl rand -hex 32 makes one)";

    /** One program's key: its name, what it may use, the digest of the key (never the key). */
    public record ApiKey(String name, Set<ApiScope> scopes, byte[] digest) {
        public boolean allows(ApiScope scope) {
            return scopes.contains(scope);
        }

        @Override
        public String toString() {
            return "ApiKey[" + name + ", " + scopes + "]";
        }
    }

    private final List<ApiKey> keys;

    private ApiKeys(List<ApiKey> keys) {
        this.keys = List.copyOf(keys);
    }

    /** No keys: the API is open only on loopback without a password (see {@link KeeperSettings#apiOpenWithoutKeys()}). */
    public static ApiKeys none() {
        return new ApiKeys(List.of());
    }

    /** @throws InvalidSettingException naming the setting and the entry that is wrong */
    public static ApiKeys from(KeeperSettings settings) {
        List<ApiKey> keys = new ArrayList<>();
        settings.apiKeys().ifPresent(text -> keys.addAll(atLeastOne(Setting.API_KEYS, parse(Setting.API_KEYS, text, ","))));
        settings.apiKeysFile().ifPresent(file -> keys.addAll(atLeastOne(Setting.API_KEYS_FILE,
                parse(Setting.API_KEYS_FILE, read(file), "[,\\r\\n]"))));
        Set<String> names = new HashSet<>();
        Set<String> digests = new HashSet<>();
        for (ApiKey key : keys) {
            if (!names.add(key.name())) {
                throw new InvalidSettingException(describe(settings) + " names '" + key.name() + "' twice: give every program its own name");
            }
            if (!digests.add(java.util.HexFormat.of().formatHex(key.digest()))) {
                throw new InvalidSettingException(describe(settings) + " gives the key of '" + key.name()
                        + "' to another name too: give every program its own key");
            }
        }
        return new ApiKeys(keys);
    }

    /** Parses one setting's text; {@code separator} is a regular expression. */
    static List<ApiKey> parse(Setting setting, String text, String separator) {
        List<ApiKey> keys = new ArrayList<>();
        int place = 0;
        for (String raw : text.split(separator)) {
            String entry = raw.strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            place++;
            String[] parts = entry.split(":", -1);
            String where = setting.describe() + ", entry " + place;
            if (parts.length < 2 || parts.length > 3) {
                throw new InvalidSettingException(where + " is not name:key[:scope]: " + HOW);
            }
            String name = parts[0].strip();
            String key = parts[1].strip();
            if (!NAME.matcher(name).matches()) {
                throw new InvalidSettingException(where + " has a name that is not 1 to 64 letters, digits, '.', '_' or '-': " + HOW);
            }
            if (key.length() < MIN_KEY_LENGTH) {
                throw new InvalidSettingException(where + " ('" + name + "') has a key of " + key.length() + " characters: " + HOW);
            }
            if (!KEY.matcher(key).matches()) {
                throw new InvalidSettingException(where + " ('" + name + "') has a key with a space or a character outside ASCII: " + HOW);
            }
            Set<ApiScope> scopes = parts.length == 2 ? EnumSet.allOf(ApiScope.class) : EnumSet.of(scope(where, name, parts[2].strip()));
            keys.add(new ApiKey(name, Set.copyOf(scopes), Secrets.sha256(key)));
        }
        return keys;
    }

    /**
     * A setting that is there but names no key (only commas, blank lines or comments; an empty file) would quietly turn
     * keys off, and with them the only lock of the API: it stops the start instead.
     */
    private static List<ApiKey> atLeastOne(Setting setting, List<ApiKey> keys) {
        if (keys.isEmpty()) {
            throw new InvalidSettingException(setting.describe() + " is set but names no key: " + HOW
                    + "; or unset it to run without keys");
        }
        return keys;
    }

    private static ApiScope scope(String where, String name, String scope) {
        for (ApiScope known : ApiScope.values()) {
            if (known.wireName().equals(scope)) {
                return known;
            }
        }
        // the scope is not a secret, but a key with a colon in it would show part of the key here: say less
        throw new InvalidSettingException(where + " ('" + name + "') has an unknown scope: use token or proxy, or none for both ("
                + HOW + ")");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new InvalidSettingException(Setting.API_KEYS_FILE.describe() + ": cannot read " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static String describe(KeeperSettings settings) {
        return settings.apiKeys().isPresent() && settings.apiKeysFile().isPresent()
                ? Setting.API_KEYS.variable() + " with " + Setting.API_KEYS_FILE.variable()
                : settings.apiKeys().isPresent() ? Setting.API_KEYS.describe() : Setting.API_KEYS_FILE.describe();
    }

    public boolean enabled() {
        return !keys.isEmpty();
    }

    public List<String> names() {
        return keys.stream().map(ApiKey::name).toList();
    }

    /**
     * The key an {@code Authorization: Bearer <key>} header carries, if it is one of ours. Every key's digest is
     * compared, each in constant time, whatever matched before: the time taken says nothing about which key, or how much
     * of one, was right.
     */
    public Optional<ApiKey> match(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        byte[] given = Secrets.sha256(authorization.substring(7).strip());
        ApiKey found = null;
        for (ApiKey key : keys) {
            if (MessageDigest.isEqual(given, key.digest()) && found == null) {
                found = key;
            }
        }
        return Optional.ofNullable(found);
    }
}
