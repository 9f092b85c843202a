package io.relaymesh.bootstrap.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README, docs/*.md, deploy/README.md and bench/README.md: every relative link reaches a file
 * that exists and, with a {@code #fragment}, a heading of that file. The pages link to each other's
 * sections by heading, so renaming or moving a section breaks links that nothing else would notice.
 * Also: a newcomer sees {@code make run} and {@code make test} on the README's first screen.
 */
class DocsLinksTest {
    private static final Path ROOT = DeployFiles.ROOT;
    private static final Path README = ROOT.resolve("README.md");
    /** Roughly what a browser shows of the README on GitHub before the reader scrolls. */
    private static final int FIRST_SCREEN_LINES = 40;

    /** The target of {@code [text](target)} or {@code ![alt](target "title")}; targets here have no spaces. */
    private static final Pattern LINK = Pattern.compile("]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)(?:\\s+#+)?\\s*$");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");
    /** http:, https:, mailto: and the like: not files of this repository. */
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Pattern INLINE_LINK = Pattern.compile("!?\\[([^\\]]*)]\\([^)]*\\)");

    @Test
    void everyRelativeLink_pointsToAnExistingFileAndHeading() {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        Map<Path, Set<String>> anchorsByFile = new HashMap<>();
        for (Path doc : documents()) {
            List<String> lines = lines(doc);
            boolean inFence = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (FENCE.matcher(line).find()) {
                    inFence = !inFence;
                    continue;
                }
                if (inFence) {
                    continue; // a shell or JSON example, not a link
                }
                Matcher link = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
                while (link.find()) {
                    String target = link.group(1);
                    if (SCHEME.matcher(target).find()) {
                        continue;
                    }
                    checked++;
                    String where = DeployFiles.describe(doc) + ":" + (i + 1) + ": " + target;
                    int hash = target.indexOf('#');
                    String file = hash < 0 ? target : target.substring(0, hash);
                    Path resolved = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
                    if (!Files.exists(resolved)) {
                        broken.add(where + ": " + DeployFiles.describe(resolved) + " does not exist");
                        continue;
                    }
                    if (hash >= 0 && resolved.toString().endsWith(".md")) {
                        String anchor = target.substring(hash + 1);
                        Set<String> anchors = anchorsByFile.computeIfAbsent(resolved, f -> anchors(lines(f)));
                        if (!anchors.contains(anchor)) {
                            broken.add(where + ": no heading of " + DeployFiles.describe(resolved)
                                    + " has the anchor #" + anchor);
                        }
                    }
                }
            }
        }
        // Guards the pattern itself: a LINK that matched nothing would make this test pass on anything.
        assertTrue(checked > 50, "only " + checked + " relative links found; is the link pattern right?");
        assertTrue(broken.isEmpty(), broken.size() + " broken relative link(s):\n" + String.join("\n", broken));
    }

    @Test
    void readme_showsMakeRunAndMakeTest_onItsFirstScreen() {
        List<String> lines = lines(README);
        String firstScreen = String.join("\n", lines.subList(0, Math.min(FIRST_SCREEN_LINES, lines.size())));
        for (String command : List.of("make run", "make test")) {
            assertTrue(firstScreen.contains(command), "README.md should show `" + command + "` within its first "
                    + FIRST_SCREEN_LINES + " lines: it is how a newcomer sets up and checks a fresh machine");
        }
    }

    @Test
    void anchors_followGitHubsRules() {
        // The rules the link check relies on, pinned down with headings of these very docs.
        Set<String> anchors = anchors(List.of(
                "## Docker Compose: `make up`",
                "## GET /admin/api/cluster",
                "### Errors and close codes",
                "## LoadBench: the gateway under load, side by side with Socket.IO (issue 7)",
                "## An event's path",
                "#### idle: memory per connection (one pod)",
                "##### idle: memory per connection (one pod)",
                "```sh",
                "# a shell comment, not a heading",
                "```",
                "#not-a-heading"));
        assertEquals(new LinkedHashSet<>(List.of(
                "docker-compose-make-up",
                "get-adminapicluster",
                "errors-and-close-codes",
                "loadbench-the-gateway-under-load-side-by-side-with-socketio-issue-7",
                "an-events-path",
                "idle-memory-per-connection-one-pod",
                "idle-memory-per-connection-one-pod-1")), anchors);
    }

    /** The files whose links this test checks: the README and every page it leads to. */
    private static List<Path> documents() {
        List<Path> docs = new ArrayList<>();
        docs.add(README);
        try (Stream<Path> pages = Files.list(ROOT.resolve("docs"))) {
            pages.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        } catch (IOException e) {
            throw new UncheckedIOException("docs/ cannot be listed", e);
        }
        docs.add(ROOT.resolve("deploy").resolve("README.md"));
        docs.add(ROOT.resolve("bench").resolve("README.md"));
        return docs;
    }

    private static List<String> lines(Path file) {
        return DeployFiles.read(file).lines().toList();
    }

    /**
     * The anchors GitHub gives the headings of a Markdown file: the heading's text in lower case,
     * link syntax reduced to its text, every character other than a letter, digit, space, '-' or
     * '_' dropped, spaces turned into '-'; a repeated anchor gets "-1", "-2", ... Lines in fenced
     * code blocks are not headings.
     */
    static Set<String> anchors(List<String> lines) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean inFence = false;
        for (String line : lines) {
            if (FENCE.matcher(line).find()) {
                inFence = !inFence;
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (inFence || !heading.matches()) {
                continue;
            }
            String text = INLINE_LINK.matcher(heading.group(1)).replaceAll("$1");
            String slug = text.toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "")
                    .replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum) - 1;
            anchors.add(n == 0 ? slug : slug + "-" + n);
        }
        return anchors;
    }
}
