package io.fijigen.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The bookkeeping of Batch Folder: which images of an input folder are still to do, where each
 * result goes, and the CSV of parameters per file in the output folder. A result is written as
 * {@code <name>.tif} (TIFF keeps the bit depth and the Info) under the input's name without its
 * extension; an input whose result exists is done, so a second run makes only what is missing — a
 * run that stopped, or a result deleted to have it made again.
 */
public final class BatchFolder {
    /** The CSV's name in the output folder. */
    public static final String CSV = "fijigen-batch.csv";

    /** The CSV's columns. */
    public static final List<String> COLUMNS = List.of("file", "result", "seed", "elapsed_seconds", "parameters");

    /** The extensions of the images a batch takes: what ImageJ opens of TIFF, PNG, JPEG, GIF and BMP. */
    static final Set<String> EXTENSIONS = Set.of("tif", "tiff", "png", "jpg", "jpeg", "gif", "bmp");

    private final Path input;
    private final Path output;
    // File name → its CSV row, in the order they were done.
    private final Map<String, List<String>> rows;

    private BatchFolder(Path input, Path output, Map<String, List<String>> rows) {
        this.input = input;
        this.output = output;
        this.rows = rows;
    }

    /**
     * A batch from {@code input} into {@code output} (made when missing), with the rows of a previous
     * run's CSV whose results still exist.
     *
     * @throws IllegalArgumentException when a folder is missing or the same, or the CSV is not ours
     */
    public static BatchFolder open(Path input, Path output) throws IOException {
        if (!Files.isDirectory(input)) {
            throw new IllegalArgumentException("input folder " + input + " does not exist");
        }
        Files.createDirectories(output);
        if (Files.isSameFile(input, output)) {
            throw new IllegalArgumentException("the output folder must differ from the input folder");
        }
        BatchFolder batch = new BatchFolder(input, output, new LinkedHashMap<>());
        Path csv = output.resolve(CSV);
        if (Files.exists(csv)) {
            List<List<String>> records = Csv.read(Files.readString(csv, StandardCharsets.UTF_8));
            if (records.isEmpty() || !records.get(0).equals(COLUMNS)) {
                throw new IllegalArgumentException(csv + " is not a fijigen batch CSV: its header is not "
                        + String.join(",", COLUMNS));
            }
            for (List<String> row : records.subList(1, records.size())) {
                if (Files.exists(output.resolve(row.get(1)))) {
                    batch.rows.put(row.get(0), row);
                }
            }
        }
        return batch;
    }

    /**
     * The images of the input folder (by extension, hidden files skipped), sorted by name.
     *
     * @throws IllegalArgumentException when two would write the same result (e.g. a.png and a.tif)
     */
    public List<Path> images() throws IOException {
        List<Path> images = new ArrayList<>();
        try (Stream<Path> files = Files.list(input)) {
            files.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().startsWith("."))
                    .filter(file -> EXTENSIONS.contains(extension(file)))
                    .sorted()
                    .forEach(images::add);
        }
        Map<String, Path> byResult = new HashMap<>();
        for (Path image : images) {
            Path clash = byResult.put(resultName(image), image);
            if (clash != null) {
                throw new IllegalArgumentException(clash.getFileName() + " and " + image.getFileName()
                        + " would both be written as " + resultName(image) + ": rename one");
            }
        }
        return images;
    }

    /** The images whose results do not exist yet, in {@link #images()}' order. */
    public List<Path> pending() throws IOException {
        List<Path> pending = new ArrayList<>();
        for (Path image : images()) {
            if (!Files.exists(result(image))) {
                pending.add(image);
            }
        }
        return pending;
    }

    /** Where {@code image}'s result goes. */
    public Path result(Path image) {
        return output.resolve(resultName(image));
    }

    /** Records {@code image} as done and rewrites the CSV (through a temporary file, so a stop never leaves half of it). */
    public void done(Path image, long seed, double seconds, String parameters) {
        String name = image.getFileName().toString();
        rows.remove(name);
        rows.put(name, List.of(name, resultName(image), Long.toString(seed),
                String.format(Locale.ROOT, "%.2f", seconds), parameters));
        List<List<String>> records = new ArrayList<>();
        records.add(COLUMNS);
        records.addAll(rows.values());
        try {
            Path temporary = output.resolve(CSV + ".part");
            Files.writeString(temporary, Csv.write(records), StandardCharsets.UTF_8);
            Files.move(temporary, output.resolve(CSV), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resultName(Path image) {
        String name = image.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.')) + ".tif";
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled. */
    static final class Csv {
        private Csv() {}

        static String write(List<List<String>> records) {
            StringBuilder out = new StringBuilder();
            for (List<String> record : records) {
                for (int i = 0; i < record.size(); i++) {
                    String field = record.get(i);
                    if (i > 0) {
                        out.append(',');
                    }
                    if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
                        out.append('"').append(field.replace("\"", "\"\"")).append('"');
                    } else {
                        out.append(field);
                    }
                }
                out.append("\r\n");
            }
            return out.toString();
        }

        static List<List<String>> read(String text) {
            List<List<String>> records = new ArrayList<>();
            List<String> record = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    record.add(field.toString());
                    field.setLength(0);
                } else if (c == '\n') {
                    record.add(field.toString());
                    field.setLength(0);
                    records.add(record);
                    record = new ArrayList<>();
                } else if (c != '\r') {
                    field.append(c);
                }
            }
            if (field.length() > 0 || !record.isEmpty()) {
                record.add(field.toString());
                records.add(record);
            }
            return records;
        }
    }
}
