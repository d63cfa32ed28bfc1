package io.fraudcep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.jobs.backtest.ReplayInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Secret client properties never appear in the printed form of the settings that hold them. */
class KafkaSettingsRedactionTest {

    private static final String JAAS_PASSWORD = "jaas-pw-7f3a9c";
    private static final String KEY_PASSWORD = "key-pw-81be02";
    private static final String KEYSTORE_PASSWORD = "keystore-pw-c4d5e6";
    private static final String TRUSTSTORE_PASSWORD = "truststore-pw-0a1b2c";
    private static final String OAUTH_SECRET = "oauth-secret-99ff00";
    private static final String REGISTRY_USER_INFO = "registry-user:registry-pw-5e5e5e";
    private static final List<String> SECRETS =
            List.of(
                    JAAS_PASSWORD,
                    KEY_PASSWORD,
                    KEYSTORE_PASSWORD,
                    TRUSTSTORE_PASSWORD,
                    OAUTH_SECRET,
                    REGISTRY_USER_INFO);

    @TempDir Path dir;
    private Path propertiesFile;

    @BeforeEach
    void writeClientProperties() throws IOException {
        propertiesFile = dir.resolve("client.properties");
        Files.writeString(
                propertiesFile,
                String.join(
                        "\n",
                        "security.protocol=SASL_SSL",
                        "sasl.mechanism=PLAIN",
                        "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                                + " required username=\"fraud\" password=\""
                                + JAAS_PASSWORD
                                + "\";",
                        "ssl.key.password=" + KEY_PASSWORD,
                        "ssl.keystore.location=/etc/fraud/keystore.p12",
                        "ssl.keystore.password=" + KEYSTORE_PASSWORD,
                        "ssl.truststore.password=" + TRUSTSTORE_PASSWORD,
                        "sasl.oauthbearer.client.credentials.client.secret=" + OAUTH_SECRET,
                        "basic.auth.user.info=" + REGISTRY_USER_INFO,
                        "key.serializer=org.apache.kafka.common.serialization.StringSerializer",
                        ""));
    }

    @Test
    void toStringHidesTheJaasPasswordAndEverySslPassword() {
        KafkaSettings kafka =
                DetectionJob.Config.parse(
                                "--bootstrap-servers",
                                "broker:9093",
                                "--kafka-properties",
                                propertiesFile.toString())
                        .kafka();
        assertThat(kafka.clientProperties().getProperty("sasl.jaas.config"))
                .as("the client still gets the real value")
                .contains(JAAS_PASSWORD);

        String printed = kafka.toString();

        assertNoSecretIn(printed);
        assertThat(printed)
                .contains("sasl.jaas.config=" + KafkaSettings.REDACTED)
                .contains("ssl.key.password=" + KafkaSettings.REDACTED)
                .contains("ssl.keystore.password=" + KafkaSettings.REDACTED)
                .contains("ssl.truststore.password=" + KafkaSettings.REDACTED)
                .contains("security.protocol=SASL_SSL")
                .contains("sasl.mechanism=PLAIN")
                .contains("ssl.keystore.location=/etc/fraud/keystore.p12")
                .contains("key.serializer=org.apache.kafka.common.serialization.StringSerializer")
                .contains("bootstrapServers=broker:9093");
    }

    @Test
    void jobConfigurationsThatHoldTheSettingsHideTheSecretsToo() {
        String detection =
                DetectionJob.Config.parse(
                                "--bootstrap-servers",
                                "broker:9093",
                                "--kafka-properties",
                                propertiesFile.toString())
                        .toString();
        BacktestJob.Config backtest =
                BacktestJob.Config.parse(
                        "--bootstrap-servers", "broker:9093",
                        "--kafka-properties", propertiesFile.toString(),
                        "--alerts-topic", "backtest-alerts");

        assertNoSecretIn(detection);
        assertNoSecretIn(backtest.toString());
        assertNoSecretIn(((ReplayInput.Kafka) backtest.input()).toString());
        assertThat(backtest.toString()).contains("sasl.jaas.config=" + KafkaSettings.REDACTED);
    }

    @Test
    void propertiesSetInCodeAreRedactedAsWell() {
        Properties props = new Properties();
        props.setProperty("sasl.jaas.config", "... password=\"" + JAAS_PASSWORD + "\";");
        props.setProperty("ssl.keystore.key", "-----BEGIN PRIVATE KEY----- abc");
        KafkaSettings kafka =
                new KafkaSettings("b:1", "l", "t", "a", "alerts", "shadow", "dead", "late", props);

        assertThat(kafka.toString())
                .doesNotContain(JAAS_PASSWORD)
                .doesNotContain("PRIVATE KEY")
                .contains("ssl.keystore.key=" + KafkaSettings.REDACTED);
        assertThat(KafkaSettings.redacted(props))
                .containsOnlyKeys("sasl.jaas.config", "ssl.keystore.key")
                .allSatisfy((k, v) -> assertThat(v).isEqualTo(KafkaSettings.REDACTED));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "sasl.jaas.config",
                "ssl.key.password",
                "ssl.keystore.password",
                "ssl.truststore.password",
                "ssl.keystore.key",
                "ssl.keystore.certificate.chain",
                "sasl.oauthbearer.client.credentials.client.secret",
                "sasl.oauthbearer.assertion.private.key.passphrase",
                "listener.name.sasl_ssl.plain.sasl.jaas.config",
                "schema.registry.ssl.key.password",
                "basic.auth.user.info",
                "bearer.auth.token",
                "api.key",
                "my.apikey",
                "SASL.JAAS.CONFIG",
                "db_pwd"
            })
    void secretNames(String name) {
        assertThat(KafkaSettings.isSecret(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "bootstrap.servers",
                "security.protocol",
                "sasl.mechanism",
                "key.serializer",
                "key.deserializer",
                "value.serializer",
                "ssl.keystore.location",
                "ssl.keystore.type",
                "ssl.keymanager.algorithm",
                "ssl.endpoint.identification.algorithm",
                "group.id",
                "linger.ms",
                "transaction.timeout.ms"
            })
    void ordinaryNames(String name) {
        assertThat(KafkaSettings.isSecret(name)).isFalse();
    }

    private static void assertNoSecretIn(String printed) {
        for (String secret : SECRETS) {
            assertThat(printed).doesNotContain(secret);
        }
        // Not even a part of the JAAS line that could carry one.
        assertThat(printed).doesNotContain("PlainLoginModule").doesNotContain("password=\"");
    }
}
