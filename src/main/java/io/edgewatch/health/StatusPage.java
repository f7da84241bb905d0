package io.edgewatch.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateExtension;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.vertx.http.ManagementInterface;
import io.smallrye.health.SmallRyeHealthReporter;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The status page at {@code /} of the management interface: the {@link StatusSummary} of this agent as server-rendered
 * HTML (Qute, HTML-escaped), readable on a phone, refreshing itself every {@link #REFRESH_S} s; no video and no
 * images. Access as for health details: {@code Authorization: Bearer <token>}, or the session cookie
 * {@value #COOKIE} that the login form ({@code POST /login}, field {@code token}) sets for {@link #SESSION_S} s
 * (HttpOnly, SameSite=Strict; the cookie is a random session id, never the token). Without either, 401 and the login
 * form. {@code POST /logout} ends the session. Wrong tokens are limited per client address ({@link LoginThrottle}: 5 a
 * minute, then 429 with {@code Retry-After}).
 */
@ApplicationScoped
public class StatusPage {
    /** Paths the page serves; {@link ManagementAccess} lets them through without an {@code Authorization} header. */
    static final Set<String> PATHS = Set.of("/", "/login", "/logout");
    /** Name of the session cookie. */
    public static final String COOKIE = "edgewatch_session";
    /** Page refresh period, s. */
    public static final int REFRESH_S = 5;
    /** Session lifetime, s (12 h: one working day). */
    public static final long SESSION_S = 12 * 3600;
    /** Sessions kept at most; the one closest to expiry goes first. */
    static final int MAX_SESSIONS = 32;
    private static final int MAX_FORM_BYTES = 4096;

    private final ManagementAccess access;
    private final SmallRyeHealthReporter reporter;
    private final ObjectMapper mapper;
    private final SecureRandom random = new SecureRandom();
    /** Session id to expiry, epoch ms. */
    private final Map<String, Long> sessions = new ConcurrentHashMap<>();
    private final LoginThrottle throttle = new LoginThrottle(System::currentTimeMillis);

    public StatusPage(ManagementAccess access, SmallRyeHealthReporter reporter, ObjectMapper mapper) {
        this.access = access;
        this.reporter = reporter;
        this.mapper = mapper;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(StatusSummary s, String uptime, int refreshS);

        static native TemplateInstance login(String message);
    }

    /** Two decimals, {@code -} for an unknown value (templates: {@code {c.fpsReceived.num}}). */
    @TemplateExtension
    static String num(double v) {
        return StatusSummary.fps(v);
    }

    void install(@Observes ManagementInterface management) {
        management.router().route(HttpMethod.GET, "/").handler(this::page);
        management.router().route(HttpMethod.POST, "/login").handler(this::login);
        management.router().route(HttpMethod.POST, "/logout").handler(this::logout);
    }

    /** The current summary, read from this agent's own health checks. */
    StatusSummary summary() throws Exception {
        JsonNode ready = mapper.readTree(reporter.getReadiness().getPayload().toString());
        JsonNode live = mapper.readTree(reporter.getLiveness().getPayload().toString());
        return StatusSummary.from(ready, live);
    }

    private void page(RoutingContext ctx) {
        String auth = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        boolean ok = auth != null ? access.authorized(auth) : validSession(ctx);
        if (!ok) {
            html(ctx, 401, Templates.login(null).render());
            return;
        }
        ctx.vertx().executeBlocking(() -> {
            StatusSummary s = summary();
            return Templates.page(s, s.uptimeS() < 0 ? "-" : StatusSummary.duration(s.uptimeS()), REFRESH_S).render();
        }, false).onComplete(r -> {
            if (r.succeeded()) {
                html(ctx, 200, r.result());
            } else {
                ctx.response().setStatusCode(500).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=UTF-8")
                        .end("status summary failed: " + io.edgewatch.util.Redaction.text(String.valueOf(r.cause())) + "\n");
            }
        });
    }

    private void login(RoutingContext ctx) {
        if (ctx.body().available()) { // Quarkus' body handler on the management router has read it already
            login(ctx, ctx.body().buffer());
        } else {
            ctx.request().body().onComplete(b -> login(ctx, b.succeeded() ? b.result() : null));
        }
    }

    private void login(RoutingContext ctx, io.vertx.core.buffer.Buffer body) {
        if (body == null || body.length() > MAX_FORM_BYTES) {
            html(ctx, 400, Templates.login("The form could not be read.").render());
            return;
        }
        String address = ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().hostAddress();
        long retryS = throttle.retryAfterS(address);
        if (retryS > 0) {
            ctx.response().putHeader("Retry-After", Long.toString(retryS));
            html(ctx, 429, Templates.login("Too many wrong access tokens from this address: try again in " + retryS + " s.").render());
            return;
        }
        String token = formField(body.toString(StandardCharsets.UTF_8), "token");
        if (!access.tokenMatches(token)) {
            throttle.failed(address);
            html(ctx, 401, Templates.login("Wrong access token.").render());
            return;
        }
        throttle.succeeded(address);
        String id = HexFormat.of().formatHex(bytes(32));
        long now = System.currentTimeMillis();
        sessions.entrySet().removeIf(e -> e.getValue() < now);
        while (sessions.size() >= MAX_SESSIONS) {
            sessions.entrySet().stream().min(Map.Entry.comparingByValue()).ifPresent(e -> sessions.remove(e.getKey()));
        }
        sessions.put(id, now + SESSION_S * 1000);
        ctx.response().addCookie(Cookie.cookie(COOKIE, id).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
                .setMaxAge(SESSION_S).setSecure(ctx.request().isSSL()));
        ctx.response().setStatusCode(303).putHeader(HttpHeaders.LOCATION, "/").putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end();
    }

    private void logout(RoutingContext ctx) {
        Cookie c = ctx.request().getCookie(COOKIE);
        if (c != null) {
            sessions.remove(c.getValue());
        }
        ctx.response().addCookie(Cookie.cookie(COOKIE, "").setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setMaxAge(0));
        ctx.response().setStatusCode(303).putHeader(HttpHeaders.LOCATION, "/").putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end();
    }

    private boolean validSession(RoutingContext ctx) {
        Cookie c = ctx.request().getCookie(COOKIE);
        if (c == null) {
            return false;
        }
        Long expiry = sessions.get(c.getValue());
        if (expiry == null || expiry < System.currentTimeMillis()) {
            sessions.remove(c.getValue());
            return false;
        }
        return true;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** The value of one field of an {@code application/x-www-form-urlencoded} body, or null. */
    static String formField(String body, String name) {
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void html(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=UTF-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer");
        if (status == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"edgewatch\"");
        }
        ctx.response().end(body);
    }
}
