package io.edgewatch.util;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.face.FaceException;
import io.edgewatch.face.Gallery;
import io.edgewatch.face.GalleryCipher;
import io.edgewatch.mqtt.EventSpool;
import io.edgewatch.mqtt.SpoolSettings;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10, item 6: spool and gallery files are read with explicit MVStore data types; a file carrying a serialised
 * Java object is refused without the object ever being deserialised; a spool of the earlier (default-typed) format is
 * migrated with nothing lost; the spool is readable by its owner only.
 */
class HostileStoreTest {
    /** Set when Java deserialisation reached this class: must never happen. */
    static volatile boolean deserialised;

    /** A serialisable payload whose deserialisation would be visible (a stand-in for a gadget chain). */
    static final class Gadget implements Serializable {
        private static final long serialVersionUID = 1L;

        private void readObject(ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
            deserialised = true;
            in.defaultReadObject();
        }
    }

    private static SpoolSettings settings(Path dir) {
        return new SpoolSettings(dir, 1 << 20, 3_600_000, false, 4, 100, 1_000);
    }

    @Test
    void aSpoolHoldingASerialisedObjectIsMovedAsideUnread(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("spool");
        Files.createDirectories(dir);
        try (MVStore s = new MVStore.Builder().fileName(dir.resolve(EventSpool.FILE_NAME).toString()).open()) {
            MVMap<Object, Object> events = s.openMap("events"); // the earlier default object type
            events.put(1L, new Gadget());
            s.commit();
        }
        try (EventSpool spool = new EventSpool(settings(dir))) {
            assertThat(spool.depth()).isZero();
            spool.append(1, "t", "{}".getBytes(StandardCharsets.UTF_8)); // a fresh spool that works
            assertThat(spool.depth()).isEqualTo(1);
        }
        assertThat(deserialised).as("the gadget's readObject ran").isFalse();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith(EventSpool.FILE_NAME + ".corrupt-"));
        }
    }

    @Test
    void anEarlierFormatSpoolIsMigratedWithNothingLost(@TempDir Path tmp) throws Exception {
        // events written by today's spool, their stored values copied into a file of the earlier format
        Path now = tmp.resolve("now");
        try (EventSpool spool = new EventSpool(settings(now))) {
            for (int i = 1; i <= 3; i++) {
                spool.append(i, "edgewatch/dev/cam" + i + "/events", ("{\"seq\":" + i + "}").getBytes(StandardCharsets.UTF_8));
            }
        }
        Map<Long, byte[]> stored = new TreeMap<>();
        try (MVStore s = new MVStore.Builder().fileName(now.resolve(EventSpool.FILE_NAME).toString()).readOnly().open()) {
            MVMap<Long, byte[]> m = s.openMap("events" + TypedMaps.SUFFIX,
                    new MVMap.Builder<Long, byte[]>().keyType(LongDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
            stored.putAll(m);
        }
        assertThat(stored).hasSize(3);
        Path old = tmp.resolve("old");
        Files.createDirectories(old);
        try (MVStore s = new MVStore.Builder().fileName(old.resolve(EventSpool.FILE_NAME).toString()).open()) {
            s.<Long, byte[]>openMap("events").putAll(stored);
            s.<String, Long>openMap("meta").put("lastSeq", 3L);
            s.openMap("gaps");
            s.commit();
        }
        try (EventSpool spool = new EventSpool(settings(old))) {
            assertThat(spool.depth()).isEqualTo(3);
            assertThat(spool.lastSeq()).isEqualTo(3);
            EventSpool.Entry first = spool.first();
            assertThat(first.seq()).isEqualTo(1);
            assertThat(first.topic()).isEqualTo("edgewatch/dev/cam1/events");
            assertThat(new String(first.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"seq\":1}");
            spool.append(4, "t", "{}".getBytes(StandardCharsets.UTF_8)); // seq continues, never reused
        }
        try (MVStore s = new MVStore.Builder().fileName(old.resolve(EventSpool.FILE_NAME).toString()).readOnly().open()) {
            assertThat(s.hasMap("events")).isFalse();
            assertThat(s.hasMap("events" + TypedMaps.SUFFIX)).isTrue();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(old.resolve(EventSpool.FILE_NAME)))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(now))).isEqualTo("rwx------");
    }

    @Test
    void aGalleryHoldingASerialisedObjectIsRefusedUnread(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("gallery");
        Files.createDirectories(dir);
        Path key = tmp.resolve("key");
        GalleryCipher.generateKeyFile(key);
        try (MVStore s = new MVStore.Builder().fileName(dir.resolve("gallery.mv.db").toString()).open()) {
            s.openMap("meta").put("check", new Gadget());
            s.commit();
        }
        assertThatThrownBy(() -> Gallery.open(dir, GalleryCipher.fromKeyFile(key), new ObjectMapper(), System.currentTimeMillis()))
                .isInstanceOf(FaceException.class).hasMessageContaining("gallery").hasMessageContaining("meta");
        assertThat(deserialised).as("the gadget's readObject ran").isFalse();
    }

    @Test
    void anEarlierFormatGalleryIsMigratedWithItsTemplates(@TempDir Path tmp) throws Exception {
        Path key = tmp.resolve("key");
        GalleryCipher.generateKeyFile(key);
        ObjectMapper mapper = new ObjectMapper();
        Path now = tmp.resolve("now");
        float[] e = new float[192];
        e[0] = 1f;
        try (Gallery g = Gallery.open(now, GalleryCipher.fromKeyFile(key), mapper, System.currentTimeMillis())) {
            g.add("person-A", e, "mobilefacenet", 1.0, System.currentTimeMillis(), 0);
        }
        Map<String, Map<String, byte[]>> stored = new TreeMap<>();
        try (MVStore s = new MVStore.Builder().fileName(now.resolve("gallery.mv.db").toString()).readOnly().open()) {
            for (String name : new String[] {"meta", "templates"}) {
                stored.put(name, new TreeMap<>(s.openMap(name + TypedMaps.SUFFIX, new MVMap.Builder<String, byte[]>()
                        .keyType(org.h2.mvstore.type.StringDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE))));
            }
        }
        Path old = tmp.resolve("old");
        Files.createDirectories(old);
        try (MVStore s = new MVStore.Builder().fileName(old.resolve("gallery.mv.db").toString()).open()) {
            s.<String, byte[]>openMap("meta").putAll(stored.get("meta"));
            s.<String, byte[]>openMap("templates").putAll(stored.get("templates"));
            s.commit();
        }
        try (Gallery g = Gallery.open(old, GalleryCipher.fromKeyFile(key), mapper, System.currentTimeMillis())) {
            assertThat(g.identities()).extracting(Gallery.Identity::identity).containsExactly("person-A");
            assertThat(g.size()).isEqualTo(1);
        }
    }
}
