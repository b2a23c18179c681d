package io.stackwarden.remedy;

/** A remedy that looks at one stack's services once per pass and acts where it must. */
@FunctionalInterface
public interface StackRemedy {

    RemedyReport check(RemedyInput input);
}
