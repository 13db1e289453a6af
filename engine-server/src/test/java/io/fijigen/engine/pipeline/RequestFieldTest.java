package io.fijigen.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The table of request defaults and limits, and {@code engine.proto}'s comments held to it: every
 * field the table governs states the table's range and default, and no field's comment states a
 * range the table does not have.
 */
class RequestFieldTest {
    private static final Path PROTO = Path.of("../proto/src/main/proto/fijigen/v1/engine.proto");
    /** A stated range: {@code 1..1000}, {@code -10..10}, {@code (0, 1]}. */
    private static final Pattern RANGE = Pattern.compile("-?\\d+(?:\\.\\d+)?\\.\\.-?\\d+(?:\\.\\d+)?(?![\\d^])"
            + "|\\(-?\\d+(?:\\.\\d+)?, -?\\d+(?:\\.\\d+)?]");
    private static final Pattern MESSAGE = Pattern.compile("^\\s*message (\\w+) \\{");
    private static final Pattern FIELD = Pattern.compile("^\\s*(?:optional |repeated )?[\\w.]+ (\\w+) = \\d+;");
    /** Fields whose range is their type's: the seed is any non-negative long (and -1). */
    private static final Set<String> RANGE_OF_THE_TYPE = Set.of("GenerateRequest.seed", "UpscaleRequest.seed");

    private static Map<String, String> comments;

    @BeforeAll
    static void readProto() throws IOException {
        comments = fieldComments(Files.readAllLines(PROTO));
    }

    @Test
    void everyGovernedFieldStatesTheTablesRangeAndDefault() {
        for (RequestField field : RequestField.values()) {
            for (String protoField : field.protoFields()) {
                String comment = comments.get(protoField);
                assertThat(comment).as(field + ": the comment of " + protoField).isNotNull();
                if (field.range() != null) {
                    assertThat(ranges(comment)).as(field + ": ranges stated for " + protoField)
                            .containsExactly(field.range().text());
                }
                if (field.defaultText() != null) {
                    assertThat(comment).as(field + ": the default stated for " + protoField)
                            .contains(field.defaultText());
                }
            }
        }
    }

    @Test
    void noOtherFieldStatesARange() {
        Set<String> governed = new LinkedHashSet<>();
        for (RequestField field : RequestField.values()) {
            if (field.range() != null) {
                governed.addAll(field.protoFields());
            }
        }
        comments.forEach((protoField, comment) -> {
            if (!governed.contains(protoField) && !RANGE_OF_THE_TYPE.contains(protoField)) {
                assertThat(ranges(comment)).as("a range stated for " + protoField + ", which the table does not"
                        + " govern").isEmpty();
            }
        });
    }

    /** What the test compares: a proto whose comment says another limit than the table fails. */
    @Test
    void aCommentThatDisagreesWithTheTableIsCaught() {
        List<String> changed = List.of("message GenerateRequest {", "  // Denoising steps, 1..150. 0 = the model's"
                + " default_steps (50 unless its registry entry sets another).", "  int32 steps = 5;", "}");
        assertThat(ranges(fieldComments(changed).get("GenerateRequest.steps"))).containsExactly("1..150")
                .doesNotContain(RequestField.STEPS.range().text());
    }

    @Test
    void rangesReadAsTheyAreWritten() {
        assertThat(RequestField.STEPS.range().text()).isEqualTo("1..1000");
        assertThat(RequestField.STRENGTH.range().text()).isEqualTo("(0, 1]");
        assertThat(RequestField.LORA_WEIGHT.range().text()).isEqualTo("-10..10");
        assertThat(RequestField.GUIDANCE.defaultText())
                .isEqualTo("Unset = the model's default_guidance (7.5 unless its registry entry sets another)");
        assertThat(RequestField.MASK_BLUR.defaultText()).isEqualTo("Unset = 4");
        assertThat(RequestField.NUM_IMAGES.defaultText()).isEqualTo("0 = 1");
    }

    @Test
    void checksNameTheFieldTheValueAndTheRange() {
        assertThat(RequestField.STEPS.check("steps", 1000)).isEqualTo(1000);
        assertThatThrownBy(() -> RequestField.STEPS.check("steps", 1001))
                .isInstanceOf(InvalidRequestException.class).hasMessage("steps: 1001 is outside 1..1000");
        assertThatThrownBy(() -> RequestField.SIDE.check("width", 500))
                .hasMessage("width: 500 is not a multiple of 8 (try 496 or 504)");
        assertThatThrownBy(() -> RequestField.STRENGTH.check("strength", 0.0)).hasMessage("strength: 0 is outside (0, 1]");
        assertThatThrownBy(() -> RequestField.GUIDANCE.check("guidance", Double.NaN))
                .hasMessage("guidance: NaN is outside 0..30");
        assertThatThrownBy(() -> RequestField.LORA_WEIGHT.check("loras[2].weight", 10.5))
                .hasMessage("loras[2].weight: 10.5 is outside -10..10");
        assertThat(RequestField.STRENGTH.check("strength", 1.0)).isEqualTo(1.0);
    }

    private static List<String> ranges(String comment) {
        Matcher matcher = RANGE.matcher(comment);
        return matcher.results().map(result -> result.group()).toList();
    }

    /**
     * Each field's comment (the {@code //} lines right above it) as {@code Message.field}, and the
     * file's opening comment as {@code header}.
     */
    private static Map<String, String> fieldComments(List<String> lines) {
        Map<String, String> found = new LinkedHashMap<>();
        Deque<String> messages = new ArrayDeque<>();
        StringBuilder comment = new StringBuilder();
        boolean header = true;
        for (String line : lines) {
            String text = line.strip();
            if (text.startsWith("//")) {
                comment.append(text.substring(2).strip()).append(' ');
                continue;
            }
            if (header && !comment.isEmpty()) {
                found.put("header", comment.toString());
            }
            header = false;
            Matcher message = MESSAGE.matcher(line);
            Matcher field = FIELD.matcher(line);
            if (message.find()) {
                messages.push(message.group(1));
            } else if (field.find() && !messages.isEmpty()) {
                found.put(messages.peek() + "." + field.group(1), comment.toString());
            } else if (line.equals("}") && !messages.isEmpty()) {
                // Only a top-level block closes in the first column; a oneof's fields are its message's.
                messages.pop();
            }
            comment.setLength(0);
        }
        return found;
    }
}
