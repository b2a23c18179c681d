package io.stackwarden.parity;

import io.stackwarden.swarm.SwarmObject;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.StreamDataWriter;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.FailsafeSchema;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes a compose file deployable on the lab, the same way for docker stack deploy and for Stackwarden:
 * it edits the YAML node tree (anchors, aliases, merge keys, scalar styles and the original text of every
 * scalar are kept) and writes it into a fresh stack folder with the data files it references.
 *
 * <ul>
 *   <li>every service's {@code image} becomes the lab image in the same form: untagged, tagged, by digest, or
 *       tagged and by digest, always with the lab registry's host and port ({@link LabImages}); an image is
 *       added where a service had only {@code build} (not in the later files of a merge, whose services may
 *       leave the image to the first file). A file with the top-level key
 *       {@code x-parity-keep-images: true} keeps its images exactly as written (Docker Hub forms: the CLI
 *       rewrites them too, and a registry that cannot be reached leaves both tools unpinned);</li>
 *   <li>files of configs, secrets and {@code env_file} are copied next to the prepared file (same relative
 *       path); missing ones, or ones outside the source folder, get a placeholder inside the stack folder;</li>
 *   <li>bind-mount sources are kept as written: they are paths on the node, passed on by both tools;</li>
 *   <li>networks, configs, secrets and volumes with their own {@code name} get the prefix {@code parz-<stack>_};</li>
 *   <li>external networks, configs and secrets are renamed to {@code parzext_<name>} (the lab is shared: we
 *       only ever create objects whose names start with {@code par}) and are created for both runs.</li>
 * </ul>
 * Both prefixes sort after the stack names {@code parcli...} and {@code parsw...}: the CLI sorts a service's
 * networks, secrets and configs by engine name, and so does Stackwarden, so the order compares equal.
 * <ul>
 * </ul>
 * IPAM drivers other than {@code default} are removed (no IPAM plugin on the lab), and a config or secret
 * with neither {@code file}, {@code external} nor {@code driver} gets a placeholder file (otherwise both tools
 * read the stack folder itself and stop with "is a directory").
 * Everything else, volume drivers that are not installed and bind sources that do not exist included, is
 * kept: services need not run for their specs to be compared.
 *
 * <p>{@link LabImages} names the lab image under each form the suite compares.
 */
final class Preparer {

    static final String EXTERNAL_PREFIX = "parzext_";
    /** Start of the prefix of objects with their own name; the stack name and "_" follow. */
    static final String NAME_PREFIX = "parz-";

    record External(SwarmObject.Kind kind, String name) {
    }

    /** The prepared stack folder, its compose files (relative to it, in {@code -c} order), notes and externals. */
    record Prepared(Path stackDir, List<String> composeFiles, List<String> notes, List<External> externals) {
    }

    /**
     * The lab's test image as pushed to the lab registry: {@code <repository>:1}, the same image as
     * {@code <repository>:latest}, and its manifest digest.
     */
    record LabImages(String repository, String digest) {

        /** The lab image in the form of {@code original}: untagged, tagged, by digest, or both. */
        String like(String original) {
            int at = original.indexOf('@');
            String name = at < 0 ? original : original.substring(0, at);
            boolean tagged = name.lastIndexOf(':') > name.lastIndexOf('/');
            return repository + (tagged || original.isEmpty() ? ":1" : "") + (at < 0 ? "" : "@" + digest);
        }
    }

    private final Path sourceDir;
    /** Where data files go: the prepared first file's folder (relative references resolve against it). */
    private final Path workDir;
    private final LabImages images;
    private boolean keepImages;
    /** False for the second and later files of a merge: a service there without an image keeps the first file's. */
    private boolean firstFile = true;
    private final String namePrefix;
    private final List<String> notes = new ArrayList<>();
    private final List<External> externals = new ArrayList<>();

    private Preparer(Path sourceDir, Path workDir, LabImages images, String namePrefix) {
        this.namePrefix = namePrefix;
        this.sourceDir = sourceDir;
        this.workDir = workDir;
        this.images = images;
    }

    /**
     * Writes the prepared copy of {@code source} as {@code stackDir/compose.yaml}; the folder's name is the stack
     * name, and objects with their own name get the prefix {@code parz-<stack>_}, so that the CLI's copy and
     * Stackwarden's never collide and compare equal once the stack names are normalised.
     */
    static Prepared prepare(Path source, Path stackDir, LabImages images) throws IOException {
        Path file = source.toAbsolutePath();
        return prepare(file.getParent(), List.of(file.getFileName().toString()), List.of("compose.yaml"), stackDir, images);
    }

    /**
     * Writes the prepared copy of each of {@code files} (paths relative to {@code caseDir}) under the same relative
     * path in {@code stackDir}, as several {@code -c} files. Data files are found and written relative to the first
     * file's folder, the working directory of the CLI's loader for every file.
     */
    static Prepared prepare(Path caseDir, List<String> files, Path stackDir, LabImages images) throws IOException {
        return prepare(caseDir, files, files, stackDir, images);
    }

    private static Prepared prepare(Path caseDir, List<String> files, List<String> targets, Path stackDir,
                                    LabImages images) throws IOException {
        Path workDir = stackDir.resolve(targets.get(0)).getParent();
        Files.createDirectories(workDir);
        Preparer preparer = new Preparer(caseDir.resolve(files.get(0)).toAbsolutePath().getParent(), workDir, images,
                NAME_PREFIX + stackDir.getFileName() + "_");
        for (int i = 0; i < files.size(); i++) {
            Path source = caseDir.resolve(files.get(i));
            String text = Files.readString(source, StandardCharsets.UTF_8);
            Path target = stackDir.resolve(targets.get(i));
            Files.createDirectories(target.getParent());
            Optional<Node> root;
            try {
                root = new Compose(LoadSettings.builder().setSchema(new FailsafeSchema()).setAllowDuplicateKeys(true)
                        .setLabel(source.toString()).build()).composeString(text);
            } catch (RuntimeException e) {
                root = Optional.empty();
                preparer.notes.add(files.get(i) + " not valid YAML for SnakeYAML (" + e.getClass().getSimpleName()
                        + "): copied unchanged");
            }
            if (root.isPresent() && root.get() instanceof MappingNode mapping) {
                preparer.prepare(mapping);
                Files.writeString(target, dump(mapping), StandardCharsets.UTF_8);
            } else {
                Files.writeString(target, text, StandardCharsets.UTF_8);
            }
            preparer.firstFile = false;
        }
        return new Prepared(stackDir, List.copyOf(targets), List.copyOf(preparer.notes),
                preparer.externals.stream().distinct().toList());
    }

    private void prepare(MappingNode root) throws IOException {
        keepImages = get(root, "x-parity-keep-images") instanceof ScalarNode keep && keep.getValue().equals("true");
        if (get(root, "services") instanceof MappingNode services) {
            for (NodeTuple service : services.getValue()) {
                if (service.getValueNode() instanceof MappingNode spec) {
                    service(scalar(service.getKeyNode()), spec);
                }
            }
        }
        for (String kind : List.of("configs", "secrets")) {
            if (get(root, kind) instanceof MappingNode objects) {
                for (NodeTuple object : objects.getValue()) {
                    if (object.getValueNode() instanceof MappingNode spec) {
                        String key = scalar(object.getKeyNode());
                        if (get(spec, "file") instanceof ScalarNode file) {
                            put(spec, "file", text(dataFile(file.getValue(), kind + " " + key)));
                        } else if (get(spec, "external") == null && get(spec, "driver") == null) {
                            // Both tools would read the stack folder itself ("is a directory") and stop there.
                            put(spec, "file", text(dataFile("./data/" + kind + "-" + key, kind + " " + key)));
                            notes.add(kind + " " + key + ": no file, external or driver; placeholder file added");
                        }
                        if (!external(spec, key, kind.equals("configs") ? SwarmObject.Kind.CONFIG : SwarmObject.Kind.SECRET)) {
                            named(spec, kind + " " + key);
                        }
                    }
                }
            }
        }
        if (get(root, "networks") instanceof MappingNode networks) {
            for (NodeTuple network : networks.getValue()) {
                if (network.getValueNode() instanceof MappingNode spec) {
                    if (!external(spec, scalar(network.getKeyNode()), SwarmObject.Kind.NETWORK)) {
                        named(spec, "network " + scalar(network.getKeyNode()));
                    }
                    if (get(spec, "ipam") instanceof MappingNode ipam && get(ipam, "driver") instanceof ScalarNode driver
                            && !driver.getValue().equals("default")) {
                        ipam.getValue().removeIf(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("driver"));
                        notes.add("network " + scalar(network.getKeyNode()) + ": IPAM driver " + driver.getValue()
                                + " is not installed on the lab, removed");
                    }
                }
            }
        }
        if (get(root, "volumes") instanceof MappingNode volumes) {
            for (NodeTuple volume : volumes.getValue()) {
                if (volume.getValueNode() instanceof MappingNode spec && get(spec, "external") == null) {
                    named(spec, "volume " + scalar(volume.getKeyNode()));
                }
            }
        }
    }

    private void service(String name, MappingNode spec) throws IOException {
        Node original = get(spec, "image");
        if (original == null && firstFile && get(spec, "build") != null) {
            notes.add("service " + name + ": build only, image " + images.like("") + " added");
        }
        if (original == null ? firstFile : !keepImages) {
            put(spec, "image", text(images.like(original instanceof ScalarNode s ? s.getValue() : "")));
        }
        Node envFile = get(spec, "env_file");
        if (envFile instanceof ScalarNode file) {
            put(spec, "env_file", text(dataFile(file.getValue(), "env_file of " + name)));
        } else if (envFile instanceof SequenceNode files) {
            List<Node> items = new ArrayList<>();
            for (Node item : files.getValue()) {
                items.add(item instanceof ScalarNode file ? text(dataFile(file.getValue(), "env_file of " + name)) : item);
            }
            files.getValue().clear();
            files.getValue().addAll(items);
        }
    }

    /** A data file next to the prepared compose file; the returned reference is what the file should say. */
    private String dataFile(String raw, String what) throws IOException {
        Path relative = Path.of(raw).normalize();
        String reference = raw;
        if (relative.isAbsolute() || raw.startsWith("~") || relative.startsWith("..")) {
            reference = "./data/" + raw.replaceAll("[^A-Za-z0-9._-]", "_");
            relative = Path.of(reference).normalize();
            notes.add(what + ": " + raw + " is outside the source folder, placeholder " + reference);
        }
        Path target = workDir.resolve(relative).normalize();
        Files.createDirectories(target.getParent());
        Path original = sourceDir.resolve(raw).normalize();
        if (reference.equals(raw) && Files.isRegularFile(original)) {
            if (!Files.exists(target)) {
                Files.copy(original, target);
            }
        } else if (!Files.exists(target)) {
            if (reference.equals(raw)) {
                notes.add(what + ": " + raw + " does not exist, placeholder written");
            }
            Files.writeString(target, "parity placeholder for " + raw + "\n");
        }
        return reference;
    }

    /** An object with its own {@code name} (not scoped by the stack) gets a {@code par} prefix. */
    private void named(MappingNode spec, String what) {
        if (get(spec, "name") instanceof ScalarNode old && !old.getValue().startsWith(NAME_PREFIX)) {
            put(spec, "name", text(namePrefix + old.getValue()));
            notes.add(what + ": name " + old.getValue() + " -> " + namePrefix + old.getValue());
        }
    }

    /** External objects get a {@code par} name, set where the file names them (or a {@code name} added). */
    private boolean external(MappingNode spec, String key, SwarmObject.Kind kind) {
        Node external = get(spec, "external");
        boolean isExternal = external instanceof MappingNode
                || external instanceof ScalarNode s && s.getValue().equals("true");
        if (!isExternal) {
            return false;
        }
        String name;
        if (external instanceof MappingNode ext && get(ext, "name") instanceof ScalarNode old) {
            name = EXTERNAL_PREFIX + old.getValue();
            put(ext, "name", text(name));
        } else if (get(spec, "name") instanceof ScalarNode old) {
            name = EXTERNAL_PREFIX + old.getValue();
            put(spec, "name", text(name));
        } else {
            name = EXTERNAL_PREFIX + key;
            put(spec, "name", text(name));
        }
        notes.add("external " + kind + " " + key + " renamed to " + name + " and created for both runs");
        externals.add(new External(kind, name));
        return true;
    }

    private static Node get(MappingNode mapping, String key) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return tuple.getValueNode();
            }
        }
        return null;
    }

    private static void put(MappingNode mapping, String key, Node value) {
        List<NodeTuple> tuples = mapping.getValue();
        for (int i = 0; i < tuples.size(); i++) {
            if (tuples.get(i).getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                tuples.set(i, new NodeTuple(tuples.get(i).getKeyNode(), value));
                return;
            }
        }
        tuples.add(new NodeTuple(new ScalarNode(Tag.STR, key, ScalarStyle.PLAIN), value));
    }

    private static String scalar(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : String.valueOf(node);
    }

    private static ScalarNode text(String value) {
        return new ScalarNode(Tag.STR, value, ScalarStyle.DOUBLE_QUOTED);
    }

    private static String dump(Node root) {
        DumpSettings settings = DumpSettings.builder().setSchema(new FailsafeSchema()).setWidth(100_000)
                .setSplitLines(false).setDefaultFlowStyle(FlowStyle.BLOCK).build();
        StringWriter out = new StringWriter();
        new Dump(settings).dumpNode(root, new StreamDataWriter() {
            @Override
            public void write(String str) {
                out.write(str);
            }

            @Override
            public void write(String str, int off, int len) {
                out.write(str, off, len);
            }
        });
        return out.toString();
    }
}
