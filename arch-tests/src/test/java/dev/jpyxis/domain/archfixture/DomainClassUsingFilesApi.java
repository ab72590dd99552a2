package dev.jpyxis.domain.archfixture;

/** Deliberately bad: a domain class reading a file. */
public class DomainClassUsingFilesApi {
    public String read(java.nio.file.Path path) throws java.io.IOException {
        return java.nio.file.Files.readString(path);
    }
}
