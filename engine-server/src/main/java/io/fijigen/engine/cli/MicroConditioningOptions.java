package io.fijigen.engine.cli;

import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Offset;
import io.fijigen.proto.v1.Size;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * SDXL's micro-conditioning as {@code generate} takes it, diffusers' {@code original_size},
 * {@code crops_coords_top_left}, {@code target_size} and their negative counterparts; unset parts
 * stay unset in the request, so the engine applies the defaults.
 */
final class MicroConditioningOptions {
    @Option(names = "--original-size", paramLabel = "WxH", converter = SizeConverter.class,
            description = "SDXL: the original size the UNet is told about (default: the output size)")
    Size originalSize;

    @Option(names = "--target-size", paramLabel = "WxH", converter = SizeConverter.class,
            description = "SDXL: the target size the UNet is told about (default: the output size)")
    Size targetSize;

    @Option(names = "--crop-top-left", paramLabel = "TOP,LEFT", converter = OffsetConverter.class,
            description = "SDXL: the crop's top-left corner the UNet is told about (default: 0,0)")
    Offset cropTopLeft;

    @Option(names = "--negative-original-size", paramLabel = "WxH", converter = SizeConverter.class,
            description = "SDXL: --original-size for the negative prompt (default: --original-size)")
    Size negativeOriginalSize;

    @Option(names = "--negative-target-size", paramLabel = "WxH", converter = SizeConverter.class,
            description = "SDXL: --target-size for the negative prompt (default: --target-size)")
    Size negativeTargetSize;

    @Option(names = "--negative-crop-top-left", paramLabel = "TOP,LEFT", converter = OffsetConverter.class,
            description = "SDXL: --crop-top-left for the negative prompt (default: --crop-top-left)")
    Offset negativeCropTopLeft;

    void addTo(GenerateRequest.Builder request) {
        if (originalSize != null) {
            request.setOriginalSize(originalSize);
        }
        if (targetSize != null) {
            request.setTargetSize(targetSize);
        }
        if (cropTopLeft != null) {
            request.setCropTopLeft(cropTopLeft);
        }
        if (negativeOriginalSize != null) {
            request.setNegativeOriginalSize(negativeOriginalSize);
        }
        if (negativeTargetSize != null) {
            request.setNegativeTargetSize(negativeTargetSize);
        }
        if (negativeCropTopLeft != null) {
            request.setNegativeCropTopLeft(negativeCropTopLeft);
        }
    }

    /** Two whole numbers separated by {@code separator} ("1024x768", "16,32"); the engine checks their range. */
    private static int[] pair(String value, String separator, String form) {
        String[] parts = value.split(separator, -1);
        try {
            if (parts.length == 2) {
                return new int[] {Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip())};
            }
        } catch (NumberFormatException e) {
            // Said below, with the form expected.
        }
        throw new TypeConversionException("'" + value + "' is not " + form);
    }

    static final class SizeConverter implements ITypeConverter<Size> {
        @Override
        public Size convert(String value) {
            int[] pair = pair(value, "[xX]", "WIDTHxHEIGHT, e.g. 1024x768");
            return Size.newBuilder().setWidth(pair[0]).setHeight(pair[1]).build();
        }
    }

    static final class OffsetConverter implements ITypeConverter<Offset> {
        @Override
        public Offset convert(String value) {
            int[] pair = pair(value, ",", "TOP,LEFT, e.g. 0,64");
            return Offset.newBuilder().setTop(pair[0]).setLeft(pair[1]).build();
        }
    }
}
