package io.fijigen.engine.server;

import io.fijigen.engine.pipeline.FieldRange;
import io.fijigen.engine.pipeline.InvalidRequestException;
import io.fijigen.engine.pipeline.RequestField;
import io.fijigen.engine.text.LoraTags;
import io.fijigen.engine.weights.LoraWeight;
import io.fijigen.proto.v1.Lora;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The LoRAs of a generate request, off the wire: its {@code loras} field, then the
 * {@code <lora:id:weight>} tags of its prompt, each a registered LORA model named once and made for
 * the model's family, and the prompt without the tags.
 */
record RequestLoras(String prompt, List<LoraWeight> loras) {
    static RequestLoras of(ModelCatalogue catalogue, ModelEntry model, String prompt, List<Lora> wire)
            throws IOException {
        LoraTags.Parsed parsed;
        try {
            parsed = LoraTags.parse(prompt);
        } catch (IllegalArgumentException e) {
            throw RequestTranslator.invalid("prompt", e.getMessage());
        }
        int count = wire.size() + parsed.tags().size();
        if (!RequestField.LORAS.range().contains(count)) {
            throw RequestTranslator.invalid("loras", count + " LoRAs (loras and the prompt's <lora:…> tags together),"
                    + " more than " + FieldRange.number(RequestField.LORAS.range().max()));
        }
        List<LoraWeight> loras = new ArrayList<>();
        Map<String, String> namedBy = new HashMap<>();
        for (int i = 0; i < wire.size(); i++) {
            String field = "loras[" + i + "]";
            Lora lora = wire.get(i);
            double weight = weight(field + ".weight", lora.hasWeight() ? lora.getWeight()
                    : RequestField.LORA_WEIGHT.defaultValue());
            loras.add(LoraWeight.of(lora.getId(), file(catalogue, model, field + ".id", lora.getId(), namedBy),
                    weight));
        }
        for (LoraTags.Tag tag : parsed.tags()) {
            String field = "prompt: " + tag.text();
            loras.add(new LoraWeight(tag.name(), file(catalogue, model, field, tag.name(), namedBy),
                    weight(field, tag.textEncoderWeight()), weight(field, tag.unetWeight())));
        }
        return new RequestLoras(parsed.prompt(), List.copyOf(loras));
    }

    private static Path file(ModelCatalogue catalogue, ModelEntry model, String field, String id,
            Map<String, String> namedBy) throws IOException {
        RequestTranslator.model(catalogue, field, id);
        String earlier = namedBy.putIfAbsent(id, field);
        if (earlier != null) {
            throw RequestTranslator.invalid(field, "LoRA '" + id + "' is already given by " + earlier
                    + " (name each LoRA once)");
        }
        Path file;
        try {
            file = catalogue.loraFile(id);
        } catch (InvalidRequestException e) {
            throw RequestTranslator.invalid(field, e.getMessage());
        }
        catalogue.misfit("LoRA", id, model.id()).ifPresent(problem -> {
            throw RequestTranslator.invalid(field, problem);
        });
        return file;
    }

    private static double weight(String field, double weight) {
        return RequestField.LORA_WEIGHT.check(field, weight);
    }
}
