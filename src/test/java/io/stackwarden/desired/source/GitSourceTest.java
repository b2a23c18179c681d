package io.stackwarden.desired.source;

import io.stackwarden.reconcile.Reconcilers;
import io.stackwarden.compose.StackCompiler;
import io.stackwarden.desired.DesiredSource;
import io.stackwarden.desired.DesiredStateException;
import io.stackwarden.desired.DesiredStateReader;
import io.stackwarden.loop.PassResult;
import io.stackwarden.loop.StackController;
import io.stackwarden.loop.StatusStore;
import io.stackwarden.loop.SuspendOverrides;
import io.stackwarden.loop.Trigger;
import io.stackwarden.reconcile.Ownership;
import io.stackwarden.support.Backoff;
import io.stackwarden.swarm.CountingSwarmEngine;
import io.stackwarden.swarm.FakeSwarm;
import io.stackwarden.swarm.SwarmObject;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Git source against real repositories: a bare remote and clones over file://. */
class GitSourceTest {

    private static final String COMPOSE = "services:\n  app:\n    image: app:1\n";

    @TempDir
    Path dir;

    private TestRemote remote;
    private Path desired;
    private final List<ChangedStacks> heard = new ArrayList<>();
    private final List<SourceSync> syncs = new ArrayList<>();

    @BeforeEach
    void remote() throws Exception {
        remote = new TestRemote(dir);
        desired = dir.resolve("desired");
    }

    @AfterEach
    void close() {
        syncs.forEach(SourceSync::close);
        remote.close();
    }

    private SourceSync sync(String url, String branch, String path) {
        GitSettings settings = new GitSettings(Optional.ofNullable(url), branch, Optional.empty(), "git",
                Optional.empty(), Optional.empty(), Duration.ofSeconds(10));
        SourceSync sync = new SourceSync(new GitOrigin(new WorkingCopy(desired, settings), settings, path),
                Duration.ofHours(1), new Backoff(Duration.ofMillis(10), Duration.ofMillis(20)), Clock.systemUTC());
        syncs.add(sync);
        sync.listen(heard::add); // not started: the tests refresh by hand, on their own thread
        return sync;
    }

    private SourceSync sync() {
        return sync(remote.url(), "main", "");
    }

    private ChangedStacks refreshed(SourceSync sync) {
        heard.clear();
        assertTrue(sync.refresh(), () -> "refresh failed: " + sync.status().error());
        return heard.isEmpty() ? ChangedStacks.none() : heard.get(0);
    }

    private String revisionOf(ObjectId commit) {
        return "git:" + commit.name();
    }

    @Test
    void clonesIntoAnAbsentFolderThenReportsOnlyTheStacksWhoseFilesChanged() throws Exception {
        remote.write("shop/compose.yaml", COMPOSE).write("blog/compose.yaml", COMPOSE).write("README.md", "hi").push();
        SourceSync sync = sync();
        assertEquals(ChangedStacks.everything(), refreshed(sync), "the first checkout concerns every stack");
        assertEquals(COMPOSE, Files.readString(desired.resolve("shop/compose.yaml")));
        assertEquals(List.of("blog", "shop"), stackNames(sync));

        ObjectId second = remote.write("shop/compose.yaml", COMPOSE + "    labels: {a: b}\n").write("README.md", "more").push();
        assertEquals(ChangedStacks.of(Set.of("shop")), refreshed(sync));
        assertEquals(revisionOf(second), sync.status().revision());
        assertFalse(sync.status().stale());
        assertNotNull(sync.status().lastFetch());

        assertEquals(ChangedStacks.none(), refreshed(sync), "nothing new: nobody is told");
        remote.write("README.md", "only docs").write(".github/workflow.yml", "x").push();
        assertEquals(ChangedStacks.none(), refreshed(sync), "files beside the stacks and hidden folders concern none");
    }

    @Test
    void aChangeOfStackwardenYamlConcernsEveryStack() throws Exception {
        remote.write("shop/compose.yaml", COMPOSE).write("blog/compose.yaml", COMPOSE).push();
        SourceSync sync = sync();
        refreshed(sync);
        remote.write("stackwarden.yaml", "allowEmpty: true\n").push();
        assertEquals(ChangedStacks.everything(), refreshed(sync));
    }

    @Test
    void aRemovedFolderIsAChangedStackAndItsFilesAreGone() throws Exception {
        remote.write("shop/compose.yaml", COMPOSE).write("blog/compose.yaml", COMPOSE).push();
        SourceSync sync = sync();
        refreshed(sync);
        remote.delete("blog").push();
        assertEquals(ChangedStacks.of(Set.of("blog")), refreshed(sync));
        assertFalse(Files.exists(desired.resolve("blog")));
        assertEquals(List.of("shop"), stackNames(sync));
    }

    @Test
    void aForcePushIsFollowedAndTheFolderEqualsTheCommit() throws Exception {
        ObjectId first = remote.write("shop/compose.yaml", COMPOSE).push();
        remote.write("blog/compose.yaml", COMPOSE).push();
        SourceSync sync = sync();
        refreshed(sync);
        Files.writeString(desired.resolve("shop/compose.yaml"), "edited by hand");
        Files.createDirectories(desired.resolve("stray"));
        Files.writeString(desired.resolve("stray/compose.yaml"), COMPOSE);

        remote.rewind(first);
        ObjectId rewritten = remote.write("wiki/compose.yaml", COMPOSE).push();
        assertEquals(ChangedStacks.of(Set.of("blog", "wiki")), refreshed(sync));
        assertEquals(revisionOf(rewritten), sync.status().revision());
        assertEquals(List.of("shop", "wiki"), stackNames(sync), "untracked folders are removed");
        assertEquals(COMPOSE, Files.readString(desired.resolve("shop/compose.yaml")), "local edits are undone");
    }

    @Test
    void filesTheRepositoryIgnoresAreKeptThroughAReset() throws Exception {
        remote.write(".gitignore", ".env\n").write("shop/compose.yaml", COMPOSE).push();
        SourceSync sync = sync();
        refreshed(sync);
        Files.writeString(desired.resolve("shop/.env"), "PASSWORD=placed-by-hand\n");
        Files.writeString(desired.resolve("shop/stray.txt"), "not ignored\n");

        remote.write("shop/compose.yaml", COMPOSE + "# changed\n").push();
        assertEquals(ChangedStacks.of(Set.of("shop")), refreshed(sync));
        assertTrue(Files.exists(desired.resolve("shop/.env")), "an ignored file stays");
        assertFalse(Files.exists(desired.resolve("shop/stray.txt")), "an untracked file goes");
    }

    @Test
    void aFailingFetchKeepsTheLastGoodFilesMarksTheSourceStaleAndRecovers() throws Exception {
        ObjectId commit = remote.write("shop/compose.yaml", COMPOSE).push();
        SourceSync sync = sync();
        refreshed(sync);
        Path moved = dir.resolve("moved.git");
        Files.move(remote.bare, moved);

        assertFalse(sync.refresh());
        SourceStatus stale = sync.status();
        assertTrue(stale.stale());
        assertTrue(stale.readable());
        assertTrue(stale.error().contains("fetch of branch main"), stale.error());
        assertNotNull(stale.staleSince());
        assertEquals(revisionOf(commit), stale.revision());
        assertEquals(List.of("shop"), stackNames(sync), "the last good files are still read");
        assertFalse(sync.refresh());
        assertEquals(stale.staleSince(), sync.status().staleSince(), "stale since the first failure");
        assertEquals(2, sync.failures());

        Files.move(moved, remote.bare);
        assertTrue(sync.refresh());
        assertFalse(sync.status().stale());
        assertNull(sync.status().error());
        assertNull(sync.status().staleSince());
    }

    @Test
    void withoutAnyCheckoutAFailingFetchIsAnErrorNeverNoStacks() throws Exception {
        SourceSync sync = sync("file:///nonexistent/stackwarden/repo.git", "main", "");
        assertThrows(DesiredStateException.class, sync::open, "not read yet");
        assertFalse(sync.refresh());
        assertFalse(sync.status().readable());
        assertTrue(sync.status().error().contains("nothing checked out yet"), sync.status().error());
        DesiredStateException refused = assertThrows(DesiredStateException.class, sync::open);
        assertTrue(refused.getMessage().contains("nonexistent"), refused.getMessage());
        assertTrue(heard.isEmpty());
    }

    @Test
    void aMissingBranchIsAnError() throws Exception {
        remote.write("shop/compose.yaml", COMPOSE).push();
        SourceSync sync = sync(remote.url(), "prod", "");
        assertFalse(sync.refresh());
        assertFalse(sync.status().readable());
        assertTrue(sync.status().error().contains("prod"), sync.status().error());
    }

    @Test
    void aCorruptWorkingCopyIsAnErrorUntilRepaired() throws Exception {
        remote.write("shop/compose.yaml", COMPOSE).push();
        SourceSync sync = sync();
        refreshed(sync);
        Files.writeString(desired.resolve(".git/HEAD"), "garbage\n");
        assertFalse(sync.refresh());
        assertFalse(sync.status().readable());
        assertThrows(DesiredStateException.class, sync::open);
    }

    @Test
    void aWorkingCopyWithoutItsGitFolderIsAnErrorAndItsFilesAreNotTouched() throws Exception {
        remote.write("shop/compose.yaml", COMPOSE).push();
        SourceSync sync = sync();
        refreshed(sync);
        deleteTree(desired.resolve(".git"));
        assertFalse(sync.refresh());
        assertTrue(sync.status().error().contains("is not empty and not a Git working copy"), sync.status().error());
        assertThrows(DesiredStateException.class, sync::open);
        assertTrue(Files.exists(desired.resolve("shop/compose.yaml")));
    }

    @Test
    void anExistingWorkingCopyOfAnotherRemoteIsRefused() throws Exception {
        remote.write("shop/compose.yaml", COMPOSE).push();
        refreshed(sync());
        SourceSync other = sync("file:///elsewhere/repo.git", "main", "");
        assertFalse(other.refresh());
        assertTrue(other.status().error().contains("has origin"), other.status().error());
        assertThrows(DesiredStateException.class, other::open);
    }

    @Test
    void aWorkingCopyWithAnOriginAndNoConfiguredUrlFollowsItsOrigin() throws Exception {
        remote.write("shop/compose.yaml", COMPOSE).push();
        refreshed(sync());
        assertTrue(WorkingCopy.hasOrigin(desired));
        SourceSync implicit = sync(null, "main", "");
        ObjectId next = remote.write("blog/compose.yaml", COMPOSE).push();
        assertEquals(ChangedStacks.everything(), refreshed(implicit));
        assertEquals(revisionOf(next), implicit.status().revision());
        assertEquals(remote.url(), implicit.status().url());
    }

    @Test
    void aFolderWithOtherFilesIsNeverClonedInto() throws Exception {
        remote.write("shop/compose.yaml", COMPOSE).push();
        Files.createDirectories(desired.resolve("mine"));
        Files.writeString(desired.resolve("mine/compose.yaml"), COMPOSE);
        SourceSync sync = sync();
        assertFalse(sync.refresh());
        assertTrue(sync.status().error().contains("is not empty and not a Git working copy"), sync.status().error());
        assertEquals(COMPOSE, Files.readString(desired.resolve("mine/compose.yaml")));
        assertFalse(Files.exists(desired.resolve(".git")));
    }

    @Test
    void afterARestartWithoutNetworkTheLocalCheckoutIsUsedButStale() throws Exception {
        ObjectId commit = remote.write("shop/compose.yaml", COMPOSE).push();
        refreshed(sync());
        Files.writeString(desired.resolve("shop/compose.yaml"), "half written");
        Files.move(remote.bare, dir.resolve("gone.git"));

        SourceSync restarted = sync();
        heard.clear();
        assertFalse(restarted.refresh());
        assertTrue(restarted.status().readable());
        assertTrue(restarted.status().stale());
        assertEquals(revisionOf(commit), restarted.status().revision());
        assertEquals(List.of(ChangedStacks.everything()), heard);
        assertEquals(COMPOSE, Files.readString(desired.resolve("shop/compose.yaml")), "restored to the local HEAD");
    }

    @Test
    void aSubfolderOfTheRepositoryHoldsTheStacks() throws Exception {
        remote.write("deploy/shop/compose.yaml", COMPOSE).write("app/src/main.c", "int main;").push();
        SourceSync sync = sync(remote.url(), "main", "deploy");
        refreshed(sync);
        assertEquals(desired.resolve("deploy"), sync.root());
        assertEquals(List.of("shop"), stackNames(sync));
        remote.write("app/src/main.c", "int main(void);").push();
        assertEquals(ChangedStacks.none(), refreshed(sync));
        remote.write("deploy/shop/.env", "A=1").push();
        assertEquals(ChangedStacks.of(Set.of("shop")), refreshed(sync));
        remote.write("deploy/stackwarden.yaml", "allowEmpty: false\n").push();
        assertEquals(ChangedStacks.everything(), refreshed(sync));
    }

    @Test
    void everyStackCarriesTheCommitItWasReadAt() throws Exception {
        ObjectId commit = remote.write("shop/compose.yaml", COMPOSE).push();
        SourceSync sync = sync();
        refreshed(sync);
        try (DesiredSource.Snapshot snapshot = sync.open()) {
            assertEquals(revisionOf(commit), snapshot.revision(new DesiredStateReader().read(sync.root()).stack("shop").orElseThrow()));
        }
    }

    @Test
    void passesOverABrokenWorkingCopyRetryAndPruneNothing() throws Exception {
        ObjectId commit = remote.write("shop/compose.yaml", COMPOSE).push();
        SourceSync sync = sync();
        refreshed(sync);
        FakeSwarm swarm = new FakeSwarm();
        CountingSwarmEngine engine = new CountingSwarmEngine(swarm);
        StackController controller = new StackController(sync, new DesiredStateReader(), new StackCompiler(),
                Reconcilers.on(engine),
                engine, new StatusStore(), new SuspendOverrides(), Map.of(), Clock.systemUTC(), 3);
        assertEquals(PassResult.Next.DONE, controller.reconcile("shop", Set.of(Trigger.SOURCE_CHANGE)).next());
        assertEquals(revisionOf(commit), swarm.find(SwarmObject.Kind.SERVICE, "shop_app").orElseThrow()
                .labels().get(Ownership.REVISION), "objects carry the commit they came from");

        Files.writeString(desired.resolve(".git/HEAD"), "garbage\n");
        assertFalse(sync.refresh());
        engine.reset();
        PassResult pass = controller.reconcile("shop", Set.of(Trigger.RESYNC));
        assertEquals(PassResult.Next.RETRY, pass.next());
        assertTrue(pass.message().contains("cannot be read"), pass.message());
        assertThrows(DesiredStateException.class, controller::knownStacks);
        assertEquals(List.of(), engine.writes());
        assertTrue(swarm.find(SwarmObject.Kind.SERVICE, "shop_app").isPresent());
    }

    @Test
    void aPassRightAfterAResetReadsTheCommitTheFilesAreAtNotThePreviousOne() throws Exception {
        ObjectId first = remote.write("shop/compose.yaml", COMPOSE).push();
        GitSettings settings = new GitSettings(Optional.of(remote.url()), "main", Optional.empty(), "git",
                Optional.empty(), Optional.empty(), Duration.ofSeconds(10));
        GitOrigin git = new GitOrigin(new WorkingCopy(desired, settings), settings, "");
        List<String> seen = new ArrayList<>();
        AtomicReference<SourceSync> sync = new AtomicReference<>();
        // A pass that gets the files the moment the reset lets go of them, before the status is updated.
        Runnable pass = () -> {
            try (DesiredSource.Snapshot snapshot = sync.get().open()) {
                Path compose = sync.get().root().resolve("shop/compose.yaml");
                seen.add(snapshot.revision(new DesiredStateReader().read(sync.get().root()).stack("shop").orElseThrow())
                        + (Files.readString(compose).contains("labels") ? " labelled" : " plain"));
            } catch (Exception e) {
                seen.add("unreadable");
            }
        };
        sync.set(new SourceSync(new PeekingOrigin(git, pass), Duration.ofHours(1),
                new Backoff(Duration.ofMillis(10), Duration.ofMillis(20)), Clock.systemUTC()));
        syncs.add(sync.get());
        assertTrue(sync.get().refresh());
        assertEquals(List.of("unreadable", revisionOf(first) + " plain"), seen);

        seen.clear();
        ObjectId second = remote.write("shop/compose.yaml", COMPOSE + "    labels: {a: b}\n").push();
        assertTrue(sync.get().refresh());
        assertEquals(List.of(revisionOf(first) + " plain", revisionOf(second) + " labelled"), seen,
                "each pass labels what it reads with the commit it was read at");

        seen.clear();
        Files.writeString(desired.resolve(".git/HEAD"), "garbage\n");
        assertFalse(sync.get().refresh());
        assertEquals("unreadable", seen.get(seen.size() - 1), "a failed reset is unreadable as soon as it lets go: " + seen);
        assertEquals(revisionOf(second) + " labelled", seen.get(0), "until then the intact files are read");
    }

    @Test
    void aStacksInputsChangeOnlyWithItsFolderOrStackwardenYaml() throws Exception {
        ObjectId first = remote.write("deploy/shop/compose.yaml", COMPOSE).write("deploy/blog/compose.yaml", COMPOSE).push();
        SourceSync sync = sync(remote.url(), "main", "deploy");
        refreshed(sync);
        ObjectId second = remote.write("deploy/blog/compose.yaml", COMPOSE + "    labels: {a: b}\n")
                .write("README.md", "x").write("deploy/notes.txt", "y").push();
        refreshed(sync);
        assertFalse(changedSince(sync, "shop", revisionOf(first)), "commits to other stacks and other files leave shop alone");
        assertTrue(changedSince(sync, "blog", revisionOf(first)));
        assertFalse(changedSince(sync, "blog", revisionOf(second)));

        remote.write("deploy/shop/.env", "A=1").push();
        refreshed(sync);
        assertTrue(changedSince(sync, "shop", revisionOf(second)), "a file of its own folder");
        ObjectId fourth = remote.write("deploy/stackwarden.yaml", "variables: {A: b}\n").push();
        refreshed(sync);
        assertTrue(changedSince(sync, "blog", revisionOf(second)), "stackwarden.yaml concerns every stack");
        assertFalse(changedSince(sync, "blog", revisionOf(fourth)));
        assertTrue(changedSince(sync, "blog", "git:" + "0".repeat(40)), "an unknown commit counts as changed");
        assertTrue(changedSince(sync, "blog", "dir:0123456789ab"));
        assertTrue(changedSince(sync, "blog", ""));
    }

    @Test
    void withoutSelfHealACommitToAnotherStackLeavesTheDriftAndAFailedStackWaits() throws Exception {
        remote.write("stackwarden.yaml", "defaults: {selfHeal: false}\n")
                .write("shop/compose.yaml", COMPOSE).write("bad/compose.yaml", "services:\n  app:\n    image: [\n").push();
        SourceSync sync = sync();
        refreshed(sync);
        FakeSwarm swarm = new FakeSwarm();
        CountingSwarmEngine engine = new CountingSwarmEngine(swarm);
        StatusStore statuses = new StatusStore();
        StackController controller = new StackController(sync, new DesiredStateReader(), new StackCompiler(),
                Reconcilers.on(engine), engine, statuses, new SuspendOverrides(), Map.of(), Clock.systemUTC(), 3);
        assertEquals(PassResult.Next.DONE, controller.reconcile("shop", Set.of(Trigger.SOURCE_CHANGE)).next());
        assertEquals(PassResult.Next.WAIT_FOR_CHANGE, controller.reconcile("bad", Set.of(Trigger.SOURCE_CHANGE)).next());
        swarm.tamper(SwarmObject.Kind.SERVICE, "shop_app", spec -> ((com.fasterxml.jackson.databind.node.ObjectNode)
                spec.at("/Mode/Replicated")).put("Replicas", 3));

        ObjectId other = remote.write("blog/compose.yaml", COMPOSE).push();
        refreshed(sync);
        engine.reset();
        controller.reconcile("shop", Set.of(Trigger.RESYNC));
        assertEquals(List.of(), engine.writes(), "a commit to another stack is no new revision of shop: its drift stays");
        assertEquals(io.stackwarden.loop.StackStatus.Sync.OUT_OF_SYNC, statuses.get("shop").orElseThrow().sync());
        PassResult waiting = controller.reconcile("bad", Set.of(Trigger.RESYNC));
        assertEquals(PassResult.Next.WAIT_FOR_CHANGE, waiting.next());
        assertTrue(waiting.message().contains("waiting for a new revision"), waiting.message());

        remote.write("shop/compose.yaml", COMPOSE + "    labels: {a: b}\n").push();
        refreshed(sync);
        engine.reset();
        controller.reconcile("shop", Set.of(Trigger.RESYNC));
        assertEquals(List.of("update service shop_app"), engine.writes(), "its own new files are applied");
        assertTrue(statuses.get("shop").orElseThrow().revisionApplied().startsWith("git:"));
        assertFalse(revisionOf(other).equals(statuses.get("shop").orElseThrow().revisionApplied()));
    }

    @Test
    void afterACrashDuringAResetTheLeftoverLockFilesAreRemovedAndTheResetCompletes() throws Exception {
        remote.write("shop/compose.yaml", COMPOSE).push();
        refreshed(sync());
        // What a process killed in the middle of a reset leaves: lock files and half-written files.
        Files.writeString(desired.resolve(".git/index.lock"), "");
        Files.writeString(desired.resolve(".git/HEAD.lock"), "");
        Files.writeString(desired.resolve(".git/refs/heads/main.lock"), "");
        Files.writeString(desired.resolve("shop/compose.yaml"), "half");
        ObjectId next = remote.write("blog/compose.yaml", COMPOSE).push();

        SourceSync restarted = sync();
        assertEquals(ChangedStacks.everything(), refreshed(restarted));
        assertEquals(revisionOf(next), restarted.status().revision());
        assertEquals(COMPOSE, Files.readString(desired.resolve("shop/compose.yaml")));
        assertEquals(List.of("blog", "shop"), stackNames(restarted));
        assertFalse(Files.exists(desired.resolve(".git/index.lock")));
    }

    @Test
    void aTokenUsedAsTheUserNameOfAnHttpsUrlNeverReachesTheStatus() throws Exception {
        SourceSync sync = sync("https://ghp_SECRETTOKEN@127.0.0.1:1/ops/stacks.git", "main", "");
        assertFalse(sync.refresh());
        String error = sync.status().error();
        assertTrue(error.contains("127.0.0.1:1/ops/stacks.git"), error);
        assertFalse(error.contains("SECRETTOKEN"), error);
        assertFalse(sync.status().url().contains("SECRETTOKEN"), sync.status().url());
    }

    private boolean changedSince(SourceSync sync, String stack, String revision) throws Exception {
        try (DesiredSource.Snapshot snapshot = sync.open()) {
            return snapshot.changedSince(new DesiredStateReader().read(sync.root()).stack(stack).orElseThrow(), revision);
        }
    }

    /** Delegates to a real origin and runs {@code afterUnlock} each time it lets go of the write lock. */
    private record PeekingOrigin(Origin origin, Runnable afterUnlock) implements Origin {
        @Override
        public String kind() {
            return origin.kind();
        }

        @Override
        public Path root() {
            return origin.root();
        }

        @Override
        public Optional<String> branch() {
            return origin.branch();
        }

        @Override
        public Optional<String> url() {
            return origin.url();
        }

        @Override
        public boolean readable() {
            return origin.readable();
        }

        @Override
        public String revision(io.stackwarden.desired.DesiredStack stack) throws java.io.IOException {
            return origin.revision(stack);
        }

        @Override
        public Refreshed refresh(Lock write) throws SourceException {
            return origin.refresh(new Lock() {
                @Override
                public void lock() {
                    write.lock();
                }

                @Override
                public void lockInterruptibly() throws InterruptedException {
                    write.lockInterruptibly();
                }

                @Override
                public boolean tryLock() {
                    return write.tryLock();
                }

                @Override
                public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
                    return write.tryLock(time, unit);
                }

                @Override
                public void unlock() {
                    write.unlock();
                    afterUnlock.run();
                }

                @Override
                public Condition newCondition() {
                    return write.newCondition();
                }
            });
        }
    }

    private List<String> stackNames(SourceSync sync) throws Exception {
        try (DesiredSource.Snapshot ignored = sync.open()) {
            return new DesiredStateReader().read(sync.root()).stacks().stream().map(stack -> stack.name()).toList();
        }
    }

    private static void deleteTree(Path root) throws Exception {
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
