package io.stackwarden.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.FailsafeSchema;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one compose file into a plain JSON tree the way docker/cli's go-yaml v3 decoding does:
 * YAML 1.2 core-schema typing ({@code 22:22} and {@code yes} stay strings, {@code 0440} is octal),
 * anchors and aliases, {@code <<} merge keys (a map or a list of maps; explicit keys win, then the
 * first merged map), duplicate keys refused. Alias expansion is bounded so a small file cannot
 * expand into an enormous tree.
 */
public final class YamlReader {


    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    public record Parsed(JsonNode root, SourceMap lines) {
    }

    private final String file;
    private final SourceMap lines;
    private final LoadBudget budget;

    private YamlReader(String file, LoadBudget budget) {
        this.file = file;
        this.lines = new SourceMap(file);
        this.budget = budget;
    }

    /** Parses the first YAML document of {@code bytes} within a budget of its own; an empty document yields a null root. */
    public static Parsed read(String file, byte[] bytes) throws ComposeException {
        return read(file, bytes, new LoadBudget());
    }

    /** Parses the first YAML document of {@code bytes}, charging what it expands to to {@code budget}. */
    static Parsed read(String file, byte[] bytes, LoadBudget budget) throws ComposeException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ComposeException(file, 0, "yaml: invalid UTF-8 content");
        }
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file)
                .setSchema(new FailsafeSchema())
                .setAllowDuplicateKeys(true) // reported by us, with go-yaml's message
                .setMaxAliasesForCollections(10_000)
                .setAllowRecursiveKeys(false)
                .setCodePointLimit((int) FileKind.COMPOSE.maxBytes() + 1)
                // One buffer for the whole text: with the default 1 KiB the reader copies its window for every
                // KiB of a long scalar, which allocates gigabytes for a scalar of a few megabytes.
                .setBufferSize(text.length() + 1)
                .build();
        YamlReader reader = new YamlReader(file, budget);
        try {
            Composer composer = new Composer(settings, new BudgetedParser(
                    new ParserImpl(settings, new StreamReader(settings, text)), file, budget));
            if (!composer.hasNext()) {
                return new Parsed(null, reader.lines);
            }
            Node doc = composer.next();
            return new Parsed(reader.convert(doc, new ArrayList<>()), reader.lines);
        } catch (BudgetedParser.OverBudget e) {
            throw e.error;
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            throw new ComposeException(file, line, "yaml: " + e.getProblem());
        } catch (YamlEngineException e) {
            throw new ComposeException(file, 0, "yaml: " + e.getMessage());
        } catch (StackOverflowError e) {
            throw new ComposeException(file, 0, "yaml: document is nested too deeply");
        }
    }

    private static int line(Node n) {
        return n.getStartMark().map(Mark::getLine).map(l -> l + 1).orElse(0);
    }

    private JsonNode convert(Node n, List<String> path) throws ComposeException {
        budget.node(file, line(n));
        lines.put(path, line(n));
        if (n instanceof ScalarNode s) {
            charge(s);
            return scalar(s);
        }
        if (n instanceof SequenceNode seq) {
            ArrayNode out = JSON.arrayNode();
            int i = 0;
            for (Node item : seq.getValue()) {
                path.add(Integer.toString(i++));
                out.add(convert(item, path));
                path.remove(path.size() - 1);
            }
            return out;
        }
        return mapping((MappingNode) n, path);
    }

    private ObjectNode mapping(MappingNode m, List<String> path) throws ComposeException {
        ObjectNode out = JSON.objectNode();
        Map<String, Integer> seenAt = new HashMap<>();
        Node merge = null;
        for (NodeTuple t : m.getValue()) {
            Node k = t.getKeyNode();
            if (isMergeKey(k)) {
                merge = t.getValueNode();
                continue;
            }
            String key = key(k);
            Integer previous = seenAt.putIfAbsent(key, line(k));
            if (previous != null) {
                throw new ComposeException(file, line(k), "yaml: mapping key \"" + key
                        + "\" already defined at line " + previous);
            }
            path.add(key);
            out.set(key, convert(t.getValueNode(), path));
            path.remove(path.size() - 1);
        }
        if (merge != null) {
            List<Node> sources = merge instanceof SequenceNode seq ? seq.getValue() : List.of(merge);
            for (Node source : sources) {
                if (!(source instanceof MappingNode)) {
                    throw new ComposeException(file, line(source),
                            "yaml: map merge requires map or sequence of maps as the value");
                }
                ObjectNode merged = mapping((MappingNode) source, path);
                merged.fields().forEachRemaining(e -> {
                    if (!out.has(e.getKey())) {
                        out.set(e.getKey(), e.getValue());
                    }
                });
            }
        }
        return out;
    }

    private static boolean isMergeKey(Node k) {
        return k instanceof ScalarNode s && s.isPlain() && s.isResolved() && "<<".equals(s.getValue());
    }

    /** Mapping keys must decode to strings: go-yaml would otherwise build a map the CLI cannot handle. */
    private String key(Node k) throws ComposeException {
        if (!(k instanceof ScalarNode s)) {
            throw new ComposeException(file, line(k), "yaml: mapping keys must be strings");
        }
        if (s.getValue().length() > LoadBudget.MAX_KEY) {
            throw new ComposeException(file, line(k), "yaml: a mapping key is longer than " + LoadBudget.MAX_KEY
                    + " characters");
        }
        charge(s);
        JsonNode v = scalar(s);
        if (!v.isTextual()) {
            throw new ComposeException(file, line(k), "non-string key \"" + s.getValue()
                    + "\" (a YAML " + kind(v) + "): quote it");
        }
        return v.textValue();
    }

    /** Text counts each time an alias repeats it: the tree shares the string, what is built from it does not. */
    private void charge(ScalarNode s) throws ComposeException {
        if (!budget.text(s.getValue().length())) {
            throw budget.tooMuchText(file, line(s));
        }
    }

    private static String kind(JsonNode v) {
        if (v.isNull()) {
            return "null";
        }
        if (v.isBoolean()) {
            return "boolean";
        }
        return v.isIntegralNumber() ? "integer" : "number";
    }

    private JsonNode scalar(ScalarNode s) throws ComposeException {
        String v = s.getValue();
        if (!s.isResolved()) {
            return explicit(s.getTag(), v, s);
        }
        return s.isPlain() ? GoYamlScalars.resolve(v) : JSON.textNode(v);
    }

    private JsonNode explicit(Tag tag, String v, ScalarNode s) throws ComposeException {
        String t = tag.getValue();
        JsonNode plain = GoYamlScalars.resolve(v);
        switch (t) {
            case "tag:yaml.org,2002:str":
                return JSON.textNode(v);
            case "tag:yaml.org,2002:null":
                return JSON.nullNode();
            case "tag:yaml.org,2002:bool":
                if (plain.isBoolean()) {
                    return plain;
                }
                break;
            case "tag:yaml.org,2002:int":
                if (plain.isIntegralNumber()) {
                    return plain;
                }
                break;
            case "tag:yaml.org,2002:float":
                if (plain.isNumber()) {
                    return JSON.numberNode(plain.doubleValue());
                }
                break;
            case "tag:yaml.org,2002:binary":
                try {
                    return JSON.textNode(new String(Base64.getMimeDecoder().decode(v), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    break;
                }
            case "tag:yaml.org,2002:timestamp":
                if (GoYamlScalars.timestamp(v) != null) {
                    return JSON.textNode(GoYamlScalars.timestamp(v));
                }
                break;
            default:
                // go-yaml keeps the value of an unknown (local) tag as it would resolve untagged.
                return plain;
        }
        throw new ComposeException(file, line(s), "yaml: cannot decode `" + v + "` as a " + tag.getValue());
    }
}
