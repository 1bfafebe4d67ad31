package dev.sluice;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * Why an I/O call failed, in words, for Sluice's messages: {@code "cannot read urls file urls.txt:
 * no such file or directory"} rather than a Java exception's class name. The words do not repeat the
 * path that the message around them already names, except where another path is in the way.
 */
public final class IoReason {

    private IoReason() {}

    /**
     * Words {@code e}.
     *
     * @param e the failure
     * @return e.g. {@code "permission denied"}
     */
    public static String of(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException fae) {
            return "a file is in the way at " + fae.getFile();
        }
        if (e instanceof CharacterCodingException) {
            return "not UTF-8 text";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
