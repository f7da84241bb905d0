package io.edgewatch.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.detect.BoxNorm;
import io.edgewatch.detect.Detection;
import io.edgewatch.track.Tracker;
import io.edgewatch.track.TrackerSettings;
import io.edgewatch.testsupport.EventSchema;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrackEventBuilderTest {
    private static final TrackerSettings TS = new TrackerSettings(0.3, 0.5, 0.0, 0.0, 0.45, 3, 2, 500, 4);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static Detection person(double cx) {
        return new Detection(0, "person", 0.9, BoxNorm.ofCenter(cx, 0.5, 0.05, 0.15));
    }

    /** Runs a walker moving 0.002 per frame at 10 fps for {@code frames} frames, then nothing for 5 frames. */
    private static List<TrackEvent> walk(EventPolicy policy, int frames, double step) {
        Tracker tracker = new Tracker(TS, "r-cam");
        TrackEventBuilder b = new TrackEventBuilder("dev", "cam", policy);
        List<TrackEvent> out = new ArrayList<>();
        for (int i = 0; i < frames + 5; i++) {
            List<Detection> d = i < frames ? List.of(person(0.2 + step * i)) : List.of();
            out.addAll(b.onFrame(tracker.update(d, i, 1_000_000 + i * 100L), 768, 576, i, 1_000_000 + i * 100L));
        }
        assertThat(b.openTracks()).isZero();
        return out;
    }

    @Test
    void newUpdatesAndEndWithSummary() {
        List<TrackEvent> ev = walk(new EventPolicy(2_000, 1_000, 1.0), 60, 0.002); // 6 s walk, update every 2 s
        assertThat(ev).extracting(TrackEvent::type).containsExactly(
                EventType.NEW, EventType.UPDATE, EventType.UPDATE, EventType.END);
        TrackEvent first = ev.get(0);
        assertThat(first.time()).isEqualTo(EventTime.format(1_000_200)); // confirmed on the third frame
        assertThat(first.track().hits()).isEqualTo(3);
        assertThat(first.track().id()).isEqualTo("r-cam-1");
        assertThat(first.frame()).isEqualTo(new TrackEvent.FrameRef(768, 576, 2));
        assertThat(ev.get(1).time()).isEqualTo(EventTime.format(1_002_200));
        assertThat(ev.get(2).time()).isEqualTo(EventTime.format(1_004_200));
        TrackEvent end = ev.get(3);
        assertThat(end.summary()).isNotNull();
        assertThat(end.summary().durationMs()).isEqualTo(5_900);
        assertThat(end.summary().hits()).isEqualTo(60);
        assertThat(end.summary().reason()).isEqualTo("lost");
        assertThat(end.summary().path()).hasSizeBetween(2, 4);
        assertThat(end.summary().path().get(0).x()).isEqualTo(0.2);
        assertThat(end.track().velocity()[0]).isCloseTo(0.02, org.assertj.core.api.Assertions.within(0.002)); // 0.002/frame * 10 fps
    }

    @Test
    void materialChangeTriggersAnEarlierUpdateButNotFasterThanTheMinimum() {
        // no periodic updates; material move 0.05: a walker at 0.01/frame moves that far in 0.5 s, but updates keep 1 s apart
        List<TrackEvent> ev = walk(new EventPolicy(0, 1_000, 0.05), 40, 0.01);
        List<TrackEvent> updates = ev.stream().filter(e -> e.type() == EventType.UPDATE).toList();
        assertThat(updates).hasSize(3); // 1.0 s, 2.0 s and 3.0 s after the new; the walk lasts 3.7 s after it
        // a slow walker (0.001/frame, 0.04 in 4 s) never moves materially
        assertThat(walk(new EventPolicy(0, 1_000, 0.05), 40, 0.001)).extracting(TrackEvent::type)
                .containsExactly(EventType.NEW, EventType.END);
        long prev = EventTime.parse(ev.get(0).time());
        for (TrackEvent u : updates) {
            long t = EventTime.parse(u.time());
            assertThat(t - prev).isGreaterThanOrEqualTo(1_000);
            prev = t;
        }
    }

    @Test
    void anOccludedTrackKeepsItsLastObservedBoxInsteadOfAnExtrapolation() {
        // a person shrinking (walking away, or being occluded from below) by 0.006 in height per frame, then not detected
        Tracker tracker = new Tracker(TS, "r-cam");
        TrackEventBuilder b = new TrackEventBuilder("dev", "cam", new EventPolicy(100, 100, 1.0));
        List<TrackEvent> out = new ArrayList<>();
        BoxNorm last = null;
        for (int i = 0; i < 25; i++) {
            List<Detection> d = List.of();
            if (i < 20) {
                last = BoxNorm.ofCenter(0.5, 0.5, 0.1, 0.2 - 0.006 * i);
                d = List.of(new Detection(0, "person", 0.9, last));
            }
            out.addAll(b.onFrame(tracker.update(d, i, 1_000_000 + i * 100L), 768, 576, i, 1_000_000 + i * 100L));
        }
        TrackEvent end = out.get(out.size() - 1);
        assertThat(end.type()).isEqualTo(EventType.END);
        double lastHeight = last.height(); // 0.086
        TrackEvent.Box lb = end.summary().lastBoxNorm();
        assertThat(lb.yMax() - lb.yMin()).as("last box height").isCloseTo(lastHeight, org.assertj.core.api.Assertions.within(0.01));
        assertThat(end.track().boxNorm()).isEqualTo(lb);
        // updates sent while the person was not detected (frames 20..22) repeat the last observed box
        List<TrackEvent> whileMissed = out.stream().filter(e -> e.type() == EventType.UPDATE && e.frame().seq() >= 20).toList();
        assertThat(whileMissed).isNotEmpty().allSatisfy(e -> assertThat(e.track().boxNorm()).isEqualTo(lb));
    }

    @Test
    void eventsValidateAgainstTheSchemaAndStayMetadataOnly() throws Exception {
        List<TrackEvent> ev = walk(EventPolicy.defaults(), 80, 0.003);
        List<byte[]> payloads = new ArrayList<>();
        EventPublisher p = new EventPublisher(new EventSink() {
            @Override
            public void send(String topic, byte[] payload, boolean retained) {
                payloads.add(payload);
            }

            @Override
            public boolean connected() {
                return true;
            }

            @Override
            public String describe() {
                return "list";
            }

            @Override
            public void close() {
            }
        }, MAPPER, "edgewatch", 1);
        List<TrackEvent> sent = p.publish(ev);
        assertThat(sent).extracting(TrackEvent::seq).containsExactly(
                java.util.stream.LongStream.rangeClosed(1, ev.size()).boxed().toArray(Long[]::new));
        assertThat(payloads).hasSize(ev.size());
        for (byte[] payload : payloads) {
            JsonNode n = MAPPER.readTree(payload);
            assertThat(EventSchema.validate(n)).as("schema errors of %s", n).isEmpty();
        }
        assertThat(p.maxPayloadBytes()).isLessThan(2_048);
        assertThat(p.eventsTopic("dev", "cam")).isEqualTo("edgewatch/dev/cam/events");
    }

    @Test
    void schemaRejectsWhatItMustReject() throws Exception {
        JsonNode ok = MAPPER.valueToTree(walk(EventPolicy.defaults(), 10, 0.001).get(0).withSeq(1));
        assertThat(EventSchema.validate(ok)).isEmpty();
        com.fasterxml.jackson.databind.node.ObjectNode withImage = ok.deepCopy();
        withImage.put("snapshot", "/9j/4AAQSkZJRgABAQ");
        assertThat(EventSchema.validate(withImage)).isNotEmpty();
        com.fasterxml.jackson.databind.node.ObjectNode endWithoutSummary = ok.deepCopy();
        endWithoutSummary.put("type", "end");
        assertThat(EventSchema.validate(endWithoutSummary)).isNotEmpty();
    }

    /** Dwell in zones (issue 12 item 2): optional fields of version 1, {zone, seconds} and nothing else. */
    @Test
    void dwellFieldsValidateAndBadOnesDoNot() throws Exception {
        List<TrackEvent> ev = walk(EventPolicy.defaults(), 10, 0.001);
        TrackEvent update = ev.get(0).withSeq(1);
        TrackEvent end = ev.get(ev.size() - 1).withSeq(2);
        assertThat(MAPPER.valueToTree(update).at("/track/dwell").isMissingNode()).as("absent unless an alert fired").isTrue();
        assertThat(MAPPER.valueToTree(end).at("/summary/dwell").isMissingNode()).as("absent without zones").isTrue();
        JsonNode alert = MAPPER.valueToTree(update.withTrack(update.track().withZones(List.of("door"), null)
                .withDwell(List.of(new TrackEvent.Dwell("door", 30.04)))));
        assertThat(alert.at("/track/dwell").toString()).isEqualTo("[{\"zone\":\"door\",\"seconds\":30.04}]");
        assertThat(EventSchema.validate(alert)).isEmpty();
        JsonNode summary = MAPPER.valueToTree(end.withSummary(end.summary().withZones(List.of("door", "yard"), null)
                .withDwell(List.of(new TrackEvent.Dwell("door", 41.5), new TrackEvent.Dwell("yard", 0.0)))));
        assertThat(summary.at("/summary/dwell/1").toString()).isEqualTo("{\"zone\":\"yard\",\"seconds\":0.0}");
        assertThat(EventSchema.validate(summary)).isEmpty();

        com.fasterxml.jackson.databind.node.ObjectNode negative = alert.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) negative.at("/track/dwell/0")).put("seconds", -1);
        assertThat(EventSchema.validate(negative)).isNotEmpty();
        com.fasterxml.jackson.databind.node.ObjectNode noZone = alert.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) noZone.at("/track/dwell/0")).remove("zone");
        assertThat(EventSchema.validate(noZone)).isNotEmpty();
        com.fasterxml.jackson.databind.node.ObjectNode extra = alert.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) extra.at("/track/dwell/0")).put("face", "alice");
        assertThat(EventSchema.validate(extra)).isNotEmpty();
        com.fasterxml.jackson.databind.node.ObjectNode empty = alert.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) empty.at("/track")).putArray("dwell");
        assertThat(EventSchema.validate(empty)).as("an alert list is never empty").isNotEmpty();
        com.fasterxml.jackson.databind.node.ObjectNode badName = summary.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) badName.at("/summary/dwell/0")).put("zone", "front door");
        assertThat(EventSchema.validate(badName)).isNotEmpty();
    }

    /** Clothing colours (issue 11 item 4): optional, from the palette only, and no other attribute of the person. */
    @Test
    void clothingColoursValidateAndNothingElseAboutThePersonDoes() throws Exception {
        List<TrackEvent> ev = walk(EventPolicy.defaults(), 10, 0.001);
        TrackEvent end = ev.get(ev.size() - 1).withSeq(1);
        assertThat(end.summary().clothing()).as("no appearance in this walk: nothing decided").isNull();
        TrackEvent dressed = end.withSummary(end.summary().withClothing(new TrackEvent.ClothingInfo(
                new TrackEvent.ColourInfo("red", 0.41), new TrackEvent.ColourInfo("blue", 0.55))));
        JsonNode n = MAPPER.valueToTree(dressed);
        assertThat(n.at("/summary/clothing").toString()).isEqualTo(
                "{\"upper\":{\"colour\":\"red\",\"confidence\":0.41},\"lower\":{\"colour\":\"blue\",\"confidence\":0.55}}");
        assertThat(EventSchema.validate(n)).isEmpty();
        JsonNode upperOnly = MAPPER.valueToTree(end.withSummary(end.summary().withClothing(
                new TrackEvent.ClothingInfo(new TrackEvent.ColourInfo("black", 0.8), null))));
        assertThat(upperOnly.at("/summary/clothing/lower").isMissingNode()).isTrue();
        assertThat(EventSchema.validate(upperOnly)).isEmpty();
        com.fasterxml.jackson.databind.node.ObjectNode beige = n.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) beige.at("/summary/clothing/upper")).put("colour", "beige");
        assertThat(EventSchema.validate(beige)).isNotEmpty();
        com.fasterxml.jackson.databind.node.ObjectNode gender = n.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) gender.at("/summary/clothing")).put("gender", "female");
        assertThat(EventSchema.validate(gender)).isNotEmpty();
        com.fasterxml.jackson.databind.node.ObjectNode age = n.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) age.at("/summary")).put("age", 30);
        assertThat(EventSchema.validate(age)).isNotEmpty();
    }
}
