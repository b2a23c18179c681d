package io.stackwarden.desired.source;

import io.stackwarden.support.Backoff;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.eclipse.jgit.junit.ssh.SshTestGitServer;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SSH transport against an in-process SSH git server: a key file, a known_hosts file, no questions asked. */
class SshSourceTest {

    private static final String COMPOSE = "services:\n  app:\n    image: app:1\n";

    @TempDir
    Path dir;

    private TestRemote remote;
    private Repository served;
    private SshTestGitServer server;
    private KeyPair hostKey;
    private Path clientKey;
    private int port;

    @BeforeEach
    void server() throws Exception {
        remote = new TestRemote(dir);
        remote.write("shop/compose.yaml", COMPOSE).push();
        KeyPair client = ecKeys();
        hostKey = ecKeys();
        clientKey = dir.resolve("keys/id_ecdsa");
        Files.createDirectories(clientKey.getParent());
        try (OutputStream out = Files.newOutputStream(clientKey)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(client, "stackwarden-test", null, out);
        }
        Path clientPublic = Files.writeString(dir.resolve("keys/id_ecdsa.pub"), PublicKeyEntry.toString(client.getPublic()) + "\n");
        served = new FileRepositoryBuilder().setGitDir(remote.bare.toFile()).build();
        server = new SshTestGitServer("git", clientPublic, served, hostKey);
        port = server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        served.close();
        remote.close();
    }

    private static KeyPair ecKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private SourceSync sync(Path desired, Path knownHosts) {
        GitSettings settings = new GitSettings(Optional.of("ssh://git@127.0.0.1:" + port + "/remote.git"), "main",
                Optional.empty(), "git", Optional.of(clientKey), Optional.of(knownHosts), Duration.ofSeconds(20));
        return new SourceSync(new GitOrigin(new WorkingCopy(desired, settings), settings, ""), Duration.ofHours(1),
                new Backoff(Duration.ofMillis(10), Duration.ofMillis(20)), Clock.systemUTC());
    }

    @Test
    void fetchesWithTheKeyFileFromAHostInKnownHosts() throws Exception {
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"),
                "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n");
        try (SourceSync sync = sync(dir.resolve("desired"), knownHosts)) {
            assertTrue(sync.refresh(), () -> sync.status().error());
            assertEquals(COMPOSE, Files.readString(dir.resolve("desired/shop/compose.yaml")));
            assertEquals("ssh://git@127.0.0.1:" + port + "/remote.git", sync.status().url());
        }
    }

    @Test
    void refusesAHostWhoseKeyIsNotInKnownHosts() throws Exception {
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"),
                "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(ecKeys().getPublic()) + "\n");
        try (SourceSync sync = sync(dir.resolve("desired"), knownHosts)) {
            assertFalse(sync.refresh());
            assertFalse(sync.status().readable());
            assertFalse(Files.exists(dir.resolve("desired/shop")), "nothing fetched from an unverified host");
        }
    }
}
