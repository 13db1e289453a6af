/**
 * libtorch in this process. {@link io.fijigen.engine.runtime.TorchRuntime#engine()} loads it, once:
 * it checks {@code PYTORCH_LIBRARY_PATH}, turns a load failure into a {@code
 * TorchUnavailableException} whose message says what to change, then has {@code CpuThreads} set
 * libtorch's intra-op threads to the processors the JVM may use (unless {@code OMP_NUM_THREADS} is
 * set) and {@code NnpackSwitch} turn NNPACK off (its warning on every convolution, on CPUs without
 * it). Entry points call it before their first NDArray ({@code StableDiffusion.load}, {@code
 * serve}): left to itself, DJL would fall back to its bundled CPU libtorch without a word. {@link
 * io.fijigen.engine.runtime.ProcessMemory} reads this process's resident memory from {@code /proc},
 * native tensors and mapped weights included, for the server's metrics and the bench.
 */
package io.fijigen.engine.runtime;
