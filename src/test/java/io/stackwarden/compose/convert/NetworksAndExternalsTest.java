package io.stackwarden.compose.convert;

import io.stackwarden.compose.engine.StackObjects;
import io.stackwarden.compose.engine.StackObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.stackwarden.compose.convert.Models.assertJson;
import static io.stackwarden.compose.convert.Models.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NetworksAndExternalsTest {

    @Test
    void serviceWithoutNetworksGetsTheOverlayDefaultNetwork() {
        StackObjects objects = Models.convert("app", json("{'services':{'web':{'image':'nginx'}}}"));
        assertEquals(1, objects.networks().size());
        assertJson("{'Name':'app_default','Driver':'overlay','Scope':'','Internal':false,'Attachable':false,"
                + "'Ingress':false,'ConfigOnly':false,'Labels':{'com.docker.stack.namespace':'app'}}",
                objects.networks().get(0).spec());
        assertJson("[{'Target':'app_default','Aliases':['web']}]",
                Models.service(objects, "web").get("TaskTemplate").get("Networks"));
    }

    @Test
    void defaultNetworkIsNotCreatedWhenNoServiceUsesIt() {
        StackObjects objects = Models.convert("app", json(
                "{'services':{'web':{'image':'nginx','networks':['front']}},'networks':{'front':{'attachable':true,"
                        + "'internal':true,'name':'shared-front'}}}"));
        assertEquals(List.of("shared-front"), objects.networks().stream().map(StackObject::name).toList());
        assertEquals(true, objects.networks().get(0).spec().get("Attachable").asBoolean());
        assertEquals(true, objects.networks().get(0).spec().get("Internal").asBoolean());
    }

    @Test
    void externalNetworksAreListedNotCreatedAndBuiltInOnesNeedNoCheckNorAlias() {
        StackObjects objects = Models.convert("app", json("{'services':{'web':{'image':'nginx',"
                + "'networks':{'proxy':{'aliases':['www']},'hostnet':null}}},"
                + "'networks':{'proxy':{'name':'traefik','external':true},'hostnet':{'name':'host','external':true}}}"));
        assertEquals(List.of(), objects.networks());
        assertEquals(List.of("traefik"), objects.externalNetworks());
        assertJson("[{'Target':'host'},{'Target':'traefik','Aliases':['www','web']}]",
                Models.service(objects, "web").get("TaskTemplate").get("Networks"));
    }

    @Test
    void externalSecretsAndConfigsAreListedOnlyWhenReferenced() {
        StackObjects objects = Models.convert("app", json("{'services':{'web':{'image':'nginx',"
                + "'secrets':['db'],'configs':[{'source':'site','target':'/etc/site.conf'}]}},"
                + "'secrets':{'db':{'name':'prod_db','external':true},'unused':{'name':'unused','external':true}},"
                + "'configs':{'site':{'name':'site_v2','external':true}}}"));
        assertEquals(List.of(), objects.secrets());
        assertEquals(List.of(), objects.configs());
        assertEquals(List.of("prod_db"), objects.externalSecrets());
        assertEquals(List.of("site_v2"), objects.externalConfigs());
        assertJson("[{'File':{'Name':'db','UID':'0','GID':'0','Mode':292},'SecretName':'prod_db'}]",
                Models.service(objects, "web").get("TaskTemplate").get("ContainerSpec").get("Secrets"));
    }

    @Test
    void externalVolumeMountGetsItsNameButNoLabelsOrDriver() {
        StackObjects objects = Models.convert("app", json("{'services':{'db':{'image':'pg','volumes':["
                + "{'type':'volume','source':'data','target':'/data','volume':{'nocopy':true}},"
                + "{'type':'volume','source':'cache','target':'/cache'}]}},"
                + "'volumes':{'data':{'name':'pgdata','external':true},"
                + "'cache':{'driver':'local','driver_opts':{'type':'tmpfs'},'labels':{'x':'y'}}}}"));
        assertJson("[{'Type':'volume','Source':'pgdata','Target':'/data','VolumeOptions':{'NoCopy':true}},"
                        + "{'Type':'volume','Source':'app_cache','Target':'/cache','VolumeOptions':{"
                        + "'Labels':{'x':'y','com.docker.stack.namespace':'app'},"
                        + "'DriverConfig':{'Name':'local','Options':{'type':'tmpfs'}}}}]",
                Models.service(objects, "db").get("TaskTemplate").get("ContainerSpec").get("Mounts"));
    }
}
