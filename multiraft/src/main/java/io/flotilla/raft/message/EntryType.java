package io.flotilla.raft.message;

/** What an entry's data holds: an application command or an encoded {@link ConfChange}. */
public enum EntryType {
    NORMAL,
    CONF_CHANGE
}
