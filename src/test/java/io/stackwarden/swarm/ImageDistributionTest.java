package io.stackwarden.swarm;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The registry's answer as docker/cli's client turns it into a digest and Swarm platforms. */
class ImageDistributionTest {

    @Test
    void platformsKeepArchitectureAndOsAndDropArm() throws Exception {
        ImageDistribution distribution = ImageDistribution.of(new ObjectMapper().readTree("""
                {"Descriptor":{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"sha256:abc","size":1},
                 "Platforms":[{"architecture":"amd64","os":"linux"},
                              {"architecture":"arm","os":"linux","variant":"v7"},
                              {"architecture":"arm64","os":"linux","variant":"v8"},
                              {"architecture":"amd64","os":"windows","os.version":"10.0.17763.1"}]}
                """));
        assertEquals("sha256:abc", distribution.digest());
        assertEquals("[{\"Architecture\":\"amd64\",\"OS\":\"linux\"},{\"OS\":\"linux\"},"
                + "{\"Architecture\":\"arm64\",\"OS\":\"linux\"},{\"Architecture\":\"amd64\",\"OS\":\"windows\"}]",
                distribution.platforms().toString());
    }

    @Test
    void noPlatformsIsAnEmptyList() throws Exception {
        assertEquals(0, ImageDistribution.of(new ObjectMapper().readTree("{\"Descriptor\":{\"digest\":\"sha256:abc\"}}"))
                .platforms().size());
    }
}
