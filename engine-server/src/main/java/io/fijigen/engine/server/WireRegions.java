package io.fijigen.engine.server;

import io.fijigen.engine.image.Masks;
import io.fijigen.engine.pipeline.RegionPrompt;
import io.fijigen.engine.pipeline.RequestField;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Region;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A generate request's regions in the engine's terms: counted before any mask is decoded, each
 * mask's grey levels; the masks' sizes, weights and prompts are checked with the request.
 */
final class WireRegions {
    private WireRegions() {}

    static List<RegionPrompt> of(GenerateRequest wire) throws IOException {
        RequestField.REGIONS.check("regions", wire.getRegionsCount());
        List<RegionPrompt> regions = new ArrayList<>();
        for (int r = 0; r < wire.getRegionsCount(); r++) {
            Region region = wire.getRegions(r);
            String field = "regions[" + r + "]";
            double weight = RequestField.REGION_WEIGHT.check(field + ".weight",
                    region.hasWeight() ? region.getWeight() : RegionPrompt.DEFAULT_WEIGHT);
            regions.add(new RegionPrompt(Masks.greyLevels(RequestTranslator.image(field + ".mask", region.getMask(),
                    RequestField.SIDE)), RequestTranslator.prompt(field + ".prompt", region.getPrompt()), weight));
        }
        return regions;
    }
}
