package io.stackwarden.notify;

import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One thing worth telling: a stack's (or the source's) condition of one kind as it is now, or a one-off event.
 *
 * @param stack    the stack; empty for the desired-state source
 * @param state    the condition in a word ({@code OutOfSync}, {@code Degraded}, {@code failure}, {@code stale}):
 *                 the same state twice is one message
 * @param revision the revision the notice is about ({@code git:<sha>} or {@code dir:<hash>}), empty when none
 * @param text     one line for people, without the previous state
 * @param detail   why, in the words of the status (the latest message or error); may be empty
 * @param previous the state this sink was last told, empty when none
 * @param reminder told again because it stays broken
 */
public record Notice(NoticeKind kind, String stack, String state, Level level, String revision, String text,
                     String detail, Instant at, String previous, boolean reminder) {

    /** How bad it is: reminders are sent for what is not OK. */
    public enum Level {
        OK, WARNING, FAILURE;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final int DETAIL_LENGTH = 1000;
    /** The user (and password) part of a URL: status messages should carry none, but no message may leak one. */
    private static final Pattern URL_USER = Pattern.compile("(?<=://)[^/@\\s]+@");

    public Notice {
        detail = URL_USER.matcher(detail).replaceAll("");
        if (detail.length() > DETAIL_LENGTH) {
            detail = detail.substring(0, DETAIL_LENGTH) + "...";
        }
    }

    static Notice of(NoticeKind kind, String stack, String state, Level level, String revision, String text,
                     String detail, Instant at) {
        return new Notice(kind, stack, state, level, revision, text, detail == null ? "" : detail, at, "", false);
    }

    /** Whether {@code other} tells the same: a deploy is about its revision too, a condition only about its state. */
    boolean sameAs(Notice other) {
        return state.equals(other.state) && (kind != NoticeKind.DEPLOY || revision.equals(other.revision));
    }

    Notice after(String previousState) {
        return new Notice(kind, stack, state, level, revision, text, detail, at, previousState, reminder);
    }

    Notice remindedAt(Instant now) {
        return new Notice(kind, stack, state, level, revision, text, detail, now, previous, true);
    }

    /** The line people read first: the text, what it was before, and "still" for a reminder. */
    public String headline() {
        String was = previous.isEmpty() || previous.equals(state) || kind == NoticeKind.DEPLOY ? "" : " (was " + previous + ")";
        return (reminder ? "still: " : "") + text + was;
    }
}
