package io.flotilla.transport.raft;

import io.flotilla.engine.Envelope;
import io.flotilla.engine.GroupMessage;
import io.flotilla.engine.HeartbeatItem;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.transport.proto.StreamFrame;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EnvelopeSplitterTest {

    private static GroupMessage append(long group, int bytes) {
        return new GroupMessage(group, Message.builder(MessageType.APPEND).from(1).to(2).term(3)
                .entries(List.of(Entry.normal(3, group, new byte[bytes]))).build());
    }

    private static Envelope merged(List<StreamFrame> frames) throws EnvelopeDecodeException {
        List<GroupMessage> messages = new ArrayList<>();
        List<HeartbeatItem> hbs = new ArrayList<>();
        List<HeartbeatItem> responses = new ArrayList<>();
        for (StreamFrame f : frames) {
            Envelope part = EnvelopeCodec.decode(f.getEnvelope());
            messages.addAll(part.messages());
            hbs.addAll(part.heartbeats());
            responses.addAll(part.heartbeatResponses());
        }
        return new Envelope(1, 2, messages, hbs, responses);
    }

    @Test
    void aLargeEnvelopeIsCutIntoWholeEnvelopesUnderTheLimitKeepingItemOrder() throws Exception {
        List<GroupMessage> messages = new ArrayList<>();
        for (long g = 1; g <= 40; g++) {
            messages.add(append(g, 10_000));
        }
        List<HeartbeatItem> hbs = new ArrayList<>();
        for (long g = 1; g <= 5_000; g++) {
            hbs.add(new HeartbeatItem(g, 1, 2, 7, g, false));
        }
        Envelope env = new Envelope(1, 2, messages, hbs, List.of(new HeartbeatItem(1, 1, 2, 7, 0, false)));
        int max = 64 * 1024;

        EnvelopeSplitter.Split split = EnvelopeSplitter.split(env, max);

        assertThat(split.droppedItems()).isZero();
        assertThat(split.frames()).hasSizeGreaterThan(6);
        for (StreamFrame f : split.frames()) {
            assertThat(f.getEnvelope().getSerializedSize()).isLessThanOrEqualTo(max);
            assertThat(f.getEnvelope().getFromNode()).isEqualTo(1);
            assertThat(f.getEnvelope().getToNode()).isEqualTo(2);
        }
        MessageGenerator.assertSameEnvelope(merged(split.frames()), env, "reassembled");
    }

    @Test
    void aSmallEnvelopeStaysOneFrame() {
        Envelope env = new Envelope(1, 2, List.of(append(1, 100)), List.of(), List.of());
        assertThat(EnvelopeSplitter.split(env, 4 << 20).frames()).hasSize(1);
    }

    @Test
    void anEmptyEnvelopeStillGoesBecauseItIsALivenessPing() {
        EnvelopeSplitter.Split split = EnvelopeSplitter.split(new Envelope(1, 2, List.of(), List.of(), List.of()),
                1024);
        assertThat(split.frames()).hasSize(1);
        assertThat(split.frames().get(0).getEnvelope().getMessagesCount()).isZero();
    }

    @Test
    void anItemLargerThanAnyPartIsDroppedAndCountedTheRestGoes() throws Exception {
        Envelope env = new Envelope(1, 2, List.of(append(1, 100), append(2, 50_000), append(3, 100)), List.of(),
                List.of());
        EnvelopeSplitter.Split split = EnvelopeSplitter.split(env, 10_000);
        assertThat(split.droppedItems()).isEqualTo(1);
        assertThat(merged(split.frames()).messages()).extracting(GroupMessage::groupId).containsExactly(1L, 3L);
    }
}
