package io.flotilla.store.range;

import io.flotilla.raft.message.Snapshot;
import io.flotilla.raft.message.SnapshotMetadata;
import io.flotilla.store.log.RaftCodec;
import io.flotilla.store.rocks.StorageException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The durable copy of a snapshot while it is being installed. Installing clears the range's
 * span, ingests files and then records the new applied index: steps RocksDB cannot make one
 * atomic write. The copy is written (and synced) before the first step and deleted after the
 * last, so a crash in between finds it at load and installs it again from the start; without
 * it such a crash left a cleared span under the old applied index, and replaying the log from
 * there would have lost every key written before it.
 *
 * <p>Format: magic, index, term, configuration length and bytes, data length and bytes, then
 * a CRC32C of all that. A file that does not check out was never completely written (the
 * rename that publishes it comes after the sync) and is ignored.
 */
public final class PendingSnapshot {
    private static final int MAGIC = 0x464c5053; // "FLPS"

    private PendingSnapshot() {
    }

    static Path path(Path dir, long rangeId) {
        return dir.resolve("pending-" + rangeId + ".snap");
    }

    /** Writes {@code snapshot} durably as range {@code rangeId}'s pending install, replacing any earlier one. */
    static void save(Path dir, long rangeId, Snapshot snapshot) {
        byte[] conf = RaftCodec.encodeConfState(snapshot.metadata().confState());
        byte[] data = snapshot.data();
        ByteBuffer b = ByteBuffer.allocate(4 + 8 + 8 + 4 + conf.length + 4 + data.length + 4);
        b.putInt(MAGIC).putLong(snapshot.index()).putLong(snapshot.term());
        b.putInt(conf.length).put(conf).putInt(data.length).put(data);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        b.flip();
        Path target = path(dir, rangeId);
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(dir);
        } catch (IOException e) {
            throw new StorageException("cannot save the snapshot of range " + rangeId + " before installing it", e);
        }
    }

    /**
     * The pending install of range {@code rangeId}, if a complete one is on disk. A copy that
     * is not complete was never acted on: it is deleted here.
     */
    static Optional<Snapshot> read(Path dir, long rangeId) {
        if (!Files.exists(path(dir, rangeId))) {
            return Optional.empty(); // the usual case at every load: one look, nothing to delete
        }
        Optional<Snapshot> s = parse(dir, rangeId);
        if (s.isEmpty()) {
            delete(dir, rangeId);
        }
        return s;
    }

    private static Optional<Snapshot> parse(Path dir, long rangeId) {
        byte[] all;
        try {
            all = Files.readAllBytes(path(dir, rangeId));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("cannot read the pending snapshot of range " + rangeId, e);
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(all);
            if (all.length < 32 || b.getInt() != MAGIC) {
                return Optional.empty();
            }
            long index = b.getLong();
            long term = b.getLong();
            byte[] conf = new byte[b.getInt()];
            b.get(conf);
            byte[] data = new byte[b.getInt()];
            b.get(data);
            int end = b.position();
            CRC32C crc = new CRC32C();
            crc.update(all, 0, end);
            if (b.getInt() != (int) crc.getValue() || b.hasRemaining()) {
                return Optional.empty();
            }
            return Optional.of(new Snapshot(new SnapshotMetadata(RaftCodec.decodeConfState(conf), index, term), data));
        } catch (RuntimeException e) {
            // Lengths past the end or a configuration that does not decode: never completely written.
            return Optional.empty();
        }
    }

    /** Forgets range {@code rangeId}'s pending install: done, or the range is gone. */
    static void delete(Path dir, long rangeId) {
        try {
            Files.deleteIfExists(path(dir, rangeId));
            Files.deleteIfExists(dir.resolve(path(dir, rangeId).getFileName() + ".tmp"));
        } catch (IOException e) {
            throw new StorageException("cannot delete the pending snapshot of range " + rangeId, e);
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for syncing; the rename is then as durable as they make it.
        }
    }
}
