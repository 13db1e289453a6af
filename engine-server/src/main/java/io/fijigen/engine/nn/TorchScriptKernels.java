package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Kernels DJL has no op for, reached through a TorchScript module the engine writes itself: {@code
 * torch.scaled_dot_product_attention} (fused, and no full score matrix in memory), {@code
 * torch.group_norm} with SiLU, and GEGLU, each one JNI call instead of up to twenty. The module's
 * source is {@code kernels.py} beside this class; the archive around it is written here ({@code
 * archive()}: DJL loads any TorchScript archive with {@code JniUtils.loadModule} and runs its
 * methods with {@code IValueUtils.runMethod}), so no Python and no build step are involved. The
 * order of each method's arguments is a contract with {@code kernels.py}, which states it above
 * every method.
 *
 * <p>The module has no parameters: its methods run on whatever device their inputs are on.
 */
final class TorchScriptKernels {
    private static final String ARCHIVE = "kernels";

    private final PtSymbolBlock module;

    private TorchScriptKernels(PtSymbolBlock module) {
        this.module = module;
    }

    /** Writes and loads the module; it lives as long as {@code manager}. */
    static TorchScriptKernels load(NDManager manager) throws IOException {
        try (InputStream archive = new ByteArrayInputStream(archive())) {
            return new TorchScriptKernels(JniUtils.loadModule((PtNDManager) manager, archive, false, false));
        }
    }

    /** Multi-head SDPA on [B, S, H·D] inputs; in float32 whatever their type with {@code upcast}. */
    NDArray attention(NDArray q, NDArray k, NDArray v, int heads, NDArray mask, boolean upcast) {
        return mask == null
                ? run("attention", q, tensor(q), tensor(k), tensor(v), IValue.from((long) heads), IValue.from(upcast))
                : run("masked_attention", q, tensor(q), tensor(k), tensor(v), IValue.from((long) heads),
                        IValue.from(upcast), tensor(mask));
    }

    NDArray groupNorm(NDArray x, int groups, NDArray gamma, NDArray beta, double eps, boolean silu) {
        return run(silu ? "group_norm_silu" : "group_norm", x, tensor(x), IValue.from((long) groups), tensor(gamma),
                tensor(beta), IValue.from(eps));
    }

    NDArray geglu(NDArray x, NDArray weight, NDArray bias) {
        return run("geglu", x, tensor(x), tensor(weight), tensor(bias));
    }

    /**
     * A whole {@code ResnetBlock2D}: {@code weights} are norm1, conv1, [time_emb_proj], norm2,
     * conv2, [conv_shortcut], each weight then bias; {@code temb} null in the VAE.
     */
    NDArray resnet(NDArray x, NDArray temb, List<NDArray> weights, int groups, double eps, boolean shortcut,
            double outputScale) {
        return run("resnet", x, tensor(x), tensor(temb != null ? temb : x), tensors(weights),
                IValue.listFrom(groups, temb != null ? 1 : 0, shortcut ? 1 : 0), IValue.listFrom(eps, outputScale));
    }

    /**
     * A whole {@code Transformer2DModel} with its {@code layers} blocks: {@code weights} are norm,
     * proj_in, each block's 20 tensors ({@link BasicTransformerBlock#appendTo}), proj_out.
     */
    NDArray transformer2d(NDArray x, NDArray context, List<NDArray> weights, int groups, int heads, int layers,
            boolean linearProjection, boolean onlyCrossAttention, boolean upcast) {
        return run("transformer_2d", x, tensor(x), tensor(context), tensors(weights), IValue.listFrom(groups, heads,
                layers, linearProjection ? 1 : 0, onlyCrossAttention ? 1 : 0, upcast ? 1 : 0));
    }

    /**
     * diffusers' {@code time_proj} then {@code time_embedding}: the sinusoidal embedding of {@code
     * timesteps} [B] at {@code frequencies} [1, dim/2], cast to the weights' type, then linear,
     * SiLU, linear ({@code weights}: linear_1 then linear_2, each weight then bias).
     */
    NDArray timeEmbedding(NDArray timesteps, NDArray frequencies, List<NDArray> weights, boolean flipSinToCos) {
        return run("time_embedding", timesteps, tensor(timesteps), tensor(frequencies), tensors(weights),
                IValue.from(flipSinToCos));
    }

    /** Calls a method; the result joins the manager of {@code owner}, the activation, as an op's would. */
    private NDArray run(String method, NDArray owner, IValue... inputs) {
        try (IValue result = IValueUtils.runMethod(module, method, inputs)) {
            return result.toTensor((PtNDManager) owner.getManager());
        } finally {
            for (IValue input : inputs) {
                input.close();
            }
        }
    }

    /** One list argument for all of a block's weights: one JNI call, however many tensors. */
    private static IValue tensors(List<NDArray> arrays) {
        return IValue.listFrom(arrays.stream().map(PtNDArray.class::cast).toArray(PtNDArray[]::new));
    }

    private static IValue tensor(NDArray array) {
        return IValue.from((PtNDArray) array);
    }

    /**
     * A TorchScript archive: a stored zip holding the source, the module object pickled (protocol
     * 2: an instance of {@code __torch__.Kernels} whose state is {@code {"training": False}}), an
     * empty constants tuple, the format version and the byte order.
     */
    private static byte[] archive() throws IOException {
        byte[] source;
        try (InputStream in = TorchScriptKernels.class.getResourceAsStream("kernels.py")) {
            if (in == null) {
                throw new IOException("kernels.py is missing from the engine's classes");
            }
            source = in.readAllBytes();
        }
        ByteArrayOutputStream module = new ByteArrayOutputStream();
        module.write(new byte[] {(byte) 0x80, 2}); // PROTO 2
        module.write("c__torch__\nKernels\n".getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        module.write(new byte[] {')', (byte) 0x81, '}', '('}); // EMPTY_TUPLE NEWOBJ EMPTY_DICT MARK
        byte[] training = "training".getBytes(StandardCharsets.US_ASCII);
        module.write('X'); // BINUNICODE, 4-byte little-endian length
        module.write(new byte[] {(byte) training.length, 0, 0, 0});
        module.write(training);
        module.write(new byte[] {(byte) 0x89, 'u', 'b', '.'}); // NEWFALSE SETITEMS BUILD STOP

        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            stored(out, "version", "3\n".getBytes(StandardCharsets.US_ASCII));
            stored(out, "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            stored(out, "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            stored(out, "data.pkl", module.toByteArray());
            stored(out, "code/__torch__.py", source);
        }
        return zip.toByteArray();
    }

    /** libtorch reads archive entries in place: they must be stored, not deflated. */
    private static void stored(ZipOutputStream out, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(ARCHIVE + "/" + name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        out.putNextEntry(entry);
        out.write(data);
        out.closeEntry();
    }
}
