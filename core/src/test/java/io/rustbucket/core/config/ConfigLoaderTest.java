package io.rustbucket.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustbucket.core.config.ConfigLoader.EnvOverride;
import io.rustbucket.core.store.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    record Root(PlatformSettings platform, StoreConfig store) {
        Root {
            platform = platform == null ? PlatformSettings.defaults() : platform;
            store = store == null ? StoreConfig.defaults() : store;
        }
    }

    static final List<EnvOverride> ENV =
            List.of(new EnvOverride("RB_PORT", "platform.port"), new EnvOverride("RB_KIND", "store.kind"));

    @TempDir
    Path dir;

    private Path toml(String text) throws Exception {
        return Files.writeString(dir.resolve("rustbucket.toml"), text);
    }

    private Root load(Optional<Path> file, Map<String, String> env, Map<String, String> sets) {
        return ConfigLoader.load(Root.class, file, env, ENV, sets);
    }

    @Test
    void defaultsApplyWithoutAFile() {
        Root r = load(Optional.empty(), Map.of(), Map.of());
        assertThat(r.platform().port()).isEqualTo(9080);
        assertThat(r.platform().host()).isEqualTo("127.0.0.1");
        assertThat(r.store().kind()).isEqualTo(StoreConfig.Kind.FOLDER);
    }

    @Test
    void environmentBeatsFileAndFlagsBeatEnvironment() throws Exception {
        Path f = toml("[platform]\nport = 1000\n");
        assertThat(load(Optional.of(f), Map.of(), Map.of()).platform().port()).isEqualTo(1000);
        assertThat(load(Optional.of(f), Map.of("RB_PORT", "2000"), Map.of())
                        .platform()
                        .port())
                .isEqualTo(2000);
        assertThat(load(Optional.of(f), Map.of("RB_PORT", "2000"), Map.of("platform.port", "3000"))
                        .platform()
                        .port())
                .isEqualTo(3000);
    }

    @Test
    void enumsAreCaseInsensitive() {
        assertThat(load(Optional.empty(), Map.of("RB_KIND", "S3"), Map.of("store.s3.bucket", "b"))
                        .store()
                        .kind())
                .isEqualTo(StoreConfig.Kind.S3);
    }

    @Test
    void unknownKeyNamesFileKeyAndAllowedKeys() throws Exception {
        Path f = toml("[platform]\nprot = 1\n");
        assertThatThrownBy(() -> load(Optional.of(f), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(f + ": unknown key 'platform.prot' (allowed here: data_dir, host, port, public_url)");
    }

    @Test
    void unknownTableIsRefused() throws Exception {
        Path f = toml("[plattform]\nport = 1\n");
        assertThatThrownBy(() -> load(Optional.of(f), Map.of(), Map.of()))
                .hasMessageContaining("unknown key 'plattform'");
    }

    @Test
    void wrongTypeNamesKeyAndExpectation() throws Exception {
        Path f = toml("[platform]\nport = \"abc\"\n");
        assertThatThrownBy(() -> load(Optional.of(f), Map.of(), Map.of()))
                .hasMessage(f + ": platform.port = \"abc\": expected an integer");
    }

    @Test
    void invalidValueNamesItsSourceVariable() {
        assertThatThrownBy(() -> load(Optional.empty(), Map.of("RB_PORT", "70000"), Map.of()))
                .hasMessage("environment RB_PORT: platform.port = 70000: expected a port 0..65535 (0 = any free port)");
    }

    @Test
    void crossFieldRuleIsChecked() {
        assertThatThrownBy(() -> load(Optional.empty(), Map.of("RB_KIND", "s3"), Map.of()))
                .hasMessageContaining("store.s3.bucket")
                .hasMessageContaining("when store.kind = s3");
    }

    @Test
    void badEnumValueListsTheChoices() {
        assertThatThrownBy(() -> load(Optional.empty(), Map.of("RB_KIND", "ftp"), Map.of()))
                .hasMessageContaining("store.kind = \"ftp\": expected one of folder, s3");
    }

    @Test
    void tomlSyntaxErrorNamesLineAndColumn() throws Exception {
        Path f = toml("[platform]\nport = = 3\n");
        assertThatThrownBy(() -> load(Optional.of(f), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(f + " (line 2")
                .hasMessageContaining("not valid TOML");
    }

    @Test
    void missingFileIsOneClearLine() {
        Path f = dir.resolve("absent.toml");
        assertThatThrownBy(() -> load(Optional.of(f), Map.of(), Map.of()))
                .hasMessage("cannot read configuration file " + f + ": no such file");
    }

    @Test
    void secretsNeverAppearInToString() {
        StoreConfig.S3 s3 = new StoreConfig.S3("b", null, null, null, null, "AKIA", "very-secret", null, null);
        assertThat(s3.toString()).doesNotContain("very-secret");
    }
}
