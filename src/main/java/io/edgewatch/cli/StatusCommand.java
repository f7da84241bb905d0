package io.edgewatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.edgewatch.config.HttpConfig;
import io.edgewatch.health.ManagementAccess;
import io.edgewatch.health.StatusSummary;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code status}: asks the running agent, over its management interface, for {@code /q/health/ready} and
 * {@code /q/health/live} with the access token, and prints the {@link StatusSummary} as a table, or as one JSON
 * object with {@code --json}. Starts no pipeline and opens no port (like every command but {@code run}, see
 * {@link Main}), so it works next to the agent. Exit 0 when the agent answers UP, 1 when it answers DOWN, refuses
 * the token or cannot be reached (the message names the URL), 2 for a bad option or an unusable token file. The
 * token is sent only in the {@code Authorization} header and never printed.
 */
@CommandLine.Command(name = "status", mixinStandardHelpOptions = true,
        description = "Summary of the running agent (cameras, models, broker, faces) from its management endpoint. Exit 0 UP, 1 DOWN, token refused or unreachable, 2 bad option or token file.")
public class StatusCommand implements Callable<Integer> {

    @CommandLine.Option(names = "--url", description = "Management interface of the agent (default http://127.0.0.1:<quarkus.management.port>, "
            + "or the edgewatch.http.bind address when it is not a wildcard).")
    String url;

    @CommandLine.Option(names = "--token-file", description = "File holding the access token (default edgewatch.http.token-file). "
            + "Without a token only UP/DOWN is known.")
    Path tokenFile;

    @CommandLine.Option(names = "--json", description = "Print the summary as one JSON object.")
    boolean json;

    @CommandLine.Option(names = "--timeout-s", defaultValue = "5", description = "Time-out of each request, s (1..120, default ${DEFAULT-VALUE}).")
    int timeoutS;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final HttpConfig http;
    private final int managementPort;
    private final ObjectMapper mapper;

    public StatusCommand(HttpConfig http, @ConfigProperty(name = "quarkus.management.port", defaultValue = "9000") int managementPort,
                         ObjectMapper mapper) {
        this.http = http;
        this.managementPort = managementPort;
        this.mapper = mapper;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (timeoutS < 1 || timeoutS > 120) {
            err.println("--timeout-s must be 1..120, not " + timeoutS);
            return 2;
        }
        URI base;
        try {
            base = URI.create(url != null ? url.replaceAll("/+$", "") : defaultUrl());
            if (base.getScheme() == null || !base.getScheme().matches("https?") || base.getHost() == null) {
                throw new IllegalArgumentException("not an http:// or https:// URL");
            }
        } catch (IllegalArgumentException e) {
            err.println("--url " + url + ": " + e.getMessage());
            return 2;
        }
        Optional<String> token;
        try {
            token = ManagementAccess.readToken(tokenFile != null ? Optional.of(tokenFile) : http.tokenFile());
        } catch (IllegalArgumentException e) {
            err.println((tokenFile != null ? "--token-file: " : "") + e.getMessage());
            return 2;
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(timeoutS)).build();
        try {
            HttpResponse<String> ready = get(client, base.resolve(base.getPath() + "/q/health/ready"), token);
            if (ready.statusCode() == 401) {
                return fail(out, err, base, "REFUSED", "refused the access token (HTTP 401: " + ready.body().strip() + ")");
            }
            if (ready.statusCode() != 200 && ready.statusCode() != 503) {
                return fail(out, err, base, "UNREACHABLE", "answered HTTP " + ready.statusCode() + " on /q/health/ready");
            }
            JsonNode readyDoc = mapper.readTree(ready.body());
            if (token.isEmpty()) {
                String st = readyDoc.path("status").asText("DOWN");
                if (json) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("status", st);
                    o.put("url", base.toString());
                    o.put("details", "edgewatch.http.token-file is not set: only UP/DOWN without the access token");
                    out.println(compact(mapper).writeValueAsString(o));
                } else {
                    out.println("edgewatch " + st + " at " + base);
                    out.println("no access token (edgewatch.http.token-file not set, or give --token-file): details need it");
                }
                out.flush();
                return "UP".equals(st) ? 0 : 1;
            }
            HttpResponse<String> live = get(client, base.resolve(base.getPath() + "/q/health/live"), token);
            JsonNode liveDoc = live.statusCode() == 200 || live.statusCode() == 503 ? mapper.readTree(live.body()) : null;
            StatusSummary s = StatusSummary.from(readyDoc, liveDoc);
            out.print(json ? compact(mapper).writeValueAsString(s) + "\n" : s.toText());
            out.flush();
            return s.up() ? 0 : 1;
        } catch (IOException | IllegalArgumentException e) {
            return fail(out, err, base, "UNREACHABLE", "cannot be reached: " + io.edgewatch.util.Redaction.text(String.valueOf(e.getMessage() == null ? e : e.getMessage()))
                    + " (is the agent running, with quarkus.management.port / --url as given?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(out, err, base, "UNREACHABLE", "interrupted");
        }
    }

    private String defaultUrl() {
        String host = http.bind();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "127.0.0.1";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + managementPort;
    }

    private HttpResponse<String> get(HttpClient client, URI uri, Optional<String> token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(timeoutS)).GET();
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Prints why (standard error; with {@code --json} also {@code {"status":status,"url","error"}}) and returns 1. */
    private int fail(PrintWriter out, PrintWriter err, URI base, String status, String why) {
        String msg = "edgewatch agent at " + base + " " + why;
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("status", status);
            o.put("url", base.toString());
            o.put("error", msg);
            try {
                out.println(compact(mapper).writeValueAsString(o));
            } catch (IOException e) {
                // a map of strings always serialises
            }
            out.flush();
        }
        err.println(msg);
        err.flush();
        return 1;
    }

    /**
     * The JSON writer of {@code --json}: one line, and a figure that is not known (NaN: not in health yet, such as a
     * steady invoke time still {@code pending}) written as {@code -1}, the README's "not known", so that every field
     * stays a number (Jackson would write the string {@code "NaN"}).
     */
    static ObjectMapper compact(ObjectMapper mapper) {
        com.fasterxml.jackson.databind.JsonSerializer<Double> unknownAsMinusOne = new com.fasterxml.jackson.databind.ser.std.StdSerializer<>(Double.class) {
            @Override
            public void serialize(Double v, com.fasterxml.jackson.core.JsonGenerator g, com.fasterxml.jackson.databind.SerializerProvider p)
                    throws IOException {
                if (v.isNaN()) {
                    g.writeNumber(-1);
                } else {
                    g.writeNumber(v);
                }
            }
        };
        com.fasterxml.jackson.databind.module.SimpleModule m = new com.fasterxml.jackson.databind.module.SimpleModule("status-unknown")
                .addSerializer(Double.class, unknownAsMinusOne).addSerializer(double.class, unknownAsMinusOne);
        return mapper.copy().disable(SerializationFeature.INDENT_OUTPUT).registerModule(m);
    }
}
