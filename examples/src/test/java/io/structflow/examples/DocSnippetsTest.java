package io.structflow.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Compiles and runs every Java snippet of the user documentation exactly as printed.
 *
 * <p>Documents: the repository's {@code README.md} and every {@code *.md} under {@code docs/}
 * (found afresh on each run, so a new page such as {@code docs/extending.md} is picked up without
 * an edit here). Snippets: every fenced block whose info string starts with {@code java}
 * ({@code ```java}). The convention the documents follow:
 * <ul>
 *   <li>each block is a complete compilation unit, with its imports, as a reader would paste it
 *       into a file (no {@code package} line needed);</li>
 *   <li>the blocks of one document are compiled together, in memory, against this module's test
 *       class path ({@code java.class.path}), so a later block may use a class an earlier one
 *       declared (a field, then a {@code main} that trains it);</li>
 *   <li>every block that declares {@code public static void main(String[])} is run, in document
 *       order; a block without one is compiled only;</li>
 *   <li>each run should take well under 10 s.</li>
 * </ul>
 * A block that does not compile, or whose {@code main} throws, fails its own test, named by the
 * document and the line of the block's opening fence ({@code README.md:49}), with the compiler's
 * messages at document line numbers.
 */
class DocSnippetsTest {
    private static final Pattern FENCE_OPEN = Pattern.compile("^\\s*```\\s*java\\b.*$");
    private static final Pattern FENCE_CLOSE = Pattern.compile("^\\s*```\\s*$");
    private static final Pattern TOP_LEVEL_TYPE = Pattern.compile(
            "^(?:public\\s+)?(?:final\\s+|abstract\\s+|sealed\\s+|non-sealed\\s+)*"
                    + "(?:class|interface|record|enum)\\s+([A-Za-z_$][A-Za-z0-9_$]*)", Pattern.MULTILINE);
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern MAIN = Pattern.compile("public\\s+static\\s+void\\s+main\\s*\\(");

    /** One fenced block: where it stands and what it says. */
    record Snippet(Path document, String documentName, int fenceLine, String code) {
        String where() {
            return documentName + ":" + fenceLine;
        }

        /** Simple name of the first top-level type, or null. */
        String typeName() {
            Matcher m = TOP_LEVEL_TYPE.matcher(code);
            return m.find() ? m.group(1) : null;
        }

        String binaryName() {
            Matcher p = PACKAGE.matcher(code);
            return p.find() ? p.group(1) + "." + typeName() : typeName();
        }

        boolean hasMain() {
            return MAIN.matcher(code).find();
        }
    }

    @TestFactory
    Stream<DynamicNode> everyJavaSnippet_compilesAndRuns() throws IOException {
        Path root = repositoryRoot();
        List<DynamicNode> documents = new ArrayList<>();
        for (Path doc : documents(root)) {
            List<Snippet> snippets = snippets(doc, root.relativize(doc).toString().replace('\\', '/'));
            if (!snippets.isEmpty()) {
                String name = snippets.get(0).documentName();
                documents.add(DynamicContainer.dynamicContainer(name, testsOf(snippets)));
            }
        }
        return documents.stream();
    }

    @Test
    void extraction_findsReadmeSnippetAndItsLine() throws IOException {
        Path root = repositoryRoot();
        List<Snippet> readme = snippets(root.resolve("README.md"), "README.md");
        assertFalse(readme.isEmpty(), "README.md: expected at least one ```java block");
        List<String> lines = Files.readAllLines(root.resolve("README.md"), StandardCharsets.UTF_8);
        for (Snippet s : readme) {
            if (!FENCE_OPEN.matcher(lines.get(s.fenceLine() - 1)).matches()) {
                fail(s.where() + ": expected the opening ```java fence on this line but found: "
                        + lines.get(s.fenceLine() - 1));
            }
        }
    }

    /** The README and every Markdown page under docs/, in a fixed order. */
    static List<Path> documents(Path root) throws IOException {
        List<Path> docs = new ArrayList<>();
        docs.add(root.resolve("README.md"));
        Path dir = root.resolve("docs");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                docs.addAll(walk.filter(p -> p.toString().endsWith(".md")).sorted().collect(Collectors.toList()));
            }
        }
        return docs;
    }

    /** The ```java blocks of one document, with the line of each opening fence (1-based). */
    static List<Snippet> snippets(Path doc, String name) throws IOException {
        List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
        List<Snippet> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (FENCE_OPEN.matcher(lines.get(i)).matches()) {
                int open = i;
                StringBuilder code = new StringBuilder();
                i++;
                while (i < lines.size() && !FENCE_CLOSE.matcher(lines.get(i)).matches()) {
                    code.append(lines.get(i)).append('\n');
                    i++;
                }
                if (i == lines.size()) {
                    throw new IllegalStateException(name + ":" + (open + 1) + ": ```java block is never closed");
                }
                out.add(new Snippet(doc, name, open + 1, code.toString()));
            }
        }
        return out;
    }

    /** One test per snippet: compiled with its document's other snippets, then run if it has a main. */
    private static Stream<DynamicNode> testsOf(List<Snippet> snippets) {
        Compilation[] compiled = new Compilation[1];
        List<DynamicNode> tests = new ArrayList<>();
        for (Snippet s : snippets) {
            tests.add(DynamicTest.dynamicTest(s.where(), s.document().toUri(), () -> {
                if (compiled[0] == null) {
                    compiled[0] = compile(snippets);
                }
                check(s, compiled[0]);
            }));
        }
        return tests.stream();
    }

    private static void check(Snippet s, Compilation c) throws Exception {
        if (s.typeName() == null) {
            fail(s.where() + ": a ```java block must be a complete compilation unit (imports and a class); "
                    + "found no class, interface, record or enum declaration");
        }
        List<String> own = c.errors.getOrDefault(s, List.of());
        if (!own.isEmpty()) {
            fail(s.where() + ": snippet does not compile:\n  " + String.join("\n  ", own));
        }
        if (!c.errors.isEmpty()) {
            fail(s.where() + ": not run, because another snippet of " + s.documentName()
                    + " does not compile: " + c.errors.keySet().stream().map(Snippet::where).collect(Collectors.joining(", ")));
        }
        if (!s.hasMain()) {
            return;
        }
        Class<?> type = Class.forName(s.binaryName(), true, c.loader);
        Method main = type.getMethod("main", String[].class);
        if (!Modifier.isStatic(main.getModifiers())) {
            fail(s.where() + ": main must be static");
        }
        long start = System.nanoTime();
        try {
            main.invoke(null, (Object) new String[0]);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            AssertionError error = new AssertionError(s.where() + ": snippet's main threw " + cause, cause);
            throw error;
        }
        System.out.printf(Locale.ROOT, "%s: ran in %.1f s%n", s.where(), (System.nanoTime() - start) / 1e9);
    }

    /** The compiled classes of one document and the errors of each snippet. */
    private static final class Compilation {
        final Map<Snippet, List<String>> errors = new HashMap<>();
        ClassLoader loader;
    }

    private static Compilation compile(List<Snippet> snippets) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no system Java compiler: run the tests on a JDK, not a JRE");
        }
        Compilation c = new Compilation();
        List<Source> sources = new ArrayList<>();
        for (Snippet s : snippets) {
            if (s.typeName() != null) {
                sources.add(new Source(s));
            }
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, ByteArrayOutputStream> classes = new HashMap<>();
        if (!sources.isEmpty()) {
            compileInto(javac, sources, snippets, diagnostics, classes, c);
        }
        c.loader = new ClassLoader(DocSnippetsTest.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                ByteArrayOutputStream bytes = classes.get(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                byte[] b = bytes.toByteArray();
                return defineClass(name, b, 0, b.length);
            }
        };
        return c;
    }

    private static void compileInto(JavaCompiler javac, List<Source> sources, List<Snippet> snippets,
                                    DiagnosticCollector<JavaFileObject> diagnostics,
                                    Map<String, ByteArrayOutputStream> classes, Compilation c) throws IOException {
        try (StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
             InMemoryOutput files = new InMemoryOutput(standard, classes)) {
            List<String> options = List.of("-classpath", System.getProperty("java.class.path"),
                    "-proc:none", "-Xlint:none", "-encoding", "UTF-8");
            boolean ok = javac.getTask(null, files, diagnostics, options, null, sources).call();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() != Diagnostic.Kind.ERROR) {
                    continue;
                }
                Snippet owner = d.getSource() instanceof Source src ? src.snippet : snippets.get(0);
                long docLine = d.getLineNumber() < 0 ? owner.fenceLine() : owner.fenceLine() + d.getLineNumber();
                c.errors.computeIfAbsent(owner, k -> new ArrayList<>())
                        .add(owner.documentName() + ":" + docLine + ": " + d.getMessage(Locale.ROOT));
            }
            if (!ok && c.errors.isEmpty()) {
                c.errors.put(snippets.get(0), List.of("compilation failed without an error diagnostic"));
            }
        }
    }

    /** A snippet as a compiler source; the file name is its first type's, as javac requires. */
    private static final class Source extends SimpleJavaFileObject {
        final Snippet snippet;

        Source(Snippet snippet) {
            super(URI.create("string:///" + snippet.binaryName().replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.snippet = snippet;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return snippet.code();
        }
    }

    /** Keeps the class files javac writes in memory. */
    private static final class InMemoryOutput extends ForwardingJavaFileManager<StandardJavaFileManager> {
        private final Map<String, ByteArrayOutputStream> classes;

        InMemoryOutput(StandardJavaFileManager standard, Map<String, ByteArrayOutputStream> classes) {
            super(standard);
            this.classes = classes;
        }

        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                                   FileObject sibling) {
            return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
                @Override
                public OutputStream openOutputStream() {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    classes.put(className, bytes);
                    return bytes;
                }
            };
        }
    }

    /** The directory holding the parent pom and README.md, found upwards from the working directory. */
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("examples"))
                    && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new UncheckedIOException(new IOException(
                "DocSnippetsTest: expected README.md, pom.xml and examples/ in " + dir + " or a parent"));
    }
}
