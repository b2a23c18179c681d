package io.stackwarden.compose.convert;

import io.stackwarden.compose.engine.StackObjects;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static io.stackwarden.compose.convert.Models.assertJson;
import static io.stackwarden.compose.convert.Models.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Single-service rules: restart mapping, modes, healthcheck, secrets/configs defaults, short syntax. */
class ServiceRulesTest {

    private static JsonNode web(String serviceJson) {
        return Models.service(Models.convert("s", json("{'services':{'web':" + serviceJson + "}}")), "web");
    }

    private static JsonNode web(String serviceJson, String topLevel, Map<String, String> files) {
        StackObjects objects = StackConverter.convert("s",
                json("{'services':{'web':" + serviceJson + "}," + topLevel + "}"), Models.files(files));
        return Models.service(objects, "web");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "always          | {'Condition':'any'}",
        "unless-stopped  | {'Condition':'any'}",
        "on-failure      | {'Condition':'on-failure','MaxAttempts':0}",
        "on-failure:4    | {'Condition':'on-failure','MaxAttempts':4}",
    })
    void topLevelRestartMapsWhenDeployRestartPolicyIsAbsent(String restart, String expected) {
        assertJson(expected, web("{'image':'x','restart':'" + restart + "'}").get("TaskTemplate").get("RestartPolicy"));
    }

    @Test
    void restartNoOrAbsentMeansNoPolicy() {
        assertFalse(web("{'image':'x','restart':'no'}").get("TaskTemplate").has("RestartPolicy"));
        assertFalse(web("{'image':'x'}").get("TaskTemplate").has("RestartPolicy"));
    }

    @Test
    void deployRestartPolicyKeepsOnlyWhatIsSet() {
        assertJson("{'Condition':'any','Delay':0}", web("{'image':'x','restart':'no',"
                + "'deploy':{'restart_policy':{'condition':'any','delay':'0s'}}}").get("TaskTemplate").get("RestartPolicy"));
    }

    @Test
    void modes() {
        assertJson("{'Replicated':{}}", web("{'image':'x'}").get("Mode"));
        assertJson("{'Global':{}}", web("{'image':'x','deploy':{'mode':'global'}}").get("Mode"));
        assertJson("{'GlobalJob':{}}", web("{'image':'x','deploy':{'mode':'global-job'}}").get("Mode"));
        assertJson("{'ReplicatedJob':{'MaxConcurrent':3,'TotalCompletions':3}}",
                web("{'image':'x','deploy':{'mode':'replicated-job','replicas':3}}").get("Mode"));
        assertJson("{'ReplicatedJob':{}}", web("{'image':'x','deploy':{'mode':'replicated-job'}}").get("Mode"));
        assertJson("{'Replicated':{'Replicas':0}}", web("{'image':'x','deploy':{'replicas':0}}").get("Mode"));
    }

    @Test
    void updateConfigDefaultsParallelismToOneAndAlwaysSendsRatioAndOrder() {
        JsonNode spec = web("{'image':'x','deploy':{'update_config':{'delay':'5s'}}}");
        assertJson("{'Parallelism':1,'Delay':5000000000,'MaxFailureRatio':0,'Order':''}", spec.get("UpdateConfig"));
        assertFalse(spec.has("RollbackConfig"));
    }

    @Test
    void alwaysPresentObjectsAreEmptyWhenNothingIsSet() {
        JsonNode spec = web("{'image':'x'}");
        assertJson("{}", spec.get("TaskTemplate").get("Resources"));
        assertJson("{}", spec.get("TaskTemplate").get("Placement"));
        assertJson("{}", spec.get("EndpointSpec"));
        assertJson("{'NoNewPrivileges':false}", spec.get("TaskTemplate").get("ContainerSpec").get("Privileges"));
        assertJson("{'com.docker.stack.namespace':'s','com.docker.stack.image':'x'}", spec.get("Labels"));
    }

    @Test
    void healthcheckDisableBecomesNone() {
        assertJson("{'Test':['NONE']}", web("{'image':'x','healthcheck':{'disable':true}}")
                .get("TaskTemplate").get("ContainerSpec").get("Healthcheck"));
    }

    @Test
    void healthcheckStringTestRunsInShell() {
        assertJson("{'Test':['CMD-SHELL','curl -f localhost'],'Retries':2}",
                web("{'image':'x','healthcheck':{'test':'curl -f localhost','retries':2}}")
                        .get("TaskTemplate").get("ContainerSpec").get("Healthcheck"));
    }

    @Test
    void secretAndConfigDefaultsAndFileContent() {
        StackObjects objects = StackConverter.convert("s", json("{'services':{'web':{'image':'x',"
                + "'secrets':['token'],'configs':[{'source':'conf','mode':256,'uid':'1000'}]}},"
                + "'secrets':{'token':{'file':'/run/token'},'spare':{'file':'/run/spare','template_driver':'golang'}},"
                + "'configs':{'conf':{'file':'/etc/app.conf'}}}"),
                Models.files(Map.of("/run/token", "t", "/run/spare", "p", "/etc/app.conf", "c")));
        JsonNode container = Models.service(objects, "web").get("TaskTemplate").get("ContainerSpec");
        assertJson("[{'File':{'Name':'token','UID':'0','GID':'0','Mode':292},'SecretName':'s_token'}]",
                container.get("Secrets"));
        assertJson("[{'File':{'Name':'conf','UID':'1000','GID':'0','Mode':256},'ConfigName':'s_conf'}]",
                container.get("Configs"));
        assertEquals(2, objects.secrets().size(), "unused secrets are created too");
        assertJson("{'Name':'s_spare','Labels':{'com.docker.stack.namespace':'s'},'Data':'cA==',"
                + "'Templating':{'Name':'golang'}}", objects.secrets().get(0).spec());
    }

    @Test
    void secretWithDriverHasNoData() {
        StackObjects objects = StackConverter.convert("s", json("{'services':{},"
                + "'secrets':{'vault':{'driver':'vault-plugin','driver_opts':{'path':'a/b'}}}}"), Models.NO_FILES);
        assertJson("{'Name':'s_vault','Labels':{'com.docker.stack.namespace':'s'},"
                + "'Driver':{'Name':'vault-plugin','Options':{'path':'a/b'}}}", objects.secrets().get(0).spec());
    }

    @Test
    void shortPortSyntaxExpandsLikeTheCli() {
        assertJson("[{'Protocol':'tcp','TargetPort':80,'PublishMode':'ingress'},"
                        + "{'Protocol':'udp','TargetPort':53,'PublishedPort':53,'PublishMode':'ingress'},"
                        + "{'Protocol':'tcp','TargetPort':80,'PublishedPort':8000,'PublishMode':'ingress'},"
                        + "{'Protocol':'tcp','TargetPort':81,'PublishedPort':8001,'PublishMode':'ingress'},"
                        + "{'Protocol':'tcp','TargetPort':443,'PublishedPort':8443,'PublishMode':'ingress'}]",
                web("{'image':'x','ports':['8000-8001:80-81','80','127.0.0.1:8443:443','53:53/udp']}")
                        .get("EndpointSpec").get("Ports"));
    }

    @Test
    void longPortSyntaxPassesModeAndProtocolThrough() {
        assertJson("[{'Protocol':'udp','TargetPort':9000,'PublishedPort':9000,'PublishMode':'host'}]",
                web("{'image':'x','ports':[{'target':9000,'published':9000,'protocol':'udp','mode':'host'}]}")
                        .get("EndpointSpec").get("Ports"));
    }

    @Test
    void shortVolumeSyntaxMatchesLongSyntax() {
        String top = "'volumes':{'data':{}}";
        JsonNode shortForm = web("{'image':'x','volumes':['data:/data:ro,nocopy','/srv:/srv:rslave','/anon']}", top, Map.of());
        JsonNode longForm = web("{'image':'x','volumes':[{'type':'volume','source':'data','target':'/data',"
                + "'read_only':true,'volume':{'nocopy':true}},{'type':'bind','source':'/srv','target':'/srv',"
                + "'bind':{'propagation':'rslave'}},{'type':'volume','target':'/anon'}]}", top, Map.of());
        JsonNode mounts = shortForm.get("TaskTemplate").get("ContainerSpec").get("Mounts");
        assertEquals(Models.normalized(longForm.get("TaskTemplate").get("ContainerSpec").get("Mounts")),
                Models.normalized(mounts));
        assertJson("{'Type':'bind','Source':'/srv','Target':'/srv','BindOptions':{'Propagation':'rslave'}}", mounts.get(1));
    }

    @Test
    void environmentKeyWithoutValueStaysBare() {
        assertJson("['A=','B','C=3']", web("{'image':'x','environment':{'C':'3','B':null,'A':''}}")
                .get("TaskTemplate").get("ContainerSpec").get("Env"));
    }

    @Test
    void smallContainerKeys() {
        JsonNode container = web("{'image':'x','init':false,'isolation':'process','oom_score_adj':-100,"
                + "'cap_add':['net_admin','CAP_NET_ADMIN'],'cap_drop':['net_admin','chown'],"
                + "'ulimits':{'nofile':1024},'extra_hosts':['nocolon','db:10.0.0.2'],'dns_search':['a.local'],"
                + "'command':'sh -c \\\\'echo hi\\\\''}".replace("\\\\'", "\\\""))
                .get("TaskTemplate").get("ContainerSpec");
        assertEquals(false, container.get("Init").asBoolean(true));
        assertEquals("process", container.get("Isolation").asText());
        assertEquals(-100, container.get("OomScoreAdj").asInt());
        assertJson("['CAP_NET_ADMIN']", container.get("CapabilityAdd"));
        assertJson("['CAP_CHOWN']", container.get("CapabilityDrop"));
        assertJson("[{'Name':'nofile','Hard':1024,'Soft':1024}]", container.get("Ulimits"));
        assertJson("['10.0.0.2 db']", container.get("Hosts"));
        assertJson("{'Search':['a.local']}", container.get("DNSConfig"));
        assertJson("['sh','-c','echo hi']", container.get("Args"));
    }

    @Test
    void credentialSpecFromConfigAddsRuntimeReference() {
        JsonNode container = web("{'image':'x','credential_spec':{'config':'gmsa'}}",
                "'configs':{'gmsa':{'file':'/c/gmsa.json'}}", Map.of("/c/gmsa.json", "{}"))
                .get("TaskTemplate").get("ContainerSpec");
        assertJson("[{'Runtime':{},'ConfigName':'s_gmsa'}]", container.get("Configs"));
        assertJson("{'CredentialSpec':{'Config':'s_gmsa','File':'','Registry':''},'NoNewPrivileges':false}",
                container.get("Privileges"));
    }
}
