import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.instrument.Instrumentation;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A Java agent that samples the main thread's stack about every millisecond for the first seconds of a start and
 * writes, per method, in how many samples it was on the stack ("I count method"). What the start spends its time on,
 * without a profiler on the machine (issue 13). Usage: -javaagent:start-sampler.jar=OUTPUT_FILE[,SECONDS]
 */
public final class StartSampler {

    private StartSampler() {
    }

    public static void premain(String args, Instrumentation instrumentation) {
        String[] parts = (args == null ? "start-samples.txt" : args).split(",");
        long seconds = parts.length > 1 ? Long.parseLong(parts[1]) : 4;
        Thread main = Thread.currentThread();
        Thread sampler = new Thread(() -> sample(main, parts[0], seconds), "start-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private static void sample(Thread main, String output, long seconds) {
        Map<String, Integer> inclusive = new HashMap<>();
        int samples = 0;
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < until && main.isAlive()) {
            StackTraceElement[] stack = main.getStackTrace();
            if (stack.length > 0) {
                samples++;
                Set<String> seen = new HashSet<>();
                for (StackTraceElement frame : stack) {
                    String method = frame.getClassName() + "." + frame.getMethodName();
                    if (seen.add(method)) {
                        inclusive.merge(method, 1, Integer::sum);
                    }
                }
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
        try (PrintWriter out = new PrintWriter(new FileWriter(output))) {
            out.println("total " + samples);
            inclusive.forEach((method, count) -> out.println("I " + count + " " + method));
        } catch (IOException e) {
            System.err.println("start-sampler: cannot write " + output + ": " + e);
        }
    }
}
