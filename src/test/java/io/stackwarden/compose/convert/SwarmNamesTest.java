package io.stackwarden.compose.convert;

import org.junit.jupiter.api.Test;

import static io.stackwarden.compose.convert.Models.json;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Names Swarm would refuse fail the conversion, with swarmkit's own message, before anything is written. */
class SwarmNamesTest {

    private static ConvertException refused(String model) {
        return assertThrows(ConvertException.class, () -> StackConverter.convert("s", json(model),
                Models.files(java.util.Map.of("/a", "a"))));
    }

    private static void accepted(String model) {
        assertDoesNotThrow(() -> StackConverter.convert("s", json(model), Models.files(java.util.Map.of("/a", "a"))));
    }

    @Test
    void aHugeServiceNameIsRefusedWithTheEnginesMessageAndIsNotEchoedWhole() {
        com.fasterxml.jackson.databind.node.ObjectNode model = json("{'services':{}}");
        model.with("services").set("x".repeat(100_000), json("{'image':'busybox'}"));
        ConvertException e = assertThrows(ConvertException.class, () -> Models.convert("s", model));
        assertTrue(e.getMessage().endsWith("is refused by Swarm: name must be 63 characters or fewer"), e.getMessage());
        assertTrue(e.getMessage().contains("(100002 characters)"), e.getMessage());
        assertTrue(e.getMessage().length() < 400, "message length " + e.getMessage().length());
    }

    @Test
    void serviceNamesAreDnsNameComponentsOfAtMost63Characters() {
        accepted("{'services':{'" + "w".repeat(61) + "':{'image':'busybox'}}}"); // s_ + 61 = 63
        assertEquals("service " + "w".repeat(62) + ": the name \"s_" + "w".repeat(62)
                        + "\" is refused by Swarm: name must be 63 characters or fewer",
                refused("{'services':{'" + "w".repeat(62) + "':{'image':'busybox'}}}").getMessage());
        assertEquals("service web.1: the name \"s_web.1\" is refused by Swarm: name must be valid as a DNS name component",
                refused("{'services':{'web.1':{'image':'busybox'}}}").getMessage());
        assertTrue(refused("{'services':{'web-':{'image':'busybox'}}}").getMessage()
                .endsWith("name must be valid as a DNS name component"));
    }

    @Test
    void networkNamesFollowTheSameRuleScopedOrOwn() {
        assertEquals("networks.front: the name \"my.front\" is refused by Swarm: name must be valid as a DNS name component",
                refused("{'services':{'web':{'image':'busybox','networks':['front']}},'networks':{'front':{'name':'my.front'}}}")
                        .getMessage());
        assertTrue(refused("{'services':{'web':{'image':'busybox','networks':['" + "n".repeat(62) + "']}},'networks':{'"
                + "n".repeat(62) + "':{}}}").getMessage().endsWith("name must be 63 characters or fewer"));
        // External networks are only looked up, never created: their names are not checked here.
        accepted("{'services':{'web':{'image':'busybox','networks':['ext']}},'networks':{'ext':{'external':true,'name':'a.b'}}}");
    }

    @Test
    void configAndSecretNamesOfTheirOwnAreAtMost64SafeCharacters() {
        String message = "invalid name, only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]";
        accepted("{'services':{},'secrets':{'k':{'file':'/a','name':'" + "a".repeat(64) + "'}}}");
        accepted("{'services':{},'configs':{'k':{'file':'/a','name':'app.conf-v1_2'}}}");
        assertEquals("secrets.k: the name \"" + "a".repeat(65) + "\" is refused by Swarm: " + message,
                refused("{'services':{},'secrets':{'k':{'file':'/a','name':'" + "a".repeat(65) + "'}}}").getMessage());
        assertEquals("configs.k: the name \"app.conf.\" is refused by Swarm: " + message,
                refused("{'services':{},'configs':{'k':{'file':'/a','name':'app.conf.'}}}").getMessage());
        assertTrue(refused("{'services':{},'configs':{'k':{'file':'/a','name':'app conf'}}}").getMessage().endsWith(message));
    }

    /** A stack-scoped config or secret is written under its content name, cut to 64 characters: only its characters count. */
    @Test
    void scopedConfigsAndSecretsMayHaveLongKeysButNotOtherCharacters() {
        accepted("{'services':{},'secrets':{'" + "k".repeat(100) + "':{'file':'/a'}}}");
        assertTrue(refused("{'services':{},'configs':{'a b':{'file':'/a'}}}").getMessage()
                .startsWith("configs.a b: the name \"s_a b\" is refused by Swarm: invalid name"));
    }
}
