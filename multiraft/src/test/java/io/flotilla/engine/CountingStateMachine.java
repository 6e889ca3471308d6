package io.flotilla.engine;

import io.flotilla.raft.message.Entry;

import java.util.ArrayList;
import java.util.List;

/** Records what it applies, so tests can compare replicas. */
final class CountingStateMachine implements GroupStateMachine {
    final List<Entry> applied = new ArrayList<>();

    @Override
    public void apply(Entry entry) {
        applied.add(entry);
    }

    List<String> data() {
        List<String> out = new ArrayList<>();
        for (Entry e : applied) {
            if (!e.isConfChange() && e.data().length > 0) {
                out.add(new String(e.data(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
