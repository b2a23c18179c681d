package io.stackwarden.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwarden.api.webhook.WebhookReceiver;
import io.stackwarden.config.StackwardenConfig;
import io.stackwarden.desired.SourceRefresh;
import io.stackwarden.imageupdate.TagWatch;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Wires the plain-Java webhook receiver to the desired-state source and the watch of image tags. */
public class WebhookWiring {

    @Produces
    @Singleton
    WebhookReceiver webhookReceiver(SourceRefresh source, TagWatch images, ObjectMapper json, StackwardenConfig config) {
        return new WebhookReceiver(source, images::pushed, json, config.webhooks().maxBody().asLongValue());
    }
}
