package io.flotilla.raft.confchange;

import io.flotilla.raft.message.ConfChangeSingle;
import io.flotilla.raft.message.ConfChangeType;
import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.tracker.ProgressTracker;
import io.flotilla.raft.tracker.TrackerConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * A configuration persisted as a {@link ConfState} (with a snapshot) must come back exactly:
 * random walks of membership changes, each configuration reached is restored into a fresh
 * tracker and compared.
 */
class ConfStateRestorerPropertyTest {
    private static final int WALKS = 1_500;
    private static final long BASE_SEED = 0xC0F_0000L;

    /** What the walks reached, to prove the generator covers the interesting shapes. */
    private int restored;
    private int joint;
    private int withLearnersNext;
    private int withLearners;
    private int autoLeave;

    @Test
    @DisplayName("restoring config.toConfState() yields the same configuration, with progress for every member")
    void restoreRoundTrips() {
        for (int walk = 0; walk < WALKS; walk++) {
            randomWalk(BASE_SEED + walk);
        }
        assertThat(restored).isGreaterThanOrEqualTo(WALKS * 3);
        assertThat(joint).isGreaterThan(restored / 10);
        assertThat(withLearnersNext).isGreaterThan(restored / 100);
        assertThat(withLearners).isGreaterThan(restored / 10);
        assertThat(autoLeave).isGreaterThan(restored / 50);
    }

    private void randomWalk(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        TrackedMembership m = TrackedMembership.ofVoters(r.nextLong(1, 8));
        List<String> history = new ArrayList<>(List.of("start " + m.config()));
        int steps = r.nextInt(2, 14);
        for (int step = 0; step < steps; step++) {
            String op = applyRandomChange(r, m);
            history.add(op + " -> " + m.config());
            checkRestore(m, () -> "seed=" + seed + " history=" + history);
        }
    }

    /** Tries one random change; refused ones leave the configuration as it was. */
    private static String applyRandomChange(SplittableRandom r, TrackedMembership m) {
        m.lastIndex += r.nextInt(3);
        boolean isJoint = m.config().voters().isJoint();
        try {
            if (isJoint && r.nextInt(10) < 7) {
                m.leaveJoint();
                return "leaveJoint";
            }
            if (r.nextInt(10) < 6) {
                List<ConfChangeSingle> cc = randomChanges(r, r.nextInt(6) == 0 ? 2 : 1);
                m.simple(cc.toArray(ConfChangeSingle[]::new));
                return "simple " + cc;
            }
            boolean auto = r.nextBoolean();
            List<ConfChangeSingle> cc = randomChanges(r, r.nextInt(1, 5));
            m.enterJoint(auto, cc.toArray(ConfChangeSingle[]::new));
            return "enterJoint(auto=" + auto + ") " + cc;
        } catch (ConfChangeException e) {
            return "refused (" + e.getMessage() + ")";
        }
    }

    private static List<ConfChangeSingle> randomChanges(SplittableRandom r, int n) {
        List<ConfChangeSingle> out = new ArrayList<>();
        ConfChangeType[] types = ConfChangeType.values();
        for (int i = 0; i < n; i++) {
            out.add(new ConfChangeSingle(types[r.nextInt(types.length)], r.nextLong(1, 8)));
        }
        return out;
    }

    private void checkRestore(TrackedMembership m, Supplier<String> context) {
        TrackerConfig expected = m.config();
        ConfState cs = expected.toConfState();
        ProgressTracker fresh = new ProgressTracker(4, 0);
        assertThatCode(() -> ConfStateRestorer.restore(fresh, cs, m.lastIndex))
                .as(() -> "restore " + cs + " of " + context.get())
                .doesNotThrowAnyException();
        assertThat(fresh.config()).as(() -> "restored " + cs + " of " + context.get()).isEqualTo(expected);
        assertThat(fresh.progress().keySet()).as(() -> "progress of " + context.get()).isEqualTo(expected.members());
        fresh.forEach((id, p) -> assertThat(p.isLearner()).as(() -> "learner flag of " + id + " in " + context.get())
                .isEqualTo(expected.isLearner(id)));
        assertThat(m.progress().keySet()).as(() -> "live progress of " + context.get()).isEqualTo(expected.members());

        restored++;
        joint += cs.isJoint() ? 1 : 0;
        withLearnersNext += cs.learnersNext().isEmpty() ? 0 : 1;
        withLearners += cs.learners().isEmpty() ? 0 : 1;
        autoLeave += cs.autoLeave() ? 1 : 0;
    }
}
