package io.flotilla.raft.message;

/**
 * What a replica must persist before it acts on it: its current term, whom it voted for in
 * that term (0 for nobody), and the commit index it knows (Raft paper §5, Figure 2).
 */
public record HardState(long term, long vote, long commit) {
    public static final HardState EMPTY = new HardState(0, 0, 0);

    public boolean isEmpty() {
        return equals(EMPTY);
    }
}
