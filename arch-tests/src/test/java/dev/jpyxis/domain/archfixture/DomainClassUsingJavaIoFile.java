package dev.jpyxis.domain.archfixture;

/** Deliberately bad: a domain class touching the file system. */
public class DomainClassUsingJavaIoFile {
    public boolean exists(String path) {
        return new java.io.File(path).exists();
    }
}
