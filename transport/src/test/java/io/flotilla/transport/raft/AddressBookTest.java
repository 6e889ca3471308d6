package io.flotilla.transport.raft;

import io.flotilla.transport.proto.NodeAddress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AddressBookTest {

    private static NodeAddress addr(long id, String address) {
        return NodeAddress.newBuilder().setNodeId(id).setAddress(address).build();
    }

    @Test
    void putGetAndAllInNodeOrder() {
        AddressBook book = new AddressBook();
        assertThat(book.put(3, "10.0.0.3:7000")).isTrue();
        assertThat(book.put(1, "10.0.0.1:7000")).isTrue();
        assertThat(book.put(1, "10.0.0.1:7000")).as("same address again").isFalse();
        assertThat(book.get(1)).isEqualTo("10.0.0.1:7000");
        assertThat(book.get(2)).isNull();
        assertThat(book.all()).containsExactly(Map.entry(1L, "10.0.0.1:7000"), Map.entry(3L, "10.0.0.3:7000"));
        assertThat(book.toNodeAddresses()).extracting(NodeAddress::getNodeId).containsExactly(1L, 3L);
    }

    @Test
    void listenersHearAdditionsAndChangesButNotRepeats() {
        AddressBook book = new AddressBook();
        List<String> heard = new ArrayList<>();
        book.addListener((id, a) -> heard.add(id + "=" + a));
        book.put(1, "h:1");
        book.put(1, "h:1");
        book.put(1, "h:2");
        book.merge(List.of(addr(2, "h:3"), addr(1, "h:9")));
        assertThat(heard).containsExactly("1=h:1", "1=h:2", "2=h:3");
    }

    @Test
    void hearsayFillsUnknownNodesButNeverOverridesAFirstHandAddress() {
        AddressBook book = new AddressBook();
        book.put(1, "new-home:7000");
        assertThat(book.merge(List.of(addr(1, "stale:7000"), addr(2, "b:7000")))).isEqualTo(1);
        assertThat(book.get(1)).isEqualTo("new-home:7000");
        assertThat(book.get(2)).isEqualTo("b:7000");
    }

    @Test
    void aMergeWithOneBadEntryChangesNothing() {
        AddressBook book = new AddressBook();
        assertThatThrownBy(() -> book.merge(List.of(addr(2, "b:7000"), addr(3, "no-port"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node 3");
        assertThat(book.all()).isEmpty();
    }

    @Test
    void malformedAddressesAndIdsAreRefusedWithTheReason() {
        AddressBook book = new AddressBook();
        assertThatThrownBy(() -> book.put(0, "h:1")).hasMessageContaining("positive");
        assertThatThrownBy(() -> book.put(1, "")).hasMessageContaining("empty");
        assertThatThrownBy(() -> book.put(1, "host")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> book.put(1, ":80")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> book.put(1, "h:x")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> book.put(1, "h:70000")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> book.put(1, "::1:80")).hasMessageContaining("brackets");
        assertThat(book.put(1, "[::1]:80")).isTrue();
        assertThat(book.all()).hasSize(1);
    }
}
