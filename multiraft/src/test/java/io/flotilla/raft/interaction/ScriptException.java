package io.flotilla.raft.interaction;

/** A malformed script or a command that cannot run as written: a bug in the script, not in Raft. */
final class ScriptException extends RuntimeException {
    ScriptException(String message) {
        super(message);
    }
}
