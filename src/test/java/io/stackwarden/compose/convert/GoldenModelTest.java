package io.stackwarden.compose.convert;

import io.stackwarden.compose.engine.StackObjects;
import io.stackwarden.compose.engine.StackObject;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static io.stackwarden.compose.convert.Models.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI's golden loader output (full-example.json.golden) converted for stack "full". Expected
 * values are derived from docker/cli 28.2.2 cli/compose/convert rules, one concern per test.
 */
class GoldenModelTest {

    private static StackObjects objects;
    private static JsonNode foo;
    private static JsonNode container;
    private static JsonNode task;

    @BeforeAll
    static void convert() {
        objects = StackConverter.convert("full", Models.deployableGolden(), Models.GOLDEN_FILES);
        foo = Models.service(objects, "foo");
        task = foo.get("TaskTemplate");
        container = task.get("ContainerSpec");
    }

    @Test
    void goldenAsIsIsRejectedLikeTheCliForItsUndeclaredVolume() {
        ConvertException e = assertThrows(ConvertException.class,
                () -> StackConverter.convert("full", Models.golden(), Models.GOLDEN_FILES));
        assertEquals("service foo: volumes: target \"/var/lib/mysql\": undefined volume \"datavolume\"", e.getMessage());
    }

    @Test
    void goldenWithVolumeDeclaredStillLacksNetworkOtherOtherNetwork() {
        var model = Models.golden();
        ((com.fasterxml.jackson.databind.node.ObjectNode) model.get("volumes")).putObject("datavolume");
        ConvertException e = assertThrows(ConvertException.class,
                () -> StackConverter.convert("full", model, Models.GOLDEN_FILES));
        assertEquals("service foo: networks: undefined network \"other-other-network\"", e.getMessage());
    }

    @Test
    void serviceNameAndServiceLabels() {
        assertEquals("full_foo", objects.services().get(0).name());
        assertEquals("full_foo", foo.get("Name").asText());
        assertJson("{'FOO':'BAR','com.docker.stack.namespace':'full','com.docker.stack.image':'redis'}", foo.get("Labels"));
    }

    @Test
    void imageAndContainerLabels() {
        // The spec gets the CLI client's tagged form; the stack label keeps the file's text.
        assertEquals("redis:latest", container.get("Image").asText());
        assertEquals("redis", foo.at("/Labels/com.docker.stack.image").asText());
        assertJson("{'com.example.description':'Accounting webapp','com.example.empty-label':'',"
                + "'com.example.number':'42','com.docker.stack.namespace':'full'}", container.get("Labels"));
    }

    @Test
    void entrypointIsCommandAndCommandIsArgs() {
        assertJson("['/code/entrypoint.sh','-p','3000']", container.get("Command"));
        assertJson("['bundle','exec','thin','-p','3000']", container.get("Args"));
    }

    @Test
    void environmentSortedAsKeyEqualsValue() {
        assertJson("['BAR=bar_from_env_file_2','BAZ=baz_from_service_def','FOO=foo_from_env_file',"
                + "'QUX=qux_from_environment']", container.get("Env"));
    }

    @Test
    void simpleContainerFields() {
        assertEquals("foo", container.get("Hostname").asText());
        assertEquals("/code", container.get("Dir").asText());
        assertEquals("someone", container.get("User").asText());
        assertEquals("SIGUSR1", container.get("StopSignal").asText());
        assertEquals(20_000_000_000L, container.get("StopGracePeriod").asLong());
        assertTrue(container.get("TTY").asBoolean());
        assertTrue(container.get("OpenStdin").asBoolean());
        assertTrue(container.get("ReadOnly").asBoolean());
        assertFalse(container.has("Init"), "init not set");
        assertFalse(container.has("Isolation"));
        assertFalse(container.has("OomScoreAdj"));
    }

    @Test
    void privilegesAlwaysSentWithoutCredentialSpecWhenEmpty() {
        assertJson("{'NoNewPrivileges':false}", container.get("Privileges"));
    }

    @Test
    void healthcheckDurationsInNanoseconds() {
        JsonNode healthcheck = container.get("Healthcheck");
        assertEquals(List.of("CMD-SHELL", "echo \"hello world\""),
                List.of(healthcheck.get("Test").get(0).asText(), healthcheck.get("Test").get(1).asText()));
        assertEquals(2, healthcheck.get("Test").size());
        assertJson("{'Interval':10000000000,'Timeout':1000000000,'StartPeriod':15000000000,"
                + "'StartInterval':1000000000,'Retries':5}", ((com.fasterxml.jackson.databind.node.ObjectNode) healthcheck.deepCopy()).without("Test"));
    }

    @Test
    void extraHostsInSwarmIpHostForm() {
        assertJson("['162.242.195.82 somehost','50.31.209.229 otherhost','host-gateway host.docker.internal']",
                container.get("Hosts"));
    }

    @Test
    void dnsConfig() {
        assertJson("{'Nameservers':['8.8.8.8','9.9.9.9'],'Search':['dc1.example.com','dc2.example.com']}",
                container.get("DNSConfig"));
    }

    @Test
    void sysctlsCapabilitiesAndUlimits() {
        assertJson("{'net.core.somaxconn':'1024','net.ipv4.tcp_syncookies':'0'}", container.get("Sysctls"));
        assertJson("['ALL']", container.get("CapabilityAdd"));
        assertJson("['CAP_NET_ADMIN','CAP_SYS_ADMIN']", container.get("CapabilityDrop"));
        assertJson("[{'Name':'nofile','Hard':40000,'Soft':20000},{'Name':'nproc','Hard':65535,'Soft':65535}]",
                container.get("Ulimits"));
    }

    @Test
    void secretReferencesWithCliDefaultsSortedByName() {
        assertJson("[{'File':{'Name':'secret1','UID':'0','GID':'0','Mode':292},'SecretName':'full_secret1'},"
                + "{'File':{'Name':'my_secret','UID':'103','GID':'103','Mode':288},'SecretName':'my_secret'}]",
                container.get("Secrets"));
    }

    @Test
    void configReferencesWithCliDefaultsSortedByName() {
        assertJson("[{'File':{'Name':'config1','UID':'0','GID':'0','Mode':292},'ConfigName':'full_config1'},"
                + "{'File':{'Name':'/my_config','UID':'103','GID':'103','Mode':288},'ConfigName':'my_config'}]",
                container.get("Configs"));
    }

    @Test
    void mountsForEveryVolumeType() {
        assertJson("["
                + "{'Type':'volume','Target':'/var/lib/mysql'},"
                + "{'Type':'bind','Source':'/opt/data','Target':'/var/lib/mysql'},"
                + "{'Type':'bind','Source':'/foo','Target':'/code'},"
                + "{'Type':'bind','Source':'/foo/static','Target':'/var/www/html'},"
                + "{'Type':'bind','Source':'/bar/configs','Target':'/etc/configs/','ReadOnly':true},"
                + "{'Type':'volume','Source':'full_datavolume','Target':'/var/lib/mysql',"
                + "  'VolumeOptions':{'Labels':{'com.docker.stack.namespace':'full'}}},"
                + "{'Type':'bind','Source':'/foo/opt','Target':'/opt','Consistency':'cached'},"
                + "{'Type':'tmpfs','Target':'/opt','TmpfsOptions':{'SizeBytes':10000}},"
                + "{'Type':'cluster','Source':'group:mygroup','Target':'/srv','ClusterOptions':{}}"
                + "]", container.get("Mounts"));
    }

    @Test
    void resourcesLimitsReservationsGenericResourcesAndPids() {
        assertJson("{'Limits':{'NanoCPUs':1000000,'MemoryBytes':52428800,'Pids':100},"
                + "'Reservations':{'NanoCPUs':100000,'MemoryBytes':20971520,'GenericResources':["
                + "{'DiscreteResourceSpec':{'Kind':'gpu','Value':2}},{'DiscreteResourceSpec':{'Kind':'ssd','Value':1}}]}}",
                task.get("Resources"));
    }

    @Test
    void deployRestartPolicyWinsOverTopLevelRestart() {
        assertJson("{'Condition':'on-failure','Delay':5000000000,'MaxAttempts':3,'Window':120000000000}",
                task.get("RestartPolicy"));
    }

    @Test
    void placement() {
        assertJson("{'Constraints':['node=foo'],'Preferences':[{'Spread':{'SpreadDescriptor':'node.labels.az'}}],"
                + "'MaxReplicas':5}", task.get("Placement"));
    }

    @Test
    void networkAttachmentsSortedWithServiceNameAlias() {
        assertJson("[{'Target':'full_other-network','Aliases':['foo']},"
                + "{'Target':'full_other-other-network','Aliases':['foo']},"
                + "{'Target':'full_some-network','Aliases':['alias1','alias3','foo'],"
                + "  'DriverOpts':{'driveropt1':'optval1','driveropt2':'optval2'}}]", task.get("Networks"));
    }

    @Test
    void logDriver() {
        assertJson("{'Name':'syslog','Options':{'syslog-address':'tcp://192.168.0.42:123'}}", task.get("LogDriver"));
    }

    @Test
    void replicatedModeAndUpdateRollbackConfigs() {
        assertJson("{'Replicated':{'Replicas':6}}", foo.get("Mode"));
        String update = "{'Parallelism':3,'Delay':10000000000,'FailureAction':'continue','Monitor':60000000000,"
                + "'MaxFailureRatio':0.3,'Order':'start-first'}";
        assertJson(update, foo.get("UpdateConfig"));
        assertJson(update, foo.get("RollbackConfig"));
    }

    @Test
    void endpointSpecPortsSortedByPublishedPortKeepingOrderOfUnpublished() {
        JsonNode endpoint = foo.get("EndpointSpec");
        assertEquals("dnsrr", endpoint.get("Mode").asText());
        JsonNode ports = endpoint.get("Ports");
        assertEquals(22, ports.size());
        for (int i = 0; i < 6; i++) {
            assertJson("{'Protocol':'tcp','TargetPort':" + (3000 + i) + ",'PublishMode':'ingress'}", ports.get(i));
        }
        for (int i = 0; i <= 10; i++) {
            assertJson("{'Protocol':'tcp','TargetPort':" + (5000 + i) + ",'PublishedPort':" + (5000 + i)
                    + ",'PublishMode':'ingress'}", ports.get(6 + i));
        }
        List<String> rest = List.of("8000>8000", "8001>8001", "9090>8080", "9091>8081", "49100>22");
        for (int i = 0; i < rest.size(); i++) {
            String[] p = rest.get(i).split(">");
            assertJson("{'Protocol':'tcp','TargetPort':" + p[1] + ",'PublishedPort':" + p[0]
                    + ",'PublishMode':'ingress'}", ports.get(17 + i));
        }
    }

    @Test
    void onlyNetworksUsedByServicesAreCreatedWithDriverIpamAndLabels() {
        assertEquals(List.of("full_other-network", "full_other-other-network", "full_some-network"),
                objects.networks().stream().map(StackObject::name).toList());
        assertJson("{'Name':'full_other-network','Driver':'overlay','Scope':'',"
                + "'IPAM':{'Driver':'overlay','Config':[{'Subnet':'172.16.238.0/24'},{'Subnet':'2001:3984:3989::/64'}]},"
                + "'Internal':false,'Attachable':false,'Ingress':false,'ConfigOnly':false,"
                + "'Options':{'baz':'1','foo':'bar'},'Labels':{'foo':'bar','com.docker.stack.namespace':'full'}}",
                objects.networks().get(0).spec());
        assertJson("{'Name':'full_some-network','Driver':'overlay','Scope':'','Internal':false,'Attachable':false,"
                + "'Ingress':false,'ConfigOnly':false,'Labels':{'com.docker.stack.namespace':'full'}}",
                objects.networks().get(2).spec());
        assertEquals(List.of(), objects.externalNetworks(), "external networks are not used by any service");
    }

    @Test
    void everyNonExternalSecretAndConfigIsCreatedUsedOrNot() {
        assertEquals(List.of("bar", "full_secret1"), objects.secrets().stream().map(StackObject::name).toList());
        assertEquals(List.of("foo", "full_config1"), objects.configs().stream().map(StackObject::name).toList());
        JsonNode secret1 = objects.secrets().get(1).spec();
        assertJson("{'Name':'full_secret1','Labels':{'foo':'bar','com.docker.stack.namespace':'full'},'Data':'"
                + base64("s3cret") + "'}", secret1);
        assertJson("{'Name':'foo','Labels':{'com.docker.stack.namespace':'full'},'Data':'" + base64("foo-content") + "'}",
                objects.configs().get(0).spec());
        assertEquals(List.of("my_secret"), objects.externalSecrets());
        assertEquals(List.of("my_config"), objects.externalConfigs());
    }

    @Test
    void ignoredKeysLeaveNoTrace() {
        // build, container_name, devices, privileged, tmpfs, network_mode, security_opt... are not swarm keys.
        assertEquals(List.of("Image", "Labels", "Command", "Args", "Hostname", "Env", "Dir", "User", "Privileges",
                "StopSignal", "TTY", "OpenStdin", "ReadOnly", "Mounts", "StopGracePeriod", "Healthcheck", "Hosts",
                "DNSConfig", "Secrets", "Configs", "Sysctls", "CapabilityAdd", "CapabilityDrop", "Ulimits"),
                iterable(container.fieldNames()));
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
