package io.stackwarden.notify;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * A Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat and others take the same): {@code text}
 * for notifications and clients without blocks, and a section block with the detail.
 */
public final class SlackSink implements Sink {

    private final Endpoint endpoint;
    private final HttpPoster http;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    public SlackSink(Endpoint endpoint, HttpPoster http) {
        this.endpoint = endpoint;
        this.http = http;
    }

    @Override
    public void deliver(Notice notice) throws DeliveryFailure {
        http.post(endpoint.uri(), Map.of(), body(notice));
    }

    byte[] body(Notice notice) {
        String headline = icon(notice.level()) + " " + notice.headline();
        String detail = notice.detail().isEmpty() ? "" : "\n" + escaped(notice.detail());
        String context = notice.kind().word() + (notice.revision().isEmpty() ? "" : " · " + notice.revision());
        ObjectNode body = JSON.objectNode().put("text", headline);
        body.putArray("blocks")
                .add(JSON.objectNode().put("type", "section").set("text", JSON.objectNode()
                        .put("type", "mrkdwn").put("text", "*" + escaped(headline) + "*" + detail)))
                .add(JSON.objectNode().put("type", "context").set("elements", JSON.arrayNode()
                        .add(JSON.objectNode().put("type", "mrkdwn").put("text", escaped(context)))));
        return HttpPoster.bytes(body);
    }

    private static String icon(Notice.Level level) {
        return switch (level) {
            case OK -> ":white_check_mark:";
            case WARNING -> ":warning:";
            case FAILURE -> ":x:";
        };
    }

    /** The three characters Slack's mrkdwn wants escaped, so a message cannot turn into a link or a mention. */
    static String escaped(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
