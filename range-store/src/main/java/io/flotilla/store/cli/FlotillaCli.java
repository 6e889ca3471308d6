package io.flotilla.store.cli;

import io.flotilla.client.error.FlotillaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code flotilla} command line: {@code kv}, {@code admin} and {@code demo}. Errors become one
 * line on stderr and an exit code from {@link ExitCodes}, never a stack trace.
 */
@Command(name = "flotilla", mixinStandardHelpOptions = true, version = "flotilla 0.1.0",
        description = "Talk to a Flotilla cluster.",
        subcommands = {KvCommand.class, AdminCommand.class, DemoCommand.class})
public final class FlotillaCli {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new FlotillaCli());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            Throwable cause = unwrap(e);
            line.getErr().println("flotilla: " + message(cause));
            if (cause instanceof FlotillaException fe) {
                return ExitCodes.of(fe);
            }
            if (cause instanceof IllegalArgumentException) {
                return ExitCodes.USAGE;
            }
            return ExitCodes.REFUSED;
        });
        return cl.execute(args);
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
