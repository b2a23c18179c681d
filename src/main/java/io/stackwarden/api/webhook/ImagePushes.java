package io.stackwarden.api.webhook;

import java.util.List;

/** Where a registry's push notification goes: the watch of image tags. */
public interface ImagePushes {

    /** No watch: notifications are answered but change nothing. */
    ImagePushes NONE = references -> 0;

    /**
     * These references (engine form, {@code host:port/repo:tag}) were pushed; the watched stacks that use them are
     * checked at once.
     *
     * @return how many stacks watch their images
     */
    int pushed(List<String> references);
}
