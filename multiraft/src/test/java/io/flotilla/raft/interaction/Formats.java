package io.flotilla.raft.interaction;

import io.flotilla.raft.ReadState;
import io.flotilla.raft.message.ConfChange;
import io.flotilla.raft.message.ConfChangeSingle;
import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.HardState;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.Snapshot;
import io.flotilla.raft.tracker.Progress;
import io.flotilla.raft.tracker.ProgressState;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.StringJoiner;

/**
 * How scripts print Raft values. Kept here rather than in the types' toString so that the
 * expected outputs do not change when someone improves a log message in the core.
 */
final class Formats {
    private Formats() {
    }

    /** {@code term/index}, then {@code conf <change>} or the data; a no-op shows no payload. */
    static String entry(Entry e) {
        String pos = e.term() + "/" + e.index();
        if (e.isConfChange()) {
            return pos + " conf " + confChange(ConfChange.decode(e.data()));
        }
        return e.data().length == 0 ? pos : pos + " " + text(e.data());
    }

    static String entries(List<Entry> ents) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        ents.forEach(e -> j.add(entry(e)));
        return j.toString();
    }

    static String confChange(ConfChange cc) {
        if (cc.isLeaveJoint()) {
            return "leave-joint";
        }
        StringJoiner j = new StringJoiner(" ");
        for (ConfChangeSingle c : cc.changes()) {
            j.add(switch (c.type()) {
                case ADD_VOTER -> "v";
                case ADD_LEARNER -> "l";
                case REMOVE_NODE -> "r";
            } + c.nodeId());
        }
        return switch (cc.transition()) {
            case AUTO -> j.toString();
            case JOINT_IMPLICIT -> j + " joint-implicit";
            case JOINT_EXPLICIT -> j + " joint-explicit";
        };
    }

    /** {@code voters=(1 2 3)}, with the outgoing half, learners and auto-leave when present. */
    static String confState(ConfState cs) {
        StringBuilder s = new StringBuilder("voters=").append(ids(cs.voters()));
        if (cs.isJoint()) {
            s.append("&&").append(ids(cs.votersOutgoing()));
        }
        if (!cs.learners().isEmpty()) {
            s.append(" learners=").append(ids(cs.learners()));
        }
        if (!cs.learnersNext().isEmpty()) {
            s.append(" learners-next=").append(ids(cs.learnersNext()));
        }
        if (cs.autoLeave()) {
            s.append(" autoleave");
        }
        return s.toString();
    }

    private static String ids(List<Long> ids) {
        StringJoiner j = new StringJoiner(" ", "(", ")");
        ids.forEach(id -> j.add(Long.toString(id)));
        return j.toString();
    }

    static String hardState(HardState hs) {
        return "term=" + hs.term() + " vote=" + hs.vote() + " commit=" + hs.commit();
    }

    static String snapshot(Snapshot s) {
        return s.term() + "/" + s.index() + " " + confState(s.metadata().confState());
    }

    static String readState(ReadState rs) {
        return "index=" + rs.index() + " ctx=" + text(rs.context());
    }

    static String progress(Progress p) {
        StringBuilder s = new StringBuilder().append(p.state()).append(" match=").append(p.match())
                .append(" next=").append(p.next());
        if (p.isLearner()) {
            s.append(" learner");
        }
        if (p.state() == ProgressState.SNAPSHOT) {
            s.append(" pending-snapshot=").append(p.pendingSnapshot());
        }
        if (p.state() == ProgressState.PROBE && p.probeSent()) {
            s.append(" paused");
        }
        if (p.inflights().count() > 0) {
            s.append(" inflight=").append(p.inflights().count());
            if (p.inflights().full()) {
                s.append("[full]");
            }
        }
        return s.toString();
    }

    /** One line per message: {@code from->to TYPE term=N} and what matters for that type. */
    static String message(Message m) {
        return message(m.from(), m);
    }

    /** As {@link #message(Message)}, naming the node that actually sent it. */
    static String message(long sender, Message m) {
        StringBuilder s = new StringBuilder().append(sender).append("->").append(m.to()).append(' ')
                .append(m.type()).append(" term=").append(m.term());
        switch (m.type()) {
            case APPEND -> {
                s.append(" log=").append(m.logTerm()).append('/').append(m.index()).append(" commit=")
                        .append(m.commit());
                if (!m.entries().isEmpty()) {
                    s.append(" entries=").append(entries(m.entries()));
                }
            }
            case APPEND_RESPONSE -> {
                s.append(" index=").append(m.index());
                if (m.reject()) {
                    s.append(" rejected hint=").append(m.logTerm()).append('/').append(m.rejectHint());
                }
            }
            case VOTE, PRE_VOTE -> {
                s.append(" last=").append(m.logTerm()).append('/').append(m.index());
                if (m.priority() != 0) {
                    s.append(" priority=").append(m.priority());
                }
                if (m.isTransferCampaign()) {
                    s.append(" transfer");
                }
            }
            case VOTE_RESPONSE, PRE_VOTE_RESPONSE -> s.append(m.reject() ? " rejected" : " granted");
            case HEARTBEAT -> s.append(" commit=").append(m.commit()).append(context(m));
            case HEARTBEAT_RESPONSE -> s.append(context(m));
            case SNAPSHOT -> s.append(" snapshot=").append(snapshot(m.snapshot()));
            case PROPOSE -> s.append(" entries=").append(entries(m.entries()));
            case READ_INDEX -> s.append(context(m));
            case READ_INDEX_RESPONSE -> s.append(" index=").append(m.index()).append(context(m));
            case TRANSFER_LEADER -> s.append(" transferee=").append(m.from());
            default -> { }
        }
        return s.toString();
    }

    private static String context(Message m) {
        return m.context().length == 0 ? "" : " ctx=" + text(m.context());
    }

    static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }
}
