package io.flotilla.engine.simulation;

import io.flotilla.raft.message.Entry;

import java.nio.charset.StandardCharsets;

/** What a state machine saw of one applied entry: enough to compare replicas (index, term, data). */
record AppliedEntry(long index, long term, String data) {

    static AppliedEntry of(Entry e) {
        // ISO-8859-1 maps every byte to one char, so distinct payloads stay distinct.
        return new AppliedEntry(e.index(), e.term(), new String(e.data(), StandardCharsets.ISO_8859_1));
    }

    @Override
    public String toString() {
        return index + "@" + term + (data.isEmpty() ? "" : ":" + data);
    }
}
