package io.stackwarden.desired.source;

import io.stackwarden.desired.DesiredStack;
import io.stackwarden.desired.Revisions;
import io.stackwarden.desired.WorkspaceSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.Lock;
import java.util.stream.Stream;

/**
 * A plain folder as the source, watched by polling: the content hash of every stack folder
 * ({@link Revisions#ofFolder}) and of {@code stackwarden.yaml} is compared with the previous poll.
 * Someone else writes the files, so there is nothing to lock.
 */
public final class FolderOrigin implements Origin {

    private static final String SETTINGS_KEY = "/" + WorkspaceSettings.FILE_NAME;

    private final Path root;
    private Map<String, String> previous;

    public FolderOrigin(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String kind() {
        return "folder";
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public Optional<String> branch() {
        return Optional.empty();
    }

    @Override
    public Optional<String> url() {
        return Optional.empty();
    }

    @Override
    public boolean readable() {
        return true;
    }

    @Override
    public Refreshed refresh(Lock write) throws SourceException {
        Map<String, String> now;
        try {
            now = hashes();
        } catch (SourceException e) {
            previous = null;
            throw e;
        }
        ChangedStacks changes = previous == null ? ChangedStacks.everything() : changes(previous, now);
        previous = now;
        return new Refreshed("dir:" + sha256(now.toString()).substring(0, 12), changes, Optional.empty());
    }

    @Override
    public String revision(DesiredStack stack) throws IOException {
        return Revisions.ofFolder(stack.dir());
    }

    private Map<String, String> hashes() throws SourceException {
        if (!Files.isDirectory(root)) {
            throw new SourceException("desired-state directory " + root + " does not exist or is not a directory");
        }
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : entries.sorted().toList()) {
                String name = entry.getFileName().toString();
                if (Files.isDirectory(entry) && !name.startsWith(".")) {
                    hashes.put(name, Revisions.ofFolder(entry));
                }
            }
            Path settings = root.resolve(WorkspaceSettings.FILE_NAME);
            hashes.put(SETTINGS_KEY, Revisions.ofFile(settings));
        } catch (IOException | RuntimeException e) {
            throw new SourceException("cannot read desired-state directory " + root + ": " + e.getMessage(), e);
        }
        return hashes;
    }

    private static ChangedStacks changes(Map<String, String> before, Map<String, String> after) {
        if (!Objects.equals(before.get(SETTINGS_KEY), after.get(SETTINGS_KEY))) {
            return ChangedStacks.everything();
        }
        Set<String> changed = new HashSet<>();
        Set<String> names = new HashSet<>(before.keySet());
        names.addAll(after.keySet());
        names.remove(SETTINGS_KEY);
        for (String name : names) {
            if (!Objects.equals(before.get(name), after.get(name))) {
                changed.add(name);
            }
        }
        return ChangedStacks.of(changed);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
