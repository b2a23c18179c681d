package io.stackwarden.swarm;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where a process finds its own container's ID: the mounts Docker makes for it, then a hostname that is an ID. */
class OwnContainerTest {

    private static final String ID = "04929bac43df607ae5509331d8bb0911bef496052d530b5fd5ba794bf7c3b553";

    @Test
    void theMountedIdComesFirstThenAHostnameThatLooksLikeOne() {
        String mountinfo = "1207 1177 254:0 /var/lib/docker/containers/" + ID + "/resolv.conf /etc/resolv.conf rw - ext4 /dev/vda rw\n"
                + "1208 1177 254:0 /var/lib/docker/containers/" + ID + "/hostname /etc/hostname rw - ext4 /dev/vda rw\n"
                + "1210 1177 0:52 / /proc rw - proc proc rw\n";
        assertEquals(List.of(ID, "04929bac43df"), List.copyOf(OwnContainer.candidates(mountinfo, "04929bac43df")));
    }

    @Test
    void outsideAContainerThereIsNoCandidate() {
        assertEquals(List.of(), List.copyOf(OwnContainer.candidates("22 1 8:1 / / rw - ext4 /dev/sda1 rw\n", "build-host")));
    }
}
