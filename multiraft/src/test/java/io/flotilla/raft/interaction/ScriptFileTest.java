package io.flotilla.raft.interaction;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The script format: what rewrite mode relies on to change nothing but the outputs. */
class ScriptFileTest {
    private static final List<String> SCRIPT = List.of(
            "# header",
            "add-nodes 3",
            "----",
            "ok",
            "",
            "# why",
            "",
            "raft-state",
            "----",
            "1: FOLLOWER   ",
            "2: FOLLOWER",
            "",
            "# trailing comment");

    @Test
    @DisplayName("a block's output ends at the first blank line; trailing whitespace is ignored")
    void parsesBlocks() {
        ScriptFile f = ScriptFile.parse(SCRIPT);
        assertThat(f.blocks()).extracting(ScriptFile.Block::command).containsExactly("add-nodes 3", "raft-state");
        assertThat(f.blocks()).extracting(ScriptFile.Block::line).containsExactly(2, 8);
        assertThat(f.blocks().get(1).expected()).containsExactly("1: FOLLOWER", "2: FOLLOWER");
        assertThat(f.trailer()).containsExactly("", "# trailing comment");
    }

    @Test
    @DisplayName("rendering with new outputs keeps every comment and blank line in place")
    void rendersOnlyOutputsAnew() {
        ScriptFile f = ScriptFile.parse(SCRIPT);
        List<String> out = f.render(List.of(List.of("ok"), List.of("changed")));
        assertThat(out).containsExactly("# header", "add-nodes 3", "----", "ok", "", "# why", "", "raft-state", "----",
                "changed", "", "# trailing comment");
        assertThat(ScriptFile.parse(out).render(List.of(List.of("ok"), List.of("changed")))).isEqualTo(out);
    }

    @Test
    @DisplayName("a command without its separator is a script error naming the line")
    void missingSeparator() {
        assertThatThrownBy(() -> ScriptFile.parse(List.of("# c", "campaign 1", "ok")))
                .isInstanceOf(ScriptException.class).hasMessageContaining("line 2");
    }
}
