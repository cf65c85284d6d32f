package io.hearth.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondHolderIsRefusedWithAnExplanation() throws Exception {
        DataDir data = DataDir.prepare(dir.resolve("data"));
        try (DataDirLock first = DataDirLock.acquire(data)) {
            assertThatThrownBy(() -> DataDirLock.acquire(data))
                    .isInstanceOf(DataDirInUseException.class)
                    .hasMessageContaining("is in use by another Hearth hub")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid())
                    .hasMessageContaining("--data-dir");
        }
        try (DataDirLock again = DataDirLock.acquire(data)) {
            assertThat(Files.readString(data.lockFile())).startsWith("pid ");
        }
    }

    @Test
    void aNewDataDirIsPrivateToItsOwner() throws Exception {
        DataDir data = DataDir.prepare(dir.resolve("a/b/data"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.root()))).isEqualTo("rwx------");
    }

    @Test
    void anExistingDataDirIsMadePrivate() throws Exception {
        Path existing = Files.createDirectories(dir.resolve("made-by-hand"));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxr-xr-x"));
        DataDir.prepare(existing);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(existing))).isEqualTo("rwx------");
    }

    @Test
    void aFileWhereTheDataDirShouldBeIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("occupied"), "x");
        assertThatThrownBy(() -> DataDir.prepare(file)).hasMessageContaining("not a directory");
    }
}
