package io.stackwarden.compose;

import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * The YAML parser with limits the composer lacks: it refuses a document nested deeper than
 * {@link LoadBudget#MAX_DEPTH} or with more than {@link LoadBudget#MAX_NODES} nodes before the composer
 * (which recurses and keeps every node) builds them, and stops when the stack's time is up.
 */
final class BudgetedParser implements Parser {

    /** Carries the refusal through the composer, which only knows unchecked exceptions. */
    static final class OverBudget extends RuntimeException {
        final ComposeException error;

        OverBudget(ComposeException error) {
            super(error.getMessage(), null, false, false);
            this.error = error;
        }
    }

    private final Parser parser;
    private final String file;
    private final LoadBudget budget;
    private int depth;
    private int nodes;

    BudgetedParser(Parser parser, String file, LoadBudget budget) {
        this.parser = parser;
        this.file = file;
        this.budget = budget;
    }

    @Override
    public boolean checkEvent(Event.ID id) {
        return parser.checkEvent(id);
    }

    @Override
    public Event peekEvent() {
        return parser.peekEvent();
    }

    @Override
    public boolean hasNext() {
        return parser.hasNext();
    }

    @Override
    public Event next() {
        Event event = parser.next();
        switch (event.getEventId()) {
            case MappingStart, SequenceStart -> {
                if (++depth > LoadBudget.MAX_DEPTH) {
                    throw refused(event, "yaml: the document is nested deeper than " + LoadBudget.MAX_DEPTH + " levels");
                }
                counted(event);
            }
            case MappingEnd, SequenceEnd -> depth--;
            case Scalar, Alias -> counted(event);
            default -> { }
        }
        return event;
    }

    private void counted(Event event) {
        if (++nodes > LoadBudget.MAX_NODES) {
            throw refused(event, "yaml: the document has more than " + LoadBudget.MAX_NODES + " nodes");
        }
        if ((nodes & 1023) == 0) {
            try {
                budget.time(file, line(event));
            } catch (ComposeException e) {
                throw new OverBudget(e);
            }
        }
    }

    private OverBudget refused(Event event, String reason) {
        return new OverBudget(new ComposeException(file, line(event), reason));
    }

    private static int line(Event event) {
        return event.getStartMark().map(Mark::getLine).map(l -> l + 1).orElse(0);
    }
}
