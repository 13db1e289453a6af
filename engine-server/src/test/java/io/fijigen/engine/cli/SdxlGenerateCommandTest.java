package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyCheckpoints;
import io.fijigen.engine.weights.StateDict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fijigen generate} on the tiny SDXL models through the CLI contract, one run per
 * pipeline kind, each reproducing its {@code xlpipe.*} reference (images within 1e-3).
 */
class SdxlGenerateCommandTest {
    private static final String GOLDENS = ParityFixtures.ROOT.resolve("goldens-xl.safetensors").toString();

    @TempDir
    Path dir;

    /** The fixture settings on {@code model}; {@code more} adds or overrides options. */
    private static List<String> contract(String model, String... more) {
        List<String> args = new ArrayList<>(List.of("generate",
                "--model", ParityFixtures.model(model).toString(),
                "--prompt", "A cyberpunk city, neon lights",
                "--steps", "5", "--guidance", "5", "--width", "128", "--height", "128",
                "--device", "cpu", "--dtype", "fp32"));
        args.addAll(List.of(more));
        return args;
    }

    /** Runs the command with --out and --out-tensor added; returns the images it wrote. */
    private NDArray run(ParityFixtures.Session session, List<String> args) throws Exception {
        Path tensor = dir.resolve("images-" + System.nanoTime() + ".safetensors");
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--out", dir.resolve("out.png").toString(), "--out-tensor", tensor.toString()));
        CliRun run = CliRun.of(all.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        try (StateDict written = StateDict.open(List.of(tensor), session.manager, DataType.FLOAT32)) {
            NDArray images = written.get("images");
            images.detach();
            return images;
        }
    }

    private void assertReproduces(String fixture, List<String> args) throws Exception {
        try (ParityFixtures.Session session = new ParityFixtures.Session()) {
            ParityFixtures.assertClose("cli " + fixture, run(session, args), session.golden(fixture), 1e-3);
        }
    }

    @Test
    void txt2img() throws Exception {
        assertReproduces("xlpipe.txt2img.euler", contract("tiny-sdxl", "--negative-prompt", "blurry",
                "--latents", GOLDENS + "#xl.latents"));
    }

    /** No --negative-prompt: zeros; --negative-prompt "": the empty prompt, encoded. */
    @Test
    void negativePromptNotGivenAndEmpty() throws Exception {
        assertReproduces("xlpipe.txt2img.euler.neg_none", contract("tiny-sdxl", "--latents", GOLDENS + "#xl.latents"));
        assertReproduces("xlpipe.txt2img.euler.neg_empty", contract("tiny-sdxl", "--negative-prompt", "",
                "--latents", GOLDENS + "#xl.latents"));
    }

    @Test
    void schedulers() throws Exception {
        assertReproduces("xlpipe.txt2img.ddim", contract("tiny-sdxl", "--negative-prompt", "blurry",
                "--scheduler", "ddim", "--latents", GOLDENS + "#xl.latents"));
        assertReproduces("xlpipe.txt2img.dpmpp2m_karras", contract("tiny-sdxl", "--negative-prompt", "blurry",
                "--scheduler", "dpmpp_2m_karras", "--latents", GOLDENS + "#xl.latents"));
    }

    @Test
    void img2img() throws Exception {
        assertReproduces("xlpipe.img2img.euler.s06.seed3", contract("tiny-sdxl", "--negative-prompt", "blurry",
                "--init-image", GOLDENS + "#xl.init_image", "--strength", "0.6", "--seed", "3"));
    }

    @Test
    void inpaintingWithTheNineChannelModel() throws Exception {
        assertReproduces("xlpipe.inpaint9.euler.seed4", contract("tiny-sdxl-inpaint", "--negative-prompt", "blurry",
                "--init-image", GOLDENS + "#xl.init_image", "--strength", "1", "--seed", "4",
                "--mask", GOLDENS + "#xl.mask", "--no-paste-back", "--latents", GOLDENS + "#xl.latents"));
    }

    @Test
    void controlNet() throws Exception {
        assertReproduces("xlpipe.controlnet.euler.s08", contract("tiny-sdxl", "--negative-prompt", "blurry",
                "--latents", GOLDENS + "#xl.latents",
                "--controlnet", ParityFixtures.model("tiny-controlnet-sdxl").toString(),
                "--control-image", ParityFixtures.ROOT.resolve("goldens.safetensors") + "#canny.input_rgb_u8", "--canny", "100,200",
                "--controlnet-scale", "0.8"));
    }

    /** The single file written by the reference's conversion script, with a sidecar and the tokenizers beside it. */
    @Test
    void singleFileCheckpoint() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("single"));
        Path file = Files.copy(ParityFixtures.model("tiny-sdxl.safetensors"), folder.resolve("tiny-sdxl.safetensors"));
        Files.writeString(folder.resolve("tiny-sdxl.yaml"), TinyCheckpoints.SDXL_YAML);
        for (String tokenizer : new String[] {"tokenizer", "tokenizer_2"}) {
            TinyCheckpoints.copyFolder(ParityFixtures.model("tiny-sdxl").resolve(tokenizer), folder.resolve(tokenizer));
        }
        List<String> args = contract("tiny-sdxl", "--negative-prompt", "blurry", "--latents", GOLDENS + "#xl.latents");
        args.set(args.indexOf("--model") + 1, file.toString());
        assertReproduces("xlpipe.txt2img.euler", args);
    }

    /** --lora reaches all three networks: at weight 0 the fixture is reproduced, at 0.75 the image moves. */
    @Test
    void kohyaLora() throws Exception {
        String lora = ParityFixtures.model("tiny-lora-sdxl-kohya.safetensors").toString();
        assertReproduces("xlpipe.txt2img.euler", contract("tiny-sdxl", "--negative-prompt", "blurry",
                "--latents", GOLDENS + "#xl.latents", "--lora", lora + ":0"));
        try (ParityFixtures.Session session = new ParityFixtures.Session()) {
            NDArray merged = run(session, contract("tiny-sdxl", "--negative-prompt", "blurry",
                    "--latents", GOLDENS + "#xl.latents", "--lora", lora + ":0.75"));
            double moved = ParityFixtures.maxAbs(merged.sub(session.golden("xlpipe.txt2img.euler")));
            System.out.printf("the SDXL LoRA at 0.75 moves the image by max |diff| %.3e%n", moved);
            assertThat(moved).isGreaterThan(1e-3);
        }
    }

    /** An SD 1.5 LoRA on SDXL: refused at admission, one error line naming both families, no image. */
    @Test
    void aLoraOfTheOtherFamilyIsRefused() {
        List<String> args = contract("tiny-sdxl", "--lora",
                ParityFixtures.model("tiny-lora-kohya.safetensors") + ":1", "--out", dir.resolve("x.png").toString());
        CliRun run = CliRun.of(args.toArray(String[]::new));
        System.out.println("SD LoRA on SDXL: " + run.err().strip());
        assertThat(run.exitCode()).isEqualTo(ErrorLine.FAILED);
        assertThat(run.err().strip()).isEqualTo("error: loras[0].id: LoRA 'tiny-lora-kohya' is made for sd models,"
                + " not for model 'tiny-sdxl' (sdxl): choose a LoRA made for sdxl");
        assertThat(Files.exists(dir.resolve("x.png"))).isFalse();
    }

    /**
     * The micro-conditioning options reach the UNet: their defaults given explicitly reproduce the
     * fixture, and other sizes change the image.
     */
    @Test
    void microConditioning() throws Exception {
        assertReproduces("xlpipe.txt2img.euler", contract("tiny-sdxl", "--negative-prompt", "blurry",
                "--latents", GOLDENS + "#xl.latents", "--original-size", "128x128", "--target-size", "128x128",
                "--crop-top-left", "0,0"));
        try (ParityFixtures.Session session = new ParityFixtures.Session()) {
            NDArray other = run(session, contract("tiny-sdxl", "--negative-prompt", "blurry",
                    "--latents", GOLDENS + "#xl.latents", "--original-size", "192x256", "--target-size", "112x96",
                    "--crop-top-left", "16,32"));
            double moved = ParityFixtures.maxAbs(other.sub(session.golden("xlpipe.txt2img.euler")));
            System.out.printf("other micro-conditioning moves the image by max |diff| %.3e%n", moved);
            assertThat(moved).isGreaterThan(1e-3);
        }
    }
}
