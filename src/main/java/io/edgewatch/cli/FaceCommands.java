package io.edgewatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.config.FacesConfig;
import io.edgewatch.face.AuditLog;
import io.edgewatch.face.FaceAnalyzer;
import io.edgewatch.face.FaceEnrolment;
import io.edgewatch.face.FaceException;
import io.edgewatch.face.FaceService;
import io.edgewatch.face.FaceSettings;
import io.edgewatch.face.Gallery;
import io.edgewatch.face.GalleryCipher;
import io.edgewatch.inference.ModelException;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Face gallery commands: {@code enroll}, {@code identify} and {@code gallery list|remove|verify-audit|new-key}. They
 * use the face configuration ({@code edgewatch.faces.*}: purpose and legal basis must be declared, models, quality
 * gate, threshold) with the gallery folder and key file given on the command line; each writes the audit log of the
 * gallery ({@code <gallery>/audit.jsonl} unless {@code --audit-file}). Exit code 0 on success, 1 when an image was
 * refused or the audit chain is broken, 2 on a bad key, file, model or configuration.
 */
final class FaceCommands {
    private FaceCommands() {
    }

    /** Options shared by the gallery commands. */
    static class GalleryOptions {
        @CommandLine.Option(names = "--gallery", description = "Gallery folder (default: edgewatch.faces.gallery-dir).")
        Path gallery;

        @CommandLine.Option(names = "--key-file", description = "File with the gallery's 256-bit key (default: edgewatch.faces.key-file).")
        Path keyFile;

        @CommandLine.Option(names = "--audit-file", description = "Audit log (default: edgewatch.faces.audit-file, or <gallery>/audit.jsonl).")
        Path auditFile;

        FaceSettings settings(FacesConfig config) {
            FaceSettings s = FaceSettings.of(config);
            Path dir = gallery != null ? gallery : s.galleryDir();
            Path key = keyFile != null ? keyFile : s.keyFile();
            Path audit = auditFile != null ? auditFile : (gallery != null || config.auditFile().isEmpty() ? dir.resolve("audit.jsonl") : s.auditFile());
            return s.withGallery(dir, key, audit);
        }

        /**
         * Settings of a command that reads an existing gallery ({@code identify}, {@code gallery list|remove}): a
         * mistyped folder must not silently become a new, empty gallery where everyone is unknown.
         *
         * @throws FaceException naming the folder when it holds no gallery
         */
        FaceSettings existing(FacesConfig config) {
            FaceSettings s = settings(config);
            if (!java.nio.file.Files.isRegularFile(s.galleryDir().resolve("gallery.mv.db"))) {
                throw new io.edgewatch.face.FaceException("no gallery in " + s.galleryDir().toAbsolutePath()
                        + " (gallery.mv.db not found): check --gallery / edgewatch.faces.gallery-dir; `enroll` creates a gallery");
            }
            return s;
        }
    }

    static int fail(RuntimeException e) {
        System.err.println("edgewatch: " + e.getMessage());
        return 2;
    }

    @CommandLine.Command(name = "enroll", mixinStandardHelpOptions = true,
            description = {"Enrol the identity --id NAME from photos with exactly one face each: detect, align, quality-check, embed, store encrypted.",
                    "With several photos, progress goes to standard error (see --progress)."})
    static class Enroll implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Mixin
        GalleryOptions g = new GalleryOptions();

        @CommandLine.Option(names = "--id", required = true, description = "Identity name (1..128 characters).")
        String id;

        @CommandLine.Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Photos of the person, one face each.")
        List<Path> images;

        @CommandLine.Option(names = "--allow-mismatch", description = "Store a face even when it does not match the identity's"
                + " enrolled faces or matches another identity (refused by default).")
        boolean allowMismatch;

        @CommandLine.Mixin
        Progress.Option progress = new Progress.Option();

        private final FacesConfig config;
        private final ObjectMapper mapper;

        Enroll(FacesConfig config, ObjectMapper mapper) {
            this.config = config;
            this.mapper = mapper;
        }

        @Override
        public Integer call() {
            FaceSettings s = g.settings(config);
            try (FaceService svc = FaceService.open(s, mapper, "cli", System.currentTimeMillis());
                 FaceAnalyzer analyzer = FaceAnalyzer.load(s, mapper)) {
                FaceEnrolment e = new FaceEnrolment(svc, analyzer);
                int refused = 0;
                try (Progress p = images.size() > 1 ? progress.start("enroll", images.size(), "photos") : Progress.off()) {
                    for (Path img : images) {
                        try (var m = FaceEnrolment.read(img)) {
                            var q = e.enroll(id, m, img.toString(), "cli", System.currentTimeMillis(), allowMismatch);
                            p.clear(); // one line per photo on standard output, not glued to the progress line
                            System.out.printf("enrolled %s from %s (face %.0f px, quality %.2f)%n", id, img, q.facePx(), q.weight());
                        } catch (FaceException ex) {
                            p.clear();
                            System.err.println("edgewatch: " + ex.getMessage());
                            refused++;
                        }
                        p.advance();
                    }
                    p.finish();
                }
                return refused == 0 ? 0 : 1;
            } catch (FaceException | ModelException | IllegalArgumentException ex) {
                return fail(ex);
            }
        }
    }

    @CommandLine.Command(name = "identify", mixinStandardHelpOptions = true,
            description = "Identify every face of each photo; prints one JSON line per face: image, box (pixels), identity or null, score.")
    static class Identify implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Mixin
        GalleryOptions g = new GalleryOptions();

        @CommandLine.Option(names = "--timings", description = "Also print detect, align and embed ms per face.")
        boolean timings;

        @CommandLine.Parameters(arity = "1..*", paramLabel = "IMAGE")
        List<Path> images;

        private final FacesConfig config;
        private final ObjectMapper mapper;

        Identify(FacesConfig config, ObjectMapper mapper) {
            this.config = config;
            this.mapper = mapper;
        }

        @Override
        public Integer call() throws Exception {
            FaceSettings s;
            try {
                s = g.existing(config);
            } catch (FaceException ex) {
                return fail(ex);
            }
            try (FaceService svc = FaceService.open(s, mapper, "cli", System.currentTimeMillis());
                 FaceAnalyzer analyzer = FaceAnalyzer.load(s, mapper)) {
                FaceEnrolment e = new FaceEnrolment(svc, analyzer);
                for (Path img : images) {
                    try (var m = FaceEnrolment.read(img)) {
                        for (FaceEnrolment.Identified r : e.identify(m, img.toString(), "cli", System.currentTimeMillis())) {
                            Map<String, Object> line = new LinkedHashMap<>();
                            line.put("image", img.toString());
                            line.put("box", Map.of("xMin", Math.round(r.box()[0]), "yMin", Math.round(r.box()[1]),
                                    "xMax", Math.round(r.box()[2]), "yMax", Math.round(r.box()[3])));
                            line.put("identity", r.identity());
                            line.put("score", Double.isNaN(r.score()) ? null : Math.round(r.score() * 10_000) / 10_000.0);
                            if (!r.quality().passed()) {
                                line.put("refused", r.quality().reason());
                            } else if (r.quality().grayscale() && s.grayscalePolicy() == FaceSettings.GrayscalePolicy.REFUSE) {
                                line.put("refused", "grayscale/IR face (edgewatch.faces.grayscale-policy=refuse)");
                            }
                            if (timings) {
                                line.put("detectMs", Math.round(analyzer.lastDetectMs() * 100) / 100.0);
                                line.put("alignMs", Math.round(analyzer.lastAlignMs() * 100) / 100.0);
                                line.put("embedMs", Math.round(analyzer.lastEmbedMs() * 100) / 100.0);
                            }
                            System.out.println(mapper.writeValueAsString(line));
                        }
                    } catch (FaceException ex) {
                        System.err.println("edgewatch: " + ex.getMessage());
                    }
                }
                return 0;
            } catch (FaceException | ModelException | IllegalArgumentException ex) {
                return fail(ex);
            }
        }
    }

    @CommandLine.Command(name = "gallery", mixinStandardHelpOptions = true, description = "Inspect and maintain the face gallery.",
            subcommands = {GalleryList.class, GalleryRemove.class, GalleryVerifyAudit.class, GalleryNewKey.class})
    static class GalleryCommand {
    }

    @CommandLine.Command(name = "list", mixinStandardHelpOptions = true,
            description = "One JSON line per identity: name, templates, models, first enrolment, earliest expiry (no templates).")
    static class GalleryList implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Mixin
        GalleryOptions g = new GalleryOptions();
        private final FacesConfig config;
        private final ObjectMapper mapper;

        GalleryList(FacesConfig config, ObjectMapper mapper) {
            this.config = config;
            this.mapper = mapper;
        }

        @Override
        public Integer call() throws Exception {
            try (FaceService svc = FaceService.open(g.existing(config), mapper, "cli", System.currentTimeMillis())) {
                List<Gallery.Identity> ids = svc.gallery().identities();
                for (Gallery.Identity i : ids) {
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("identity", i.identity());
                    line.put("templates", i.templates());
                    line.put("models", i.models());
                    line.put("enrolled", io.edgewatch.events.EventTime.format(i.firstAddedMs()));
                    line.put("expires", i.expiresMs() == 0 ? null : io.edgewatch.events.EventTime.format(i.expiresMs()));
                    System.out.println(mapper.writeValueAsString(line));
                }
                svc.audit().append("list", System.currentTimeMillis(), Map.of("actor", "cli", "identities", ids.size()));
                return 0;
            } catch (FaceException | IllegalArgumentException ex) {
                return fail(ex);
            }
        }
    }

    @CommandLine.Command(name = "remove", mixinStandardHelpOptions = true, description = "Delete every template of an identity.")
    static class GalleryRemove implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Mixin
        GalleryOptions g = new GalleryOptions();

        @CommandLine.Option(names = "--id", required = true, description = "Identity name.")
        String id;

        private final FacesConfig config;
        private final ObjectMapper mapper;

        GalleryRemove(FacesConfig config, ObjectMapper mapper) {
            this.config = config;
            this.mapper = mapper;
        }

        @Override
        public Integer call() {
            try (FaceService svc = FaceService.open(g.existing(config), mapper, "cli", System.currentTimeMillis())) {
                int n = svc.gallery().remove(id);
                svc.audit().append("delete", System.currentTimeMillis(), Map.of("actor", "cli", "identity", id, "templates", n));
                if (n == 0) {
                    System.err.println("edgewatch: identity '" + id + "' is not in the gallery " + svc.gallery().dir());
                    return 1;
                }
                System.out.println("removed " + id + " (" + n + " templates)");
                return 0;
            } catch (FaceException | IllegalArgumentException ex) {
                return fail(ex);
            }
        }
    }

    @CommandLine.Command(name = "verify-audit", mixinStandardHelpOptions = true,
            description = "Re-compute the audit log's SHA-256 hash chain; exit 1 and name the first bad line when it is broken.")
    static class GalleryVerifyAudit implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Mixin
        GalleryOptions g = new GalleryOptions();
        private final FacesConfig config;
        private final ObjectMapper mapper;

        GalleryVerifyAudit(FacesConfig config, ObjectMapper mapper) {
            this.config = config;
            this.mapper = mapper;
        }

        @Override
        public Integer call() {
            Path file = g.settings(config).auditFile();
            try {
                AuditLog.Verification v = AuditLog.verify(file, mapper);
                if (v.ok()) {
                    System.out.println("audit log " + file + ": " + v.entries() + " entries, hash chain intact");
                    return 0;
                }
                System.out.println("audit log " + file + ": BROKEN at line " + v.badLine() + ": " + v.reason() + " (" + v.entries() + " entries before it verified)");
                return 1;
            } catch (FaceException ex) {
                return fail(ex);
            }
        }
    }

    @CommandLine.Command(name = "new-key", mixinStandardHelpOptions = true, description = "Write a new random 256-bit gallery key file (mode 0600).")
    static class GalleryNewKey implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() {
            try {
                GalleryCipher.generateKeyFile(file);
                System.out.println("wrote " + file);
                return 0;
            } catch (FaceException ex) {
                return fail(ex);
            }
        }
    }
}
