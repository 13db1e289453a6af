package io.fijigen.engine.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The weights of one model component (a diffusers folder like {@code unet/}, possibly sharded),
 * loaded as NDArrays on demand.
 *
 * <p>{@link #get} loads a tensor once into the manager given at open and caches it; the arrays
 * belong to that manager (closing the StateDict closes only the files). On the CPU a float32
 * tensor requested as FLOAT32, and every integer tensor, is the read-only file mapping itself:
 * never use such an array as the target of an in-place op (the JVM crashes); see
 * {@link TensorLoader}.
 *
 * <p>{@link #scope} returns a view that shares the files and the cache: {@code
 * sd.scope("down_blocks.0").get("resnets.0.conv1.weight")} reads {@code
 * down_blocks.0.resnets.0.conv1.weight}. Only the StateDict returned by {@link #open} or {@link
 * #openComponent} owns the files; {@code close()} on a scope does nothing.
 */
public final class StateDict implements AutoCloseable {

    private final Shared shared;
    private final String prefix;
    private final boolean owner;

    /** What all scopes of one opened StateDict share. */
    private static final class Shared {
        final List<SafetensorsFile> files;
        final List<Path> paths;
        final Map<String, Located> located;
        final Map<String, NDArray> cache = new HashMap<>();
        final Map<String, Parameter> parameters = new LinkedHashMap<>();
        final NDManager manager;
        final DataType floatType;
        boolean closed;

        Shared(List<SafetensorsFile> files, Map<String, Located> located, NDManager manager, DataType floatType) {
            if (floatType != DataType.FLOAT32 && floatType != DataType.FLOAT16) {
                throw new IllegalArgumentException("floatType must be FLOAT32 or FLOAT16, not " + floatType.name());
            }
            this.files = files;
            this.paths = files.stream().map(SafetensorsFile::path).toList();
            this.located = located;
            this.manager = manager;
            this.floatType = floatType;
        }
    }

    /** Where a key's tensor is: a view of a tensor in one of the files. */
    private record Located(SafetensorsFile file, TensorView view) {}

    private StateDict(Shared shared, String prefix, boolean owner) {
        this.shared = shared;
        this.prefix = prefix;
        this.owner = owner;
    }

    /**
     * Opens the given safetensors files (the shards of one component) as one StateDict.
     *
     * @param floatType FLOAT32 (CPU) or FLOAT16 (GPU): the type floating-point tensors load as
     */
    public static StateDict open(List<Path> files, NDManager manager, DataType floatType) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no safetensors files given");
        }
        List<SafetensorsFile> opened = new ArrayList<>();
        try {
            Map<String, Located> located = new LinkedHashMap<>();
            for (Path path : files) {
                SafetensorsFile file = SafetensorsFile.open(path);
                opened.add(file);
                for (String name : file.names()) {
                    Located previous = located.putIfAbsent(name, new Located(file, TensorView.of(file.info(name))));
                    if (previous != null) {
                        throw new IOException("tensor '" + name + "' is in both " + previous.file().path()
                                + " and " + path);
                    }
                }
            }
            return new StateDict(new Shared(List.copyOf(opened), located, manager, floatType), "", true);
        } catch (IOException | RuntimeException e) {
            opened.forEach(SafetensorsFile::close);
            throw e;
        }
    }

    /**
     * Opens the weights of a diffusers component folder: {@code diffusion_pytorch_model.safetensors},
     * {@code model.safetensors} or the shards a {@code *.safetensors.index.json} lists, preferring
     * full-precision files over {@code .fp16} variants.
     *
     * @throws IOException naming the folder when it holds no safetensors weights
     */
    public static StateDict openComponent(Path componentDir, NDManager manager, DataType floatType)
            throws IOException {
        return open(ComponentFiles.find(componentDir), manager, floatType);
    }

    /**
     * Opens one file under other keys: {@code views} (views of the file's tensors, by the key they
     * are read under; a single-file checkpoint's component under its diffusers names). Tensors no
     * view covers are not visible.
     */
    public static StateDict openViews(Path file, Map<String, TensorView> views, NDManager manager,
            DataType floatType) throws IOException {
        SafetensorsFile opened = SafetensorsFile.open(file);
        try {
            Map<String, Located> located = new LinkedHashMap<>();
            views.forEach((key, view) -> {
                opened.info(view.source());
                located.put(key, new Located(opened, view));
            });
            return new StateDict(new Shared(List.of(opened), located, manager, floatType), "", true);
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    /** A view in which {@code get("x")} reads {@code prefix() + "." + "x"}; scopes compose. */
    public StateDict scope(String prefix) {
        if (prefix.isEmpty() || prefix.startsWith(".") || prefix.endsWith(".")) {
            throw new IllegalArgumentException("invalid scope prefix '" + prefix + "'");
        }
        return new StateDict(shared, fullKey(prefix), false);
    }

    /**
     * The tensor at {@code prefix() + "." + key}, loaded on first use and cached.
     *
     * @throws MissingTensorException naming the full key and the file(s)
     */
    public NDArray get(String key) {
        String full = fullKey(key);
        synchronized (shared) {
            if (shared.closed) {
                throw new IllegalStateException("StateDict over " + shared.paths + " is closed");
            }
            NDArray cached = shared.cache.get(full);
            // A network may close an array it got (or its manager scope may); load it again then.
            if (cached != null && !cached.isReleased()) {
                return cached;
            }
            Located where = shared.located.get(full);
            if (where == null) {
                throw new MissingTensorException(full, shared.paths);
            }
            NDArray array = TensorLoader.load(shared.manager, where.view(), where.file().data(where.view()),
                    shared.floatType);
            shared.cache.put(full, array);
            return array;
        }
    }

    /**
     * The tensor at {@code key} as a replaceable {@link Parameter} (one per key), recorded so that
     * the network built from these weights can list what LoRAs may merge into.
     */
    public Parameter parameter(String key) {
        String full = fullKey(key);
        synchronized (shared) {
            Parameter existing = shared.parameters.get(full);
            if (existing != null) {
                return existing;
            }
            Parameter created = new Parameter(full, get(key));
            shared.parameters.put(full, created);
            return created;
        }
    }

    /** The parameters made so far under this scope, by key relative to it, in creation order. */
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> under = new LinkedHashMap<>();
        String start = prefix.isEmpty() ? "" : prefix + ".";
        synchronized (shared) {
            shared.parameters.forEach((full, parameter) -> {
                if (full.startsWith(start)) {
                    under.put(full.substring(start.length()), parameter);
                }
            });
        }
        return under;
    }

    /** The manager tensors load into: a network's own constants belong there too, to live as long as its weights. */
    public NDManager manager() {
        return shared.manager;
    }

    public boolean has(String key) {
        return shared.located.containsKey(fullKey(key));
    }

    /** The keys under this scope, relative to it, in file order. */
    public Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        String start = prefix.isEmpty() ? "" : prefix + ".";
        for (String full : shared.located.keySet()) {
            if (full.startsWith(start)) {
                keys.add(full.substring(start.length()));
            }
        }
        return keys;
    }

    /** This scope's prefix; empty for the StateDict returned by {@code open}. */
    public String prefix() {
        return prefix;
    }

    /** Header entries of the tensors under this scope (names are full keys), in file order. */
    public List<TensorInfo> infos() {
        List<TensorInfo> infos = new ArrayList<>();
        for (String key : keys()) {
            String full = fullKey(key);
            infos.add(shared.located.get(full).view().info());
        }
        return infos;
    }

    /** Closes the files if this is the StateDict that opened them; loaded arrays stay valid. */
    @Override
    public void close() {
        if (!owner) {
            return;
        }
        synchronized (shared) {
            shared.closed = true;
            shared.cache.clear();
            shared.parameters.clear();
            shared.files.forEach(SafetensorsFile::close);
        }
    }

    @Override
    public String toString() {
        return "StateDict[" + (prefix.isEmpty() ? "" : prefix + " in ") + shared.paths + "]";
    }

    private String fullKey(String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }
}
