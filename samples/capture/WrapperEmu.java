/*
 * WrapperEmu: wraps a child JVM's output the way the Tanuki Java Service
 * Wrapper writes wrapper.log (log format "LPZM": level, process, time with
 * milliseconds, message).
 *
 * Usage: java WrapperEmu OUTFILE COMMAND [ARGS...]
 *
 * Starts COMMAND with stderr merged into stdout (as the wrapper does), reads
 * the pipe line by line and writes each line to OUTFILE as
 *
 *   INFO   | jvm 1    | 2026/11/21 10:11:12.345 | <line>
 *
 * stamped with this process's clock at the moment the line was read. Only the
 * surrounding STATUS lines are written by this class itself; every "jvm 1"
 * line is verbatim child output. Exits with the child's exit status.
 */

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

public final class WrapperEmu {

    private static final SimpleDateFormat TS = new SimpleDateFormat("yyyy/MM/dd HH:mm:ss.SSS");

    private static void emit(PrintStream out, String level, String proc, String msg) {
        out.print(String.format("%-6s | %-8s | %s | %s%n", level, proc, TS.format(new Date()), msg));
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: WrapperEmu OUTFILE COMMAND [ARGS...]");
            System.exit(64);
        }
        List<String> cmd = Arrays.asList(args).subList(1, args.length);
        try (PrintStream out = new PrintStream(new FileOutputStream(args[0], false), true, "UTF-8")) {
            emit(out, "STATUS", "wrapper", "--> Wrapper Started as Daemon");
            emit(out, "STATUS", "wrapper", "Launching a JVM...");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    emit(out, "INFO", "jvm 1", line);
                }
            }
            int rc = p.waitFor();
            emit(out, "STATUS", "wrapper", "<-- Wrapper Stopped");
            System.exit(rc);
        }
    }
}
