package io.stackwarden.notify;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.support.ConstantTime;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A generic JSON webhook: the notice as a JSON object, signed like the generic push webhook Stackwarden
 * receives, {@code X-Stackwarden-Signature: sha256=<hex HMAC-SHA256 of the exact body>}, when a secret is set.
 */
public final class JsonWebhookSink implements Sink {

    public static final String SIGNATURE_HEADER = "X-Stackwarden-Signature";
    public static final String EVENT_HEADER = "X-Stackwarden-Event";

    private final Endpoint endpoint;
    private final Optional<Path> secretFile;
    private final String secretProperty;
    private final HttpPoster http;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    public JsonWebhookSink(Endpoint endpoint, Optional<Path> secretFile, String secretProperty, HttpPoster http) {
        this.endpoint = endpoint;
        this.secretFile = secretFile;
        this.secretProperty = secretProperty;
        this.http = http;
    }

    @Override
    public void deliver(Notice notice) throws DeliveryFailure {
        byte[] body = body(notice);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(EVENT_HEADER, notice.kind().word());
        if (secretFile.isPresent()) {
            byte[] secret = CredentialFile.read(secretFile.get(), secretProperty).getBytes(StandardCharsets.UTF_8);
            headers.put(SIGNATURE_HEADER, "sha256=" + HexFormat.of().formatHex(ConstantTime.hmacSha256(secret, body)));
        }
        http.post(endpoint.uri(), headers, body);
    }

    private byte[] body(Notice notice) {
        ObjectNode body = JSON.objectNode()
                .put("kind", notice.kind().word())
                .put("stack", notice.stack())
                .put("state", notice.state())
                .put("previous", notice.previous())
                .put("level", notice.level().word())
                .put("revision", notice.revision())
                .put("summary", notice.headline())
                .put("detail", notice.detail())
                .put("at", notice.at().toString())
                .put("reminder", notice.reminder());
        return HttpPoster.bytes(body);
    }
}
