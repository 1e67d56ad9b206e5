import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One cold render of the page's "connected" part in a fresh JVM, with jte (the keeper's precompiled templates) or
 * mustache.java (what camel-mustache uses; bench/templates/main.mustache, the same markup): the time from the start of
 * main to the first page, the classes loaded for it and the heap it left. Run by bench/templates/compare.sh.
 */
public class TemplateStart {

    public static void main(String[] args) throws Exception {
        System.gc();
        long heapBefore = usedHeap();
        int classesBefore = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
        long start = System.nanoTime();
        Instant at = Instant.parse("2026-11-30T12:00:00Z");
        String html = args[0].equals("jte") ? jte(at) : mustache(at, args[1]);
        long firstRender = System.nanoTime() - start;
        int classes = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount() - classesBefore;
        System.gc();
        long heap = usedHeap() - heapBefore;
        if (!html.contains("Refresh now") || !html.contains("&lt;b&gt;")) {
            throw new IllegalStateException("not the page, or not escaped: " + html);
        }
        System.out.printf("%s first_render_ms=%.1f classes=%d heap_kb=%d%n", args[0], firstRender / 1e6, classes, heap / 1024);
    }

    static String jte(Instant at) throws Exception {
        var engine = gg.jte.TemplateEngine.createPrecompiled(null, gg.jte.ContentType.Html, TemplateStart.class.getClassLoader(),
                "io.github.yototokenkeeper.web.pages");
        var view = new io.github.yototokenkeeper.web.PageView("", "authenticated", false, "127.0.0.1", 12, "admin", false, null, null,
                false, null, new io.github.yototokenkeeper.web.PageView.Session(false, at, at, at, 0, "<b>odd</b>"));
        var output = new gg.jte.output.StringOutput();
        engine.render("main.jte", Map.of("view", view), output);
        return output.toString();
    }

    static String mustache(Instant at, String templates) throws Exception {
        var factory = new com.github.mustachejava.DefaultMustacheFactory(new java.io.File(templates));
        var template = factory.compile("main.mustache");
        Map<String, Object> model = new HashMap<>();
        model.put("state", "authenticated");
        model.put("heading", "Connected");
        model.put("stateText", "authenticated");
        for (String name : new String[] {"expiresAt", "lastRefreshAt", "nextRefreshAt"}) {
            model.put(name, at.toString());
            model.put(name + "Utc", at.toString().replace('T', ' '));
        }
        model.put("lastError", "<b>odd</b>");
        model.put("base", "");
        var writer = new java.io.StringWriter();
        template.execute(writer, model).flush();
        return writer.toString();
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
