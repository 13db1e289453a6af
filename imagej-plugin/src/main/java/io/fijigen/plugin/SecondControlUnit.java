package io.fijigen.plugin;

/**
 * A second ControlNet unit of "ControlNet from Image...": the two guide the same generation, their
 * residuals added (as diffusers' MultiControlNet).
 *
 * @param controlNetId the engine's ControlNet model id
 * @param source where its control image comes from
 * @param scale how strongly it guides, ≥ 0
 */
public record SecondControlUnit(String controlNetId, ControlSource source, double scale) {
    public SecondControlUnit {
        if (controlNetId == null || controlNetId.isBlank()) {
            throw new IllegalArgumentException("choose the second unit's ControlNet");
        }
        if (source == null) {
            throw new IllegalArgumentException("choose the second unit's control source");
        }
        if (!(scale >= 0)) {
            throw new IllegalArgumentException("second control scale: " + scale + " must be ≥ 0");
        }
    }
}
