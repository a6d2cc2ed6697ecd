package io.tombscope.analyzer.cli;

import io.tombscope.analyzer.read.Printable;
import io.tombscope.analyzer.read.RecordingException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tombscope} command line. Exit codes: 0 success; 1 the work failed; 2 bad usage or an
 * unreadable input, with one line that says what and where (a stack trace only with {@code
 * --verbose}).
 */
@Command(
    name = "tombscope",
    mixinStandardHelpOptions = true,
    versionProvider = TombscopeCli.Version.class,
    description = "Shows what hash maps do to a JVM's memory after deletes.",
    subcommands = {
      DemoCommand.class,
      ReportCommand.class,
      SummaryCommand.class,
      DiffCommand.class,
      MergeCommand.class,
      ReleaseCommand.class,
      AttachCommand.class,
      CommandLine.HelpCommand.class
    })
public final class TombscopeCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line with the given streams; returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new TombscopeCli());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          boolean verbose =
              parseResult.hasMatchedOption("--verbose")
                  || parseResult.subcommands().stream()
                      .anyMatch(p -> p.hasMatchedOption("--verbose"));
          if (verbose) {
            e.printStackTrace(err);
          }
          String message = e.getMessage() == null ? e.toString() : e.getMessage();
          err.println("tombscope: " + Printable.clean(message));
          err.flush();
          return e instanceof RecordingException || e instanceof UsageProblem ? 2 : 1;
        });
    return cli.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A problem with what the user asked for, found after parsing (exit code 2). */
  static final class UsageProblem extends Exception {
    private static final long serialVersionUID = 1L;

    UsageProblem(String message) {
      super(message);
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = TombscopeCli.class.getPackage().getImplementationVersion();
      return new String[] {"tombscope " + (v == null ? "dev" : v)};
    }
  }
}
