package io.stackwarden.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Found by the parity suite: what the engine stores must canonicalise to what was sent. */
class SpecCanonicalizerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode parse(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void numbersCompareByValueNotByJavaType() throws Exception {
        ObjectNode sent = parse("{\"TaskTemplate\":{\"ContainerSpec\":{\"Configs\":[{\"File\":{\"Name\":\"c\"}}]}}}");
        ((ObjectNode) sent.at("/TaskTemplate/ContainerSpec/Configs/0/File")).put("Mode", 0444L); // a long, as converted
        ObjectNode stored = parse("{\"TaskTemplate\":{\"ContainerSpec\":{\"Configs\":[{\"File\":{\"Name\":\"c\",\"Mode\":292}}]}}}");
        assertEquals(SpecCanonicalizer.service(stored), SpecCanonicalizer.service(sent));
    }

    @Test
    void aFailureRatioComparesAtFloat32PrecisionAsTheEngineStoresIt() throws Exception {
        ObjectNode sent = parse("{\"UpdateConfig\":{\"Parallelism\":1}}");
        ((ObjectNode) sent.get("UpdateConfig")).put("MaxFailureRatio", 0.2f); // a float, as converted
        ObjectNode stored = parse("{\"UpdateConfig\":{\"Parallelism\":1,\"MaxFailureRatio\":0.2}}");
        assertEquals(SpecCanonicalizer.service(stored), SpecCanonicalizer.service(sent));
        assertNotEquals(SpecCanonicalizer.service(stored),
                SpecCanonicalizer.service(parse("{\"UpdateConfig\":{\"Parallelism\":1,\"MaxFailureRatio\":0.3}}")));
    }

    @Test
    void aReplicatedServiceWithoutCountHasOneReplica() throws Exception {
        ObjectNode stored = parse("{\"Mode\":{\"Replicated\":{\"Replicas\":1}}}");
        assertEquals(SpecCanonicalizer.service(stored), SpecCanonicalizer.service(parse("{\"Mode\":{\"Replicated\":{}}}")));
        assertEquals(SpecCanonicalizer.service(stored), SpecCanonicalizer.service(parse("{}")));
        assertNotEquals(SpecCanonicalizer.service(stored),
                SpecCanonicalizer.service(parse("{\"Mode\":{\"Replicated\":{\"Replicas\":0}}}")));
        assertNotEquals(SpecCanonicalizer.service(stored), SpecCanonicalizer.service(parse("{\"Mode\":{\"Global\":{}}}")));
        assertNotEquals(SpecCanonicalizer.service(parse("{\"Mode\":{\"Replicated\":{\"Replicas\":0}}}")),
                SpecCanonicalizer.service(parse("{\"Mode\":{\"Global\":{}}}")));
    }

    @Test
    void aPortWithoutProtocolOrModeIsTcpIngress() throws Exception {
        ObjectNode sent = parse("{\"EndpointSpec\":{\"Ports\":[{\"TargetPort\":7000,\"PublishedPort\":17000}]}}");
        ObjectNode stored = parse("{\"EndpointSpec\":{\"Mode\":\"vip\",\"Ports\":[{\"Protocol\":\"tcp\",\"TargetPort\":7000,"
                + "\"PublishedPort\":17000,\"PublishMode\":\"ingress\"}]}}");
        assertEquals(SpecCanonicalizer.service(stored), SpecCanonicalizer.service(sent));
        assertNotEquals(SpecCanonicalizer.service(stored), SpecCanonicalizer.service(
                parse("{\"EndpointSpec\":{\"Ports\":[{\"Protocol\":\"udp\",\"TargetPort\":7000,\"PublishedPort\":17000}]}}")));
    }

    @Test
    void aMountsConsistencyIsSentButNotStoredSoNotCompared() throws Exception {
        ObjectNode sent = parse("{\"TaskTemplate\":{\"ContainerSpec\":{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/c\","
                + "\"Target\":\"/etc/conf\",\"Consistency\":\"cached\"}]}}}");
        ObjectNode stored = parse("{\"TaskTemplate\":{\"ContainerSpec\":{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/c\","
                + "\"Target\":\"/etc/conf\"}]}}}");
        assertEquals(SpecCanonicalizer.service(stored), SpecCanonicalizer.service(sent));
        assertEquals("cached", sent.at("/TaskTemplate/ContainerSpec/Mounts/0/Consistency").asText(), "the spec sent keeps it");
    }

    @Test
    void anUpdateConfigWithoutFailureActionPausesAndStopsFirst() throws Exception {
        ObjectNode sent = parse("{\"UpdateConfig\":{\"Parallelism\":1},\"RollbackConfig\":{\"Order\":\"start-first\"}}");
        ObjectNode stored = parse("{\"UpdateConfig\":{\"Parallelism\":1,\"FailureAction\":\"pause\",\"Order\":\"stop-first\"},"
                + "\"RollbackConfig\":{\"FailureAction\":\"pause\",\"Order\":\"start-first\"}}");
        assertEquals(SpecCanonicalizer.service(stored), SpecCanonicalizer.service(sent));
        assertNotEquals(SpecCanonicalizer.service(stored), SpecCanonicalizer.service(
                parse("{\"UpdateConfig\":{\"Parallelism\":1,\"FailureAction\":\"rollback\"},\"RollbackConfig\":{\"Order\":\"start-first\"}}")));
    }

    @Test
    void aRestartPolicyWithoutConditionRestartsOnAnyExit() throws Exception {
        ObjectNode stored = parse("{\"TaskTemplate\":{\"RestartPolicy\":{\"Condition\":\"any\",\"MaxAttempts\":3}}}");
        assertEquals(SpecCanonicalizer.service(stored),
                SpecCanonicalizer.service(parse("{\"TaskTemplate\":{\"RestartPolicy\":{\"MaxAttempts\":3}}}")));
        assertEquals(SpecCanonicalizer.service(parse("{\"TaskTemplate\":{\"RestartPolicy\":{\"Condition\":\"any\",\"MaxAttempts\":0}}}")),
                SpecCanonicalizer.service(parse("{\"TaskTemplate\":{\"RestartPolicy\":{}}}")));
        assertNotEquals(SpecCanonicalizer.service(parse("{\"TaskTemplate\":{\"RestartPolicy\":{\"Condition\":\"any\"}}}")),
                SpecCanonicalizer.service(parse("{}")), "no policy is not the same as a policy restarting on any exit");
        assertNotEquals(SpecCanonicalizer.service(parse("{\"TaskTemplate\":{\"RestartPolicy\":{\"Condition\":\"on-failure\"}}}")),
                SpecCanonicalizer.service(parse("{\"TaskTemplate\":{\"RestartPolicy\":{}}}")));
    }

    @Test
    void aReplicatedJobWithoutCountsRunsOneTaskOnce() throws Exception {
        ObjectNode stored = parse("{\"Mode\":{\"ReplicatedJob\":{\"MaxConcurrent\":1,\"TotalCompletions\":1}}}");
        assertEquals(SpecCanonicalizer.service(stored), SpecCanonicalizer.service(parse("{\"Mode\":{\"ReplicatedJob\":{}}}")));
        ObjectNode none = parse("{\"Mode\":{\"ReplicatedJob\":{\"MaxConcurrent\":0,\"TotalCompletions\":0}}}");
        assertEquals(SpecCanonicalizer.service(none), SpecCanonicalizer.service(
                parse("{\"Mode\":{\"ReplicatedJob\":{\"MaxConcurrent\":0,\"TotalCompletions\":0}}}")));
        assertNotEquals(SpecCanonicalizer.service(stored), SpecCanonicalizer.service(none), "replicas: 0 runs no task");
    }
}
