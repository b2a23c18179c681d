package io.stackwarden.loop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.swarm.ServiceTasks;
import io.stackwarden.swarm.SwarmObject;
import io.stackwarden.swarm.TaskInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A stack's health from its services' modes, update states and tasks. */
class StackHealthTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ServiceTasks replicated(String name, int replicas, String updateState, TaskInfo... tasks) {
        ObjectNode spec = JSON.createObjectNode().put("Name", name);
        spec.putObject("Mode").putObject("Replicated").put("Replicas", replicas);
        return service(name, spec, updateState, tasks);
    }

    private static ServiceTasks global(String name, TaskInfo... tasks) {
        ObjectNode spec = JSON.createObjectNode().put("Name", name);
        spec.putObject("Mode").putObject("Global");
        return service(name, spec, "", tasks);
    }

    private static ServiceTasks service(String name, ObjectNode spec, String updateState, TaskInfo... tasks) {
        ObjectNode raw = JSON.createObjectNode();
        raw.set("Spec", spec);
        if (!updateState.isEmpty()) {
            raw.putObject("UpdateStatus").put("State", updateState);
        }
        return new ServiceTasks(new SwarmObject(SwarmObject.Kind.SERVICE, "id-" + name, name, 1, Map.of(), spec, raw),
                List.of(tasks));
    }

    private static TaskInfo task(String desiredState, String state) {
        return new TaskInfo("t-" + desiredState + "-" + state, "id", "n1", "1", desiredState, state, "", "");
    }

    private static final TaskInfo RUNNING = task("running", "running");
    private static final TaskInfo STARTING = task("running", "starting");
    private static final TaskInfo FAILED = task("shutdown", "failed");

    private static StackStatus.Health health(boolean expectServices, ServiceTasks... services) {
        return StackHealth.assess(List.of(services), expectServices).health();
    }

    @Test
    void allWantedTasksRunningIsHealthyAndOldFailedTasksDoNotCount() {
        assertEquals(StackStatus.Health.HEALTHY, health(true, replicated("s_web", 2, "", RUNNING, RUNNING, FAILED)));
    }

    @Test
    void fewerRunningThanWantedIsDegraded() {
        assertEquals(StackStatus.Health.DEGRADED, health(true, replicated("s_web", 2, "", RUNNING, FAILED)));
    }

    @Test
    void startingTasksOrARolloutUnderWayAreProgressing() {
        assertEquals(StackStatus.Health.PROGRESSING, health(true, replicated("s_web", 2, "", RUNNING, STARTING)));
        assertEquals(StackStatus.Health.PROGRESSING, health(true, replicated("s_web", 1, "updating", RUNNING)));
        assertEquals(StackStatus.Health.PROGRESSING, health(true, replicated("s_web", 1, "rollback_started")));
    }

    @Test
    void aPausedUpdateOrRollbackIsDegradedEvenWithEveryTaskRunning() {
        assertEquals(StackStatus.Health.DEGRADED, health(true, replicated("s_web", 1, "paused", RUNNING)));
        assertEquals(StackStatus.Health.DEGRADED, health(true, replicated("s_web", 1, "rollback_paused", RUNNING)));
    }

    @Test
    void aCompletedRollbackIsAFailedUpdateNotASuccess() {
        assertEquals(StackStatus.Health.DEGRADED, health(true, replicated("s_web", 1, "rollback_completed", RUNNING)));
        assertEquals(StackStatus.Health.HEALTHY, health(true, replicated("s_web", 1, "completed", RUNNING)));
    }

    @Test
    void oneDegradedServiceOutweighsAProgressingOne() {
        assertEquals(StackStatus.Health.DEGRADED, health(true,
                replicated("s_web", 1, "", STARTING), replicated("s_db", 1, "", FAILED)));
    }

    @Test
    void noServicesIsMissingOnlyWhenServicesAreExpected() {
        assertEquals(StackStatus.Health.MISSING, health(true));
        assertEquals(StackStatus.Health.HEALTHY, health(false));
    }

    @Test
    void aGlobalServiceWantsOneTaskPerNodeItShouldRunOn() {
        StackHealth.Assessment assessment = StackHealth.assess(List.of(
                global("s_agent", RUNNING, task("running", "rejected"), task("shutdown", "running"))), true);
        StackStatus.ServiceStatus agent = assessment.services().get(0);
        assertEquals(2, agent.desiredTasks(), "tasks meant to run, whatever their state");
        assertEquals(1, agent.runningTasks());
        assertEquals(StackStatus.Health.DEGRADED, assessment.health());
    }

    @Test
    void theStatusOfEachServiceSaysWantedRunningAndUpdateState() {
        StackHealth.Assessment assessment = StackHealth.assess(List.of(replicated("s_web", 3, "updating", RUNNING, STARTING)), true);
        assertEquals(List.of(new StackStatus.ServiceStatus("s_web", 3, 1, "updating", List.of(), List.of())), assessment.services());
    }

    @Test
    void aJobWantsNoTasksKeptRunning() {
        ObjectNode spec = JSON.createObjectNode().put("Name", "s_migrate");
        spec.putObject("Mode").putObject("ReplicatedJob");
        StackHealth.Assessment assessment = StackHealth.assess(List.of(service("s_migrate", spec, "", task("complete", "complete"))), true);
        assertEquals(0, assessment.services().get(0).desiredTasks());
        assertEquals(StackStatus.Health.HEALTHY, assessment.health());
    }
}
