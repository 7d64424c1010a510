package dev.switchboard.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CrashMarksTest {
    @Test
    void aRunningMarkMakesEveryFetchedRecordFromThePositionASuspectTriedNoTimesYet() {
        assertThat(CrashMarks.read(10, CrashMarks.running(14))).contains(new CrashMarks.Suspects(10, 14, 0, false));
        assertThat(CrashMarks.read(15, CrashMarks.running(14))).isEmpty();
    }

    @Test
    void aTryingMarkAtThePositionCountsItsTriesAndKeepsTheRangeOfSuspects() {
        CrashMarks.Suspects suspects = CrashMarks.read(12, CrashMarks.trying(12, 2, 20)).orElseThrow();

        assertThat(suspects).isEqualTo(new CrashMarks.Suspects(12, 20, 2, true));
        assertThat(suspects.triesIncluding(12)).isEqualTo(3);
        assertThat(suspects.triesIncluding(13)).isEqualTo(1);
    }

    @Test
    void aBatchMarkAtThePositionMeansOneOfTheSuspectsKilledTheMemberSoTheyGoOneAtATime() {
        assertThat(CrashMarks.read(10, CrashMarks.batch(10, 30))).contains(new CrashMarks.Suspects(10, 30, 0, true));
        assertThat(CrashMarks.read(11, CrashMarks.batch(10, 30))).isEmpty();
        assertThat(CrashMarks.runningUpTo(CrashMarks.running(42))).isEqualTo(42);
        assertThat(CrashMarks.runningUpTo(CrashMarks.batch(1, 2))).isEqualTo(-1);
    }

    @Test
    void aTryingMarkOfAnotherOffsetACleanMarkOrForeignMetadataLeaveNothingSuspect() {
        assertThat(CrashMarks.read(13, CrashMarks.trying(12, 2, 20))).isEmpty();
        assertThat(CrashMarks.read(12, CrashMarks.CLEAN)).isEmpty();
        assertThat(CrashMarks.read(12, "")).isEmpty();
        assertThat(CrashMarks.read(12, null)).isEmpty();
        assertThat(CrashMarks.read(12, "switchboard:running:x")).isEmpty();
        assertThat(CrashMarks.read(12, "spring:whatever")).isEmpty();
    }
}
