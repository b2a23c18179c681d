package io.stackwarden.compose.convert;

/** The stack name; every object the stack owns is named {@code <stack>_<key>} unless it sets {@code name:}. */
record Namespace(String name) {


    String scope(String key) {
        return name + "_" + key;
    }
}
