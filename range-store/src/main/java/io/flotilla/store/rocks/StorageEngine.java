package io.flotilla.store.rocks;

import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one RocksDB of a node, shared by every group: column families for the Raft log, the
 * Raft state (hard state, applied index, truncated state, range descriptor per group) and the
 * user data (keyed by the user key itself, so a split moves nothing).
 */
public final class StorageEngine implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private final RocksDB db;
    private final DBOptions options;
    private final ColumnFamilyOptions cfOptions;
    private final ColumnFamilyHandle defaultCf;
    private final ColumnFamilyHandle raftLog;
    private final ColumnFamilyHandle raftState;
    private final WriteOptions syncWrite;
    private final WriteOptions asyncWrite;
    private final Path dir;

    private StorageEngine(Path dir, RocksDB db, DBOptions options, ColumnFamilyOptions cfOptions,
                          List<ColumnFamilyHandle> handles) {
        this.dir = dir;
        this.db = db;
        this.options = options;
        this.cfOptions = cfOptions;
        this.defaultCf = handles.get(0);
        this.raftLog = handles.get(1);
        this.raftState = handles.get(2);
        this.syncWrite = new WriteOptions().setSync(true);
        this.asyncWrite = new WriteOptions().setSync(false);
    }

    /** Opens (creating if needed) the node's database in {@code dir}. */
    public static StorageEngine open(Path dir) {
        try {
            Files.createDirectories(dir);
            DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                    // Many groups write small batches: let concurrent writers share one WAL write.
                    .setEnableWriteThreadAdaptiveYield(true).setAllowConcurrentMemtableWrite(true)
                    .setMaxBackgroundJobs(2);
            ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
            List<ColumnFamilyDescriptor> cfs = List.of(
                    new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
                    new ColumnFamilyDescriptor("raft_log".getBytes(StandardCharsets.US_ASCII), cfOptions),
                    new ColumnFamilyDescriptor("raft_state".getBytes(StandardCharsets.US_ASCII), cfOptions));
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            RocksDB db = RocksDB.open(options, dir.toString(), cfs, handles);
            return new StorageEngine(dir, db, options, cfOptions, handles);
        } catch (RocksDBException | java.io.IOException e) {
            throw new StorageException("cannot open the storage engine in " + dir, e);
        }
    }

    public RocksDB db() {
        return db;
    }

    public ColumnFamilyHandle data() {
        return defaultCf;
    }

    public ColumnFamilyHandle raftLog() {
        return raftLog;
    }

    public ColumnFamilyHandle raftState() {
        return raftState;
    }

    public WriteOptions syncWrite() {
        return syncWrite;
    }

    public WriteOptions asyncWrite() {
        return asyncWrite;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        syncWrite.close();
        asyncWrite.close();
        defaultCf.close();
        raftLog.close();
        raftState.close();
        db.close();
        options.close();
        cfOptions.close();
    }
}
