package io.stackwarden.desired;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwarden.compose.ComposeException;
import io.stackwarden.compose.FileKind;
import io.stackwarden.compose.FileRefused;
import io.stackwarden.compose.PathGuard;
import io.stackwarden.compose.YamlReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the desired-state directory: one folder per stack (hidden folders such as {@code .git} are
 * skipped) and the optional {@code stackwarden.yaml}. A missing or unreadable directory, or a broken
 * settings file, fails the whole read: that must never look like "no stacks".
 */
public final class DesiredStateReader {

    /** Compose file names looked for in a stack folder, in this order (the first one found is used). */
    public static final List<String> COMPOSE_NAMES = List.of(
            "compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml", "stack.yml");

    private final ObjectMapper json = new ObjectMapper();

    public DesiredState read(Path directory) throws DesiredStateException {
        Path root = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new DesiredStateException("desired-state directory " + root + " does not exist or is not a directory", null);
        }
        WorkspaceSettings settings = settings(root);
        List<DesiredStack> stacks = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            for (Path dir : entries.sorted().toList()) {
                String name = dir.getFileName().toString();
                if (Files.isDirectory(dir) && !name.startsWith(".")) {
                    stacks.add(stack(name, dir, settings.forStack(name)));
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new DesiredStateException("cannot list desired-state directory " + root + ": " + e.getMessage(), e);
        }
        return new DesiredState(root, List.copyOf(stacks), settings);
    }

    /**
     * Reads and checks {@code <root>/stackwarden.yaml} (absent: the defaults). The source checks it on every
     * refresh too, so a broken one marks the source stale instead of failing only the passes.
     */
    public WorkspaceSettings settings(Path root) throws DesiredStateException {
        String shown = WorkspaceSettings.FILE_NAME;
        try {
            byte[] content = new PathGuard(root).read(Path.of(shown), FileKind.SETTINGS);
            Object document = json.convertValue(YamlReader.read(shown, content).root(), Object.class);
            return WorkspaceSettings.from(document);
        } catch (FileRefused e) {
            if (e.reason() == FileRefused.Reason.MISSING) {
                return WorkspaceSettings.empty();
            }
            throw new DesiredStateException(e.getMessage(), e);
        } catch (ComposeException e) {
            throw new DesiredStateException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new DesiredStateException(shown + ": " + e.getMessage(), e);
        }
    }

    private static DesiredStack stack(String name, Path dir, StackSettings settings) {
        Optional<String> badName = StackName.problem(name);
        if (badName.isPresent()) {
            return new DesiredStack(name, dir, List.of(), settings, badName);
        }
        List<Path> files = new ArrayList<>();
        if (!settings.files().isEmpty()) {
            for (String file : settings.files()) {
                Path path = dir.resolve(file).normalize();
                if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                    return new DesiredStack(name, dir, List.of(), settings,
                            Optional.of("compose file " + file + " named in " + WorkspaceSettings.FILE_NAME + " does not exist in " + name));
                }
                files.add(path);
            }
        } else {
            // Found by name, whatever it is: a FIFO or a symlink out of the tree is refused by the reader, clearly.
            COMPOSE_NAMES.stream().map(dir::resolve).filter(path -> Files.exists(path, LinkOption.NOFOLLOW_LINKS))
                    .findFirst().ifPresent(files::add);
            if (files.isEmpty()) {
                return new DesiredStack(name, dir, List.of(), settings,
                        Optional.of("no compose file in " + name + " (looked for " + String.join(", ", COMPOSE_NAMES) + ")"));
            }
        }
        return new DesiredStack(name, dir, List.copyOf(files), settings, Optional.empty());
    }
}
