package dev.jpyxis.adapters.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("docker:// references, read as enroot reads them")
class RegistryReferenceTest {

    @ParameterizedTest(name = "{0} is {2}/{3}:{4}")
    @CsvSource(delimiter = '|', value = {
        "docker://ubuntu|-|registry-1.docker.io|library/ubuntu|latest",
        "docker://ubuntu:24.04|-|registry-1.docker.io|library/ubuntu|24.04",
        "docker://nvidia/cuda:12.4.0-base|-|registry-1.docker.io|nvidia/cuda|12.4.0-base",
        "docker://nvcr.io#nvidia/pytorch:24.01-py3|-|nvcr.io|nvidia/pytorch|24.01-py3",
        "docker://nvcr.io/nvidia/pytorch:24.01-py3|-|nvcr.io|nvidia/pytorch|24.01-py3",
        "docker://127.0.0.1:5937#jpyxis/busybox:1|-|127.0.0.1:5937|jpyxis/busybox|1",
        "docker://localhost:5000/jpyxis/busybox|-|localhost:5000|jpyxis/busybox|latest",
        "docker://alice@nvcr.io#nvidia/pytorch:24.01-py3|alice|nvcr.io|nvidia/pytorch|24.01-py3",
        "docker://docker.io#ubuntu|-|registry-1.docker.io|library/ubuntu|latest",
        "docker://ubuntu@sha256:0123456789abcdef|-|registry-1.docker.io|library/ubuntu|sha256:0123456789abcdef",
        "docker://ghcr.io/o/i:t@sha256:fedcba|-|ghcr.io|o/i|sha256:fedcba",
    })
    void parsed(String uri, String user, String registry, String image, String reference) {
        assertEquals(Optional.of(new RegistryReference(user.equals("-") ? Optional.empty() : Optional.of(user),
                registry, image, reference)), RegistryReference.parse(uri));
    }

    @ParameterizedTest(name = "{0} is not a registry reference")
    @ValueSource(strings = {"dockerd://ubuntu", "docker://podman://x", "docker://Ubuntu", "docker://", "docker://a b",
        "docker://nvcr.io#", "docker://ubuntu:", "/x.sqsh"})
    void refused(String uri) {
        assertEquals(Optional.empty(), RegistryReference.parse(uri));
    }

    @Test
    @DisplayName("the manifest is asked over HTTPS; a pinned reference needs no asking")
    void urls() {
        RegistryReference busybox = RegistryReference.parse("docker://127.0.0.1:5937#jpyxis/busybox:1").orElseThrow();
        assertEquals("https://127.0.0.1:5937/v2/jpyxis/busybox/manifests/1", busybox.manifestUrl());
        assertEquals("127.0.0.1", busybox.host());
        assertEquals(false, busybox.pinned());
        assertEquals(true, RegistryReference.parse("docker://ubuntu@sha256:00ff").orElseThrow().pinned());
    }
}
