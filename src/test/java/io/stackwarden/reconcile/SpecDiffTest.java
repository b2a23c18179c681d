package io.stackwarden.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The JSON pointers at which two canonical specs differ. */
class SpecDiffTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    private static List<String> paths(String live, String desired) throws Exception {
        return SpecDiff.paths(json(live), json(desired));
    }

    @Test
    void equalSpecsDifferNowhere() throws Exception {
        assertEquals(List.of(), paths("{'A':{'B':1},'C':[1,2]}", "{'C':[1,2],'A':{'B':1}}"));
    }

    @Test
    void objectsAreComparedFieldByFieldDownToTheLeaves() throws Exception {
        assertEquals(List.of("/TaskTemplate/ContainerSpec/Image"), paths(
                "{'TaskTemplate':{'ContainerSpec':{'Image':'app:1','User':'1'}}}",
                "{'TaskTemplate':{'ContainerSpec':{'Image':'app:2','User':'1'}}}"));
    }

    @Test
    void aFieldOnOneSideOnlyIsADifferenceWhicheverSide() throws Exception {
        assertEquals(List.of("/Labels/added", "/Labels/gone"), paths("{'Labels':{'gone':'x'}}", "{'Labels':{'added':'y'}}"));
    }

    @Test
    void arraysAreComparedWhole() throws Exception {
        assertEquals(List.of("/Env"), paths("{'Env':['A=1','B=2']}", "{'Env':['A=1','B=3']}"));
        assertEquals(List.of("/Env"), paths("{'Env':['A=1','B=2']}", "{'Env':['B=2','A=1']}"), "order counts");
    }

    @Test
    void anObjectReplacedByAnotherTypeIsOneDifferenceAtItsPointer() throws Exception {
        assertEquals(List.of("/Mode"), paths("{'Mode':{'Replicated':{}}}", "{'Mode':'global'}"));
    }

    @Test
    void differencesComeInFieldNameOrder() throws Exception {
        assertEquals(List.of("/a", "/b", "/c"), paths("{'c':1,'a':1,'b':1}", "{'b':2,'c':2,'a':2}"));
    }

    @Test
    void differingRootsThatAreNoObjectsAreTheRootPointer() throws Exception {
        assertEquals(List.of("/"), paths("1", "2"));
    }

    @Test
    void slashAndTildeInFieldNamesAreEscapedAsJsonPointerSays() throws Exception {
        assertEquals(List.of("/Labels/com.example~1path~0x"), paths("{'Labels':{'com.example/path~x':'1'}}", "{'Labels':{}}"));
    }

    @Test
    void aNullValueDiffersFromAnAbsentField() throws Exception {
        assertEquals(List.of("/Limit"), paths("{'Limit':null}", "{}"));
    }
}
