package io.flotilla.raft.simulation;

import io.flotilla.raft.Raft;
import io.flotilla.raft.confchange.ConfChangeException;
import io.flotilla.raft.confchange.ConfigurationChanger;
import io.flotilla.raft.message.ConfChange;
import io.flotilla.raft.message.ConfChangeSingle;
import io.flotilla.raft.message.ConfChangeTransition;
import io.flotilla.raft.tracker.TrackerConfig;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What clients and operators ask of the cluster: proposals with unique payloads, ReadIndex
 * contexts, leader-transfer targets and membership changes over the pool of ids.
 */
final class Workload {
    private final SplittableRandom rng;
    private final int poolSize;
    private long proposals;
    private long reads;

    Workload(SplittableRandom rng, int poolSize) {
        this.rng = rng;
        this.poolSize = poolSize;
    }

    byte[] nextProposal() {
        return ("p" + ++proposals).getBytes(StandardCharsets.UTF_8);
    }

    byte[] nextReadContext() {
        return ("r" + ++reads).getBytes(StandardCharsets.UTF_8);
    }

    long randomPoolId() {
        return 1 + rng.nextInt(poolSize);
    }

    /**
     * A membership change for the configuration {@code leader} has in force, or null when
     * none fits. Changes are drawn at random (add or promote a voter, add or demote a learner,
     * remove; one at a time or several through joint consensus, left automatically or
     * explicitly) and kept only if the configuration logic accepts them: a committed change
     * that cannot be applied would be the application's error, not Raft's. Since a leader has
     * at most one change pending, its configuration is the one the change will apply to.
     */
    ConfChange membershipChange(Raft leader) {
        TrackerConfig cfg = leader.tracker().config();
        if (cfg.voters().isJoint()) {
            return cfg.autoLeave() ? null : ConfChange.leaveJoint();
        }
        boolean joint = rng.nextInt(3) == 0;
        int n = joint ? 1 + rng.nextInt(3) : 1;
        List<ConfChangeSingle> changes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long id = randomPoolId();
            changes.add(switch (rng.nextInt(10)) {
                case 0, 1, 2, 3 -> ConfChangeSingle.addVoter(id);
                case 4, 5, 6 -> ConfChangeSingle.addLearner(id);
                default -> ConfChangeSingle.remove(id);
            });
        }
        ConfChangeTransition transition = !joint ? ConfChangeTransition.AUTO
                : ConfChangeTransition.values()[rng.nextInt(ConfChangeTransition.values().length)];
        ConfChange cc = new ConfChange(transition, changes, null);
        ConfigurationChanger changer = new ConfigurationChanger(cfg, leader.tracker().progress(),
                leader.log().lastIndex(), leader.tracker().newInflights());
        try {
            if (cc.entersJoint()) {
                changer.enterJoint(cc.autoLeave(), cc.changes());
            } else {
                changer.simple(cc.changes());
            }
        } catch (ConfChangeException e) {
            return null;
        }
        return cc;
    }
}
