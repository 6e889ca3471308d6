package io.flotilla.raft.message;

import java.util.List;
import java.util.Objects;

/**
 * A Raft message. One record for every kind keeps the wire form flat, as etcd/raft does; which
 * fields mean something depends on {@link #type()}:
 * <ul>
 *   <li>APPEND: {@code index}/{@code logTerm} name the entry before {@code entries};
 *       {@code commit} is the leader's commit index.</li>
 *   <li>APPEND_RESPONSE: {@code index} is the last index accepted, or on {@code reject} the
 *       rejected index with {@code rejectHint}/{@code logTerm} pointing where to probe next.</li>
 *   <li>VOTE / PRE_VOTE: {@code index}/{@code logTerm} are the candidate's last entry;
 *       {@code context} is {@link #TRANSFER_CONTEXT} for a leader-transfer campaign.</li>
 *   <li>VOTE_RESPONSE / PRE_VOTE_RESPONSE on {@code reject}: {@code commit}/{@code logTerm}, when
 *       set, name an entry of the candidate's log that the refusing replica knows is committed.</li>
 *   <li>HEARTBEAT: {@code commit}; {@code context} carries a ReadIndex round's identifier.</li>
 *   <li>READ_INDEX / READ_INDEX_RESPONSE: {@code context} is the request context;
 *       {@code index} the read index in the response.</li>
 * </ul>
 */
public record Message(MessageType type, long to, long from, long term, long logTerm, long index,
                      List<Entry> entries, long commit, Snapshot snapshot, boolean reject,
                      long rejectHint, byte[] context, long priority) {

    /** Marks a campaign started by a leader transfer, which overrides leader stickiness. */
    public static final byte[] TRANSFER_CONTEXT = "transfer".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static final byte[] NO_CONTEXT = new byte[0];

    public Message {
        Objects.requireNonNull(type, "type");
        entries = entries == null ? List.of() : entries;
        context = context == null ? NO_CONTEXT : context;
    }

    public static Builder builder(MessageType type) {
        return new Builder(type);
    }

    /** A heartbeat, built without a builder: a node sends tens of thousands per tick. */
    public static Message heartbeat(long from, long to, long term, long commit, byte[] context) {
        return new Message(MessageType.HEARTBEAT, to, from, term, 0, 0, List.of(), commit, null, false, 0, context, 0);
    }

    /** The answer to a heartbeat, echoing its context (a ReadIndex round's identifier, or none). */
    public static Message heartbeatResponse(long from, long to, long term, byte[] context) {
        return new Message(MessageType.HEARTBEAT_RESPONSE, to, from, term, 0, 0, List.of(), 0, null, false, 0, context,
                0);
    }

    public Builder toBuilder() {
        return new Builder(type).to(to).from(from).term(term).logTerm(logTerm).index(index).entries(entries)
                .commit(commit).snapshot(snapshot).reject(reject).rejectHint(rejectHint).context(context)
                .priority(priority);
    }

    public boolean isTransferCampaign() {
        return java.util.Arrays.equals(context, TRANSFER_CONTEXT);
    }

    /** Bytes of entry payload this message carries, for flow control and counters. */
    public long entriesSize() {
        long n = 0;
        for (Entry e : entries) {
            n += e.sizeBytes();
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder().append(from).append("->").append(to).append(' ').append(type)
                .append(" term=").append(term);
        switch (type) {
            case APPEND -> s.append(" log=").append(logTerm).append('/').append(index).append(" commit=")
                    .append(commit).append(" entries=").append(entries);
            case APPEND_RESPONSE -> {
                s.append(" index=").append(index);
                if (reject) {
                    s.append(" reject hint=").append(rejectHint).append(" hintTerm=").append(logTerm);
                }
            }
            case VOTE, PRE_VOTE -> {
                s.append(" last=").append(logTerm).append('/').append(index);
                if (isTransferCampaign()) {
                    s.append(" transfer");
                }
            }
            case VOTE_RESPONSE, PRE_VOTE_RESPONSE -> {
                s.append(reject ? " rejected" : " granted");
                if (commit > 0) {
                    s.append(" commit=").append(logTerm).append('/').append(commit);
                }
            }
            case HEARTBEAT -> s.append(" commit=").append(commit);
            case SNAPSHOT -> s.append(' ').append(snapshot);
            case PROPOSE -> s.append(" entries=").append(entries);
            case READ_INDEX_RESPONSE -> s.append(" index=").append(index);
            default -> { }
        }
        return s.toString();
    }

    /** Builds messages by name, so call sites say what each number is. */
    public static final class Builder {
        private final MessageType type;
        private long to;
        private long from;
        private long term;
        private long logTerm;
        private long index;
        private List<Entry> entries = List.of();
        private long commit;
        private Snapshot snapshot;
        private boolean reject;
        private long rejectHint;
        private byte[] context;
        private long priority;

        private Builder(MessageType type) {
            this.type = type;
        }

        public Builder to(long v) { to = v; return this; }
        public Builder from(long v) { from = v; return this; }
        public Builder term(long v) { term = v; return this; }
        public Builder logTerm(long v) { logTerm = v; return this; }
        public Builder index(long v) { index = v; return this; }
        public Builder entries(List<Entry> v) { entries = v; return this; }
        public Builder commit(long v) { commit = v; return this; }
        public Builder snapshot(Snapshot v) { snapshot = v; return this; }
        public Builder reject(boolean v) { reject = v; return this; }
        public Builder rejectHint(long v) { rejectHint = v; return this; }
        public Builder context(byte[] v) { context = v; return this; }
        public Builder priority(long v) { priority = v; return this; }

        // Read back what is set so far: the core stamps sender and term on the builder itself
        // rather than building a message twice.
        public MessageType type() { return type; }
        public long from() { return from; }
        public long term() { return term; }
        public boolean reject() { return reject; }

        public Message build() {
            return new Message(type, to, from, term, logTerm, index, entries, commit, snapshot, reject, rejectHint,
                    context, priority);
        }
    }
}
