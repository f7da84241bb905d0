package io.edgewatch.util;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that removes credentials from text that leaves the agent (logs, health, metrics, doctor, events).
 * <p>
 * {@link #text(String)} finds every URL ({@code scheme://...}) in a message and replaces its user info with
 * {@value #MASK}; {@link #url(String)} does the same for a string that is one URL. The user info ends at the
 * <em>last</em> {@code @} of the URL that is followed by a host (name, IPv4 or {@code [IPv6]}, optional port) and
 * then the end of the URL, so passwords containing {@code @}, {@code /}, {@code :}, {@code %} or {@code ?} are
 * removed whole, encoded or not (a path or query holding an {@code @} is redacted along with the user info: too much
 * rather than too little). A URL ends at white space. The values of query parameters that carry credentials
 * ({@code password}, {@code token}, {@code key}, {@code secret}, {@code sig}, ...) are redacted too.
 * <p>
 * Because a library may repeat a password without its URL (decoded, or after a space that ends the URL), the
 * secrets of configured URLs and passwords are also remembered ({@link #rememberUrl(String)},
 * {@link #rememberSecret(String)}) and every occurrence of one (raw and percent-decoded, at least
 * {@value #MIN_REMEMBERED} characters) is replaced as well. Thread-safe.
 */
public final class Redaction {
    /** What replaces user info and secrets. */
    public static final String MASK = "***";
    /** Shorter remembered secrets are only removed from URLs, not from free text (they would mangle it). */
    public static final int MIN_REMEMBERED = 4;

    private static final Pattern SCHEME = Pattern.compile("(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,31}://");
    /** A host and optional port, then the end of the URL or a character that cannot be part of a host. */
    private static final Pattern HOST = Pattern.compile("(?:\\[[0-9A-Fa-f:.%a-zA-Z]+]|[A-Za-z0-9._~-]+)(?::[0-9]{0,5})?(?=$|[/?#\\s\"'<>(),;\\\\\\]`])");
    /**
     * A query parameter that carries a credential ({@code ?token=...}, {@code &password=...}): its value is redacted. The
     * value ends at the next delimiter; punctuation just before a space or the end ({@code ?token=x, next} or
     * {@code ?token=x: refused}) belongs to the sentence, not to the value, and is kept.
     */
    private static final Pattern SECRET_PARAM = Pattern.compile(
            "(?i)([?&;](?:password|passwd|pwd|pass|token|access_token|auth|authorization|api[_-]?key|key|secret|sig|signature|credentials?)=)"
                    + "([^&#;\\s\"'<>]+?)(?=[,.:)\\]]*(?:[&#;\\s\"'<>]|$))");
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
    private static volatile List<String> sorted = List.of();

    private Redaction() {
    }

    /**
     * The URL with its user info replaced by {@value #MASK}; other strings (file paths, device names) unchanged.
     * Null stays null.
     */
    public static String url(String url) {
        return text(url);
    }

    /**
     * The message with the user info of every URL in it, and every remembered secret, replaced by {@value #MASK}.
     * Null stays null.
     */
    public static String text(String message) {
        if (message == null || message.isEmpty()) {
            return message;
        }
        String out = stripUserInfo(message);
        if (out.indexOf('=') >= 0) {
            out = SECRET_PARAM.matcher(out).replaceAll("$1" + MASK);
        }
        for (String s : sorted) {
            if (out.contains(s)) {
                out = out.replace(s, MASK);
            }
        }
        return out;
    }

    /** True when {@link #text(String)} would change the message. */
    public static boolean needed(String message) {
        return message != null && !message.equals(text(message));
    }

    private static String stripUserInfo(String message) {
        Matcher m = SCHEME.matcher(message);
        StringBuilder out = null;
        int copied = 0;
        int from = 0;
        while (m.find(from)) {
            int start = m.end();
            int end = start;
            while (end < message.length() && !Character.isWhitespace(message.charAt(end))) {
                end++;
            }
            int at = userInfoEnd(message, start, end);
            if (at < 0) {
                from = start;
                continue;
            }
            if (out == null) {
                out = new StringBuilder(message.length());
            }
            out.append(message, copied, start).append(MASK);
            copied = at; // keeps the '@'
            from = at;
        }
        if (out == null) {
            return message;
        }
        return out.append(message, copied, message.length()).toString();
    }

    /** Index of the '@' that ends the user info of the URL body in [start, end), or -1 when it has none. */
    private static int userInfoEnd(String s, int start, int end) {
        for (int i = s.lastIndexOf('@', end - 1); i >= start; i = s.lastIndexOf('@', i - 1)) {
            if (i == start) {
                return -1; // "scheme://@host": empty user info
            }
            Matcher h = HOST.matcher(s).region(i + 1, end);
            h.useTransparentBounds(true).useAnchoringBounds(false);
            if (h.lookingAt()) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The URL with its user info percent-encoded where it has to be, so that a URL parser (FFmpeg's, Java's
     * {@link java.net.URI}) finds the right host: user and password are split at the first {@code :}; every character
     * other than letters, digits and {@code -._~!$&'()*+,;=} is encoded, except a {@code %} that already starts an
     * escape ({@code %40}). A URL without user info, or a string that is no URL, is returned unchanged. FFmpeg decodes
     * the escapes before it authenticates.
     */
    public static String withEncodedUserInfo(String url) {
        if (url == null) {
            return null;
        }
        Matcher m = SCHEME.matcher(url);
        if (!m.lookingAt()) {
            return url;
        }
        int start = m.end();
        int end = start;
        while (end < url.length() && !Character.isWhitespace(url.charAt(end))) {
            end++;
        }
        int at = userInfoEnd(url, start, end);
        if (at < 0) {
            return url;
        }
        String userInfo = url.substring(start, at);
        int colon = userInfo.indexOf(':');
        String encoded = colon < 0 ? encode(userInfo) : encode(userInfo.substring(0, colon)) + ":" + encode(userInfo.substring(colon + 1));
        return url.substring(0, start) + encoded + url.substring(at);
    }

    private static String encode(String part) {
        StringBuilder b = new StringBuilder(part.length() + 8);
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xff;
            boolean escape = c == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) && hex(bytes[i + 2]);
            if (escape || (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~!$&'()*+,;=".indexOf(c) >= 0))) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }

    private static boolean hex(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /**
     * Remembers the user info of a configured URL (whole, and its password part, raw and percent-decoded), so
     * that it is redacted wherever it appears later. Strings without user info are ignored.
     */
    public static void rememberUrl(String url) {
        if (url == null) {
            return;
        }
        Matcher m = SCHEME.matcher(url);
        if (!m.lookingAt()) {
            return;
        }
        Matcher q = SECRET_PARAM.matcher(url);
        while (q.find()) {
            rememberSecret(q.group(2));
        }
        int start = m.end();
        int at = userInfoEnd(url, start, url.length());
        if (at < 0) {
            return;
        }
        String userInfo = url.substring(start, at);
        rememberSecret(userInfo);
        int colon = userInfo.indexOf(':');
        if (colon >= 0) {
            rememberSecret(userInfo.substring(colon + 1));
        }
        String encoded = withEncodedUserInfo(url);
        if (!encoded.equals(url)) {
            rememberUrl(encoded); // the form FFmpeg is given
        }
    }

    /** Remembers a password (raw and percent-decoded) so that it is redacted wherever it appears later. */
    public static void rememberSecret(String secret) {
        if (secret == null) {
            return;
        }
        boolean added = add(secret);
        try {
            added |= add(URLDecoder.decode(secret.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            // not percent-encoded: the raw form is enough
        }
        if (added) {
            // longest first, so a password inside a remembered user info does not leave the user name behind
            sorted = SECRETS.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        }
    }

    private static boolean add(String s) {
        return s.length() >= MIN_REMEMBERED && SECRETS.add(s);
    }
}
