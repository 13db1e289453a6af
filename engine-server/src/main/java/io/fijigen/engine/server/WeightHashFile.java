package io.fijigen.engine.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The weight hash cache beside a registry file, {@code <registry file>.sha256}: plain UTF-8 text, one line per weight
 * file, {@code SHA256 SIZE MODIFIED PATH} separated by single spaces: the lowercase hex digest, the size in bytes, the
 * modification time (ISO-8601, UTC) and the file's real path, last so that it may hold spaces. Lines starting with
 * {@code #} are comments. A hash holds while the file's size and modification time are the ones on its line.
 *
 * <p>Written whole to a temporary file in the same folder and moved over the old one, so that a reader (another server
 * on the same registry) never sees half a file.
 */
final class WeightHashFile {
    private static final Logger LOG = LoggerFactory.getLogger(WeightHashFile.class);
    private static final String HEADER = "# fijigen weight file hashes: SHA-256, size in bytes, modified (UTC), path."
            + " Written by the engine; safe to delete.";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private WeightHashFile() {}

    /** A file's hash, as of its size and modification time. */
    record Entry(String sha256, long size, Instant modified, Path file) {

        /** Whether the file, as {@code attributes} describe it now, is the one hashed. */
        boolean matches(BasicFileAttributes attributes) {
            return attributes.size() == size && attributes.lastModifiedTime().toInstant().equals(modified);
        }

        String line() {
            return sha256 + " " + size + " " + modified + " " + file;
        }

        /** The entry a line holds; empty for a line that is not one (damaged by hand, say). */
        static Optional<Entry> parse(String line) {
            String[] fields = line.split(" ", 4);
            if (fields.length < 4 || !SHA256.matcher(fields[0]).matches()) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Entry(fields[0], Long.parseLong(fields[1]), Instant.parse(fields[2]),
                        Path.of(fields[3])));
            } catch (NumberFormatException | DateTimeParseException | InvalidPathException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * The entries of {@code file} by path, lines that are not entries skipped (with a warning); none when there is no
     * such file, or something else in its place (which a {@link #write} then reports).
     */
    static Map<Path, Entry> read(Path file) throws IOException {
        Map<Path, Entry> entries = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return entries;
        }
        int bad = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Optional<Entry> entry = Entry.parse(line);
            if (entry.isPresent()) {
                entries.put(entry.get().file(), entry.get());
            } else {
                bad++;
            }
        }
        if (bad > 0) {
            LOG.warn("weight hash cache {}: skipped {} line(s) that are not 'SHA256 SIZE MODIFIED PATH'; those files"
                    + " are hashed again", file, bad);
        }
        return entries;
    }

    /** Replaces {@code file} with {@code entries}, sorted by path. */
    static void write(Path file, Collection<Entry> entries) throws IOException {
        List<String> lines = new ArrayList<>(List.of(HEADER));
        entries.stream().sorted(Comparator.comparing(Entry::file)).map(Entry::line).forEach(lines::add);
        Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName() + ".", ".tmp");
        try {
            Files.write(temporary, lines, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
