package io.edgewatch.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MotChallengeTest {

    @Test
    void readsTenSevenAndNineColumnRows() throws Exception {
        List<MotRow> rows = MotChallenge.parse("gt.txt", """
                1,1,399,182,121,229,1,-1,-1,-1
                1,2,88,99,61.08,218.56,1,4.4852,5.5016,0

                2, 1 , 400.5, 183, 120, 228, 0
                3.0,4,1,2,3,4,0.5,1,7
                4 1 10 20 30 40 0.9 -1 -1 -1
                """);
        assertThat(rows).hasSize(5);
        assertThat(rows.get(4)).isEqualTo(MotRow.result(4, 1, 10, 20, 30, 40, 0.9));
        assertThat(rows.get(0)).isEqualTo(new MotRow(1, 1, 399, 182, 121, 229, 1, -1, -1, -1));
        assertThat(rows.get(1).x()).isEqualTo(4.4852);
        assertThat(rows.get(2)).isEqualTo(new MotRow(2, 1, 400.5, 183, 120, 228, 0, -1, -1, -1));
        assertThat(rows.get(2).doNotCare()).isTrue();
        assertThat(rows.get(0).doNotCare()).isFalse();
        // TrackEval reads the flag with astype(int): 0.5 truncates to 0, do not care
        assertThat(rows.get(3).doNotCare()).isTrue();
        assertThat(rows.get(3).frame()).isEqualTo(3);
        assertThat(rows.get(3).z()).isEqualTo(-1);
    }

    @Test
    void malformedLinesNameFileAndLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("gt.txt");
        Files.writeString(f, "1,1,10,10,5,5,1,-1,-1,-1\n1,2,10,10,5\n");
        assertThatThrownBy(() -> MotChallenge.read(f))
                .isInstanceOf(MotFormatException.class)
                .hasMessageStartingWith(f + " line 2: expected 7 to 10 comma-separated values")
                .satisfies(e -> {
                    assertThat(((MotFormatException) e).line()).isEqualTo(2);
                    assertThat(((MotFormatException) e).source()).isEqualTo(f.toString());
                });
        assertBad("1,1,10,x,5,5,1", 1, "top is not a decimal number: 'x'");
        assertBad("\n\n0,1,10,10,5,5,1", 3, "frame must be >= 1");
        assertBad("1,1.5,10,10,5,5,1", 1, "id must be an integer");
        assertBad("1,1,10,10,-5,5,1", 1, "width and height must be >= 0");
        assertBad("1,1,10,10,5,5,NaN", 1, "flag_or_score is not a decimal number");
        assertBad("1,1,10,10,5,5,1e999", 1, "flag_or_score is out of range");
        assertBad("1,1,10,10,5,5,1,-1,-1,-1,9", 1, "found 11");
        assertBad("1 1 10 10 5 5", 1, "found 6");
        assertBad("1,1,10,10,5,5,1\n2,1,10,10,5,5,1\n1,1,0,0,5,5,1", 3,
                "id 1 appears twice in frame 1 (first on line 1)");
    }

    private static void assertBad(String text, int line, String reason) {
        assertThatThrownBy(() -> MotChallenge.parse("res.txt", text))
                .isInstanceOf(MotFormatException.class)
                .hasMessageStartingWith("res.txt line " + line + ": ")
                .hasMessageContaining(reason);
    }

    @Test
    void writesResultRowsSortedAndReadsThemBack(@TempDir Path dir) throws IOException {
        List<MotRow> rows = List.of(MotRow.result(2, 1, 10.5, 20, 30.123, 40, 0.87654),
                MotRow.result(1, 7, 1, 2, 3, 4, 1), MotRow.result(1, 3, -5, 0, 0, 0, 0.5));
        assertThat(MotChallenge.formatResult(rows.get(0))).isEqualTo("2,1,10.5,20,30.12,40,0.8765,-1,-1,-1");
        Path f = dir.resolve("res.txt");
        MotChallenge.writeResults(f, rows);
        assertThat(Files.readString(f)).isEqualTo("""
                1,3,-5,0,0,0,0.5,-1,-1,-1
                1,7,1,2,3,4,1,-1,-1,-1
                2,1,10.5,20,30.12,40,0.8765,-1,-1,-1
                """);
        assertThat(MotChallenge.read(f)).containsExactly(rows.get(2), rows.get(1),
                MotRow.result(2, 1, 10.5, 20, 30.12, 40, 0.8765));
    }

    @Test
    void readsSeqInfo(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("seqinfo.ini");
        Files.writeString(f, "[Sequence]\nname=TUD-Campus\nimDir=img1\nframeRate=25\nseqLength=71\nimWidth=640\n"
                + "imHeight=480\nimExt=.jpg\n");
        assertThat(SeqInfo.read(f)).isEqualTo(new SeqInfo("TUD-Campus", 71, 25, 640, 480));
        Files.writeString(f, "[Sequence]\nframeRate=25\nseqLength=seventy\n");
        assertThatThrownBy(() -> SeqInfo.read(f)).isInstanceOf(MotFormatException.class)
                .hasMessage(f + " line 3: seqLength is not an integer: 'seventy'");
        Files.writeString(f, "[Sequence]\nframeRate=25\n");
        assertThatThrownBy(() -> SeqInfo.read(f)).isInstanceOf(MotFormatException.class)
                .hasMessage(f + ": seqLength is missing");
    }
}
