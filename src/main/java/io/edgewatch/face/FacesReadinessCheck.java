package io.edgewatch.face;

import io.edgewatch.config.FacesConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness {@code faces}, always UP (face recognition failing to start stops start-up instead): {@code enabled};
 * when enabled also {@code purpose}, {@code legalBasis}, {@code galleryIdentities} and {@code galleryTemplates}
 * (counts, -1 before the gallery is open). Never an identity's name: the status summary a technician reads must not
 * become a list of the people enrolled.
 */
@Readiness
@ApplicationScoped
public class FacesReadinessCheck implements HealthCheck {
    private final FacesConfig faces;
    private final FaceRuntime runtime;

    public FacesReadinessCheck(FacesConfig faces, FaceRuntime runtime) {
        this.faces = faces;
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("faces").withData("enabled", faces.enabled());
        if (faces.enabled()) {
            b.withData("purpose", faces.purpose().orElse("")).withData("legalBasis", faces.legalBasis().orElse(""));
            FaceService svc = runtime.current();
            b.withData("galleryIdentities", svc == null ? -1L : svc.gallery().identities().size())
                    .withData("galleryTemplates", svc == null ? -1L : svc.gallery().size());
        }
        return b.up().build();
    }
}
