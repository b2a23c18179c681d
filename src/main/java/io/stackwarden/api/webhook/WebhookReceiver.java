package io.stackwarden.api.webhook;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwarden.desired.SourceRefresh;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * One webhook delivery, from raw body to answer. Order matters: nothing of the payload is parsed
 * before its signature is checked, and an unsigned or oversized request is refused before its body
 * is read. An accepted push only asks the source to refresh, which returns at once.
 */
public final class WebhookReceiver {

    private static final Logger LOG = Logger.getLogger(WebhookReceiver.class);
    private static final String BRANCHES = "refs/heads/";
    private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{7,64}");

    /** The outcome of a delivery; its lower-case name is the {@code result} tag of the metric. */
    public enum Result {
        ACCEPTED(202), IGNORED(200), UNAUTHORIZED(401), INVALID(400), TOO_LARGE(413);

        /** The HTTP status it is answered with. */
        public final int status;

        Result(int status) {
            this.status = status;
        }

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What happened to one delivery and why, in words for the sender's delivery log. */
    public record Outcome(Result result, String message) {
    }

    private final SourceRefresh source;
    private final ImagePushes images;
    private final ObjectMapper json;
    private final long maxBody;

    /** Without a watch of image tags: a registry's notifications change nothing. */
    public WebhookReceiver(SourceRefresh source, ObjectMapper json, long maxBody) {
        this(source, ImagePushes.NONE, json, maxBody);
    }

    /** @param images where a registry's push notifications go */
    public WebhookReceiver(SourceRefresh source, ImagePushes images, ObjectMapper json, long maxBody) {
        this.source = source;
        this.images = images;
        this.json = json;
        this.maxBody = maxBody;
    }

    /**
     * @param secret        the shared secret; empty when webhooks are accepted unsigned
     * @param headers       the request's headers by name, case-insensitive; null when absent
     * @param contentLength the declared body length, -1 when not declared
     */
    public Outcome receive(WebhookProvider provider, Optional<byte[]> secret, UnaryOperator<String> headers,
                           long contentLength, InputStream body) {
        String signature = headers.apply(provider.signatureHeader());
        if (secret.isPresent() && (signature == null || signature.isBlank())) {
            return new Outcome(Result.UNAUTHORIZED, "unsigned request: " + provider.signatureHeader() + " is missing");
        }
        if (contentLength > maxBody) {
            return tooLarge();
        }
        byte[] bytes;
        try {
            Optional<byte[]> read = readAtMost(body, maxBody);
            if (read.isEmpty()) {
                return tooLarge();
            }
            bytes = read.get();
        } catch (IOException e) {
            return new Outcome(Result.INVALID, "the body could not be read: " + e.getMessage());
        }
        return unauthentic(provider, secret, headers, bytes).orElseGet(() -> signed(provider, headers, bytes));
    }

    /** Why a delivery whose body was read is refused as not authentic (401); empty when it is authentic or need not be. */
    public Optional<Outcome> unauthentic(WebhookProvider provider, Optional<byte[]> secret, UnaryOperator<String> headers,
                                         byte[] body) {
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        String signature = headers.apply(provider.signatureHeader());
        if (signature == null || signature.isBlank()) {
            return Optional.of(new Outcome(Result.UNAUTHORIZED, "unsigned request: " + provider.signatureHeader() + " is missing"));
        }
        return provider.verifies(secret.get(), body, signature.trim()) ? Optional.empty()
                : Optional.of(new Outcome(Result.UNAUTHORIZED, "wrong signature in " + provider.signatureHeader()));
    }

    /** The delivery is authentic (or need not be): what does it ask for? */
    private Outcome signed(WebhookProvider provider, UnaryOperator<String> headers, byte[] body) {
        WebhookProvider.Event event = WebhookProvider.Event.PUSH;
        if (provider.eventHeader().isPresent()) {
            String name = headers.apply(provider.eventHeader().get());
            if (name == null || name.isBlank()) {
                return new Outcome(Result.INVALID, "the " + provider.eventHeader().get() + " header is missing");
            }
            event = provider.event(name.trim());
            if (event == WebhookProvider.Event.PING) {
                return new Outcome(Result.IGNORED, "pong");
            }
            if (event == WebhookProvider.Event.OTHER) {
                return new Outcome(Result.IGNORED, "ignored: event " + name.trim() + " is not a push");
            }
        }
        List<PushedRef> refs;
        try {
            JsonNode payload = json.readTree(body);
            if (payload == null || !payload.isObject()) {
                return new Outcome(Result.INVALID, "the body is not a JSON object (send it as application/json)");
            }
            if (provider instanceof RegistryHook registry) {
                return imagesPushed(registry.pushedImages(payload));
            }
            refs = provider.pushedRefs(payload);
        } catch (JacksonException e) {
            return new Outcome(Result.INVALID, "the body is not valid JSON (send it as application/json): "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            return new Outcome(Result.INVALID, "the body could not be read: " + e.getMessage());
        } catch (InvalidPayload e) {
            return new Outcome(Result.INVALID, e.getMessage());
        }
        return push(provider, refs);
    }

    private Outcome push(WebhookProvider provider, List<PushedRef> refs) {
        Optional<String> branch = source.branch().map(WebhookReceiver::branchName);
        for (PushedRef ref : refs) {
            if (follows(ref, branch)) {
                String reason = provider.name() + " push" + shortCommit(ref.commit());
                LOG.infof("webhook accepted: %s", reason);
                source.requestRefresh(reason);
                return new Outcome(Result.ACCEPTED, "refresh requested: " + reason);
            }
        }
        if (refs.isEmpty()) {
            return new Outcome(Result.IGNORED, "ignored: the push moved no ref");
        }
        String moved = refs.stream().map(ref -> ref.ref().orElse("?")).toList().toString();
        return new Outcome(Result.IGNORED, "ignored: the push moved " + moved + ", not "
                + branch.map(b -> BRANCHES + b).orElse("a branch"));
    }

    private Outcome imagesPushed(List<String> references) {
        if (references.isEmpty()) {
            return new Outcome(Result.IGNORED, "ignored: the notification holds no push of a tag");
        }
        int watching = images.pushed(references);
        LOG.infof("registry notification accepted: %s pushed", references);
        return new Outcome(Result.ACCEPTED, "image check requested for " + references + " (" + watching
                + " stack(s) watch their images)");
    }

    /** A push without a ref counts for the followed branch; tags never do; a plain folder follows every branch. */
    static boolean follows(PushedRef pushed, Optional<String> branch) {
        if (pushed.ref().isEmpty()) {
            return true;
        }
        String ref = pushed.ref().get();
        return ref.startsWith(BRANCHES) && branch.map(b -> ref.equals(BRANCHES + b)).orElse(true);
    }

    private static String branchName(String branch) {
        return branch.startsWith(BRANCHES) ? branch.substring(BRANCHES.length()) : branch;
    }

    /** The commit as the log shows it; text that is not a commit ID never reaches the log. */
    private static String shortCommit(String commit) {
        return COMMIT.matcher(commit).matches() ? " " + commit.substring(0, 7).toLowerCase(Locale.ROOT) : "";
    }

    /** The largest body taken. */
    public long maxBody() {
        return maxBody;
    }

    private Outcome tooLarge() {
        return new Outcome(Result.TOO_LARGE, tooLargeMessage(maxBody));
    }

    /** Why a body over the cap is refused; also said by the HTTP layer when a body without a declared length outgrows it. */
    public static String tooLargeMessage(long maxBody) {
        return "the body exceeds " + maxBody + " bytes (stackwarden.webhooks.max-body)";
    }

    /** The whole body, or empty as soon as it proves longer than {@code max}: the rest is never read. */
    public static Optional<byte[]> readAtMost(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buffer, 0, (int) Math.min(buffer.length, max + 1 - total))) > 0) {
            out.write(buffer, 0, n);
            total += n;
            if (total > max) {
                return Optional.empty();
            }
        }
        return Optional.of(out.toByteArray());
    }
}
