package io.edgewatch.testsupport;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Requests to the management interface (health, metrics) of the Quarkus application under test, found through
 * {@code test.management.url} (the random {@code quarkus.management.test-port}). The test profile reads the access
 * token from {@code src/test/resources/management-token} ({@code %test.edgewatch.http.token-file}).
 */
public final class Management {
    /** The token file of the test profile. */
    public static final Path TOKEN_FILE = TestPaths.projectRoot().resolve("src/test/resources/management-token");

    private Management() {
    }

    /** The access token of the test profile. */
    public static String token() {
        try {
            return Files.readString(TOKEN_FILE).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A request with {@code Authorization: Bearer <token>}. */
    public static RequestSpecification authorized() {
        return anonymous().header("Authorization", "Bearer " + token());
    }

    /** A request without credentials. */
    public static RequestSpecification anonymous() {
        URI u = URI.create(ConfigProvider.getConfig().getValue("test.management.url", String.class));
        return RestAssured.given().baseUri(u.getScheme() + "://" + u.getHost()).port(u.getPort());
    }
}
