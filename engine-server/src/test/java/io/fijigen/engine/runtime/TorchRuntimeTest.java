package io.fijigen.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.engine.runtime.TorchRuntime.TorchUnavailableException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PYTORCH_LIBRARY_PATH is checked as DJL reads it (folders or libtorch files, separated as the
 * platform separates paths), so a path that names no libtorch is an error rather than DJL's silent
 * fall-back to the bundled CPU libtorch. Loading a broken libtorch is covered, in a process of its
 * own, by {@code LibtorchSetupTest}.
 */
class TorchRuntimeTest {
    @TempDir
    Path dir;

    @Test
    void unsetOrBlankNeedsNothing() {
        assertThatCode(() -> TorchRuntime.checkLibraryPath(null)).doesNotThrowAnyException();
        assertThatCode(() -> TorchRuntime.checkLibraryPath(" ")).doesNotThrowAnyException();
    }

    @Test
    void aFolderOrFileHoldingLibtorchIsAccepted() throws Exception {
        Path libtorch = Files.createDirectories(dir.resolve("lib")).resolve(System.mapLibraryName("torch"));
        Files.writeString(libtorch, "not read here");
        assertThatCode(() -> TorchRuntime.checkLibraryPath(libtorch.getParent().toString())).doesNotThrowAnyException();
        assertThatCode(() -> TorchRuntime.checkLibraryPath(libtorch.toString())).doesNotThrowAnyException();
        String list = dir.resolve("missing") + File.pathSeparator + libtorch.getParent();
        assertThatCode(() -> TorchRuntime.checkLibraryPath(list)).doesNotThrowAnyException();
    }

    @Test
    void aPathNamingNoLibtorchIsRefusedWithTheSetting() throws Exception {
        Files.writeString(dir.resolve("libc10.so"), "a library, but not libtorch");
        Path file = Files.writeString(dir.resolve("libtorch_cpu.so"), "neither");
        for (String path : new String[] {dir.toString(), dir.resolve("missing").toString(), file.toString()}) {
            assertThatThrownBy(() -> TorchRuntime.checkLibraryPath(path))
                    .isInstanceOf(TorchUnavailableException.class)
                    .hasMessage("PYTORCH_LIBRARY_PATH=" + path + " names no libtorch: there is no "
                            + System.mapLibraryName("torch") + " there (unset it to use the bundled CPU libtorch)");
        }
    }

    @Test
    void theEngineLoadsOnceWithItsThreadsSet() {
        assertThat(TorchRuntime.engine()).isSameAs(TorchRuntime.engine());
        assertThat(TorchRuntime.engine().getEngineName()).isEqualTo("PyTorch");
    }
}
