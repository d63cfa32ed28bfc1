package io.fraudcep.jobs.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fraudcep.jobs.options.UsageException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import org.junit.jupiter.api.Test;

/** {@code bin/fraud detect} takes its own {@code --bind-address} and leaves the rest to the job. */
class LocalDetectTest {

    @Test
    void bindsToLoopbackWhenNotToldOtherwise() {
        LocalDetect.Split s = LocalDetect.split(new String[] {"--bootstrap-servers", "b:9092"});

        assertThat(s.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(s.stateBackend()).isEqualTo(StateBackendProfile.HASHMAP);
        assertThat(s.jobArgs()).containsExactly("--bootstrap-servers", "b:9092");
    }

    @Test
    void takesTheBindAddressOutOfTheJobArguments() {
        LocalDetect.Split spaced =
                LocalDetect.split(
                        new String[] {
                            "--bootstrap-servers",
                            "b:9092",
                            "--bind-address",
                            "0.0.0.0",
                            "--group-id",
                            "g"
                        });
        LocalDetect.Split joined =
                LocalDetect.split(new String[] {"--bind-address=::1", "--bootstrap-servers=b:1"});

        assertThat(spaced.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(spaced.jobArgs())
                .containsExactly("--bootstrap-servers", "b:9092", "--group-id", "g");
        assertThat(joined.bindAddress()).isEqualTo("::1");
        assertThat(joined.jobArgs()).containsExactly("--bootstrap-servers=b:1");
    }

    @Test
    void takesTheStateBackendOutOfTheJobArguments() {
        LocalDetect.Split spaced =
                LocalDetect.split(
                        new String[] {
                            "--bootstrap-servers",
                            "b:9092",
                            "--state-backend",
                            "rocksdb",
                            "--group-id",
                            "g"
                        });
        LocalDetect.Split joined =
                LocalDetect.split(
                        new String[] {
                            "--state-backend=RocksDB",
                            "--bind-address=::1",
                            "--bootstrap-servers=b:1"
                        });

        assertThat(spaced.stateBackend()).isEqualTo(StateBackendProfile.ROCKSDB);
        assertThat(spaced.jobArgs())
                .containsExactly("--bootstrap-servers", "b:9092", "--group-id", "g");
        assertThat(joined.stateBackend()).isEqualTo(StateBackendProfile.ROCKSDB);
        assertThat(joined.bindAddress()).isEqualTo("::1");
        assertThat(joined.jobArgs()).containsExactly("--bootstrap-servers=b:1");
    }

    @Test
    void rejectsAnUnknownStateBackendNamingTheOption() {
        assertThatThrownBy(() -> LocalDetect.split(new String[] {"--state-backend", "memory"}))
                .isInstanceOf(UsageException.class)
                .hasMessage("--state-backend: must be one of hashmap|rocksdb, not 'memory'");
        assertThatThrownBy(() -> LocalDetect.split(new String[] {"--state-backend"}))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--state-backend");
    }

    @Test
    void rejectsAMissingOrForeignAddressNamingTheOption() throws Exception {
        // TEST-NET-2: documentation only, on no interface of a normal machine.
        String foreign = "198.51.100.7";
        assumeTrue(NetworkInterface.getByInetAddress(InetAddress.getByName(foreign)) == null);
        assertThatThrownBy(() -> LocalDetect.split(new String[] {"--bind-address"}))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--bind-address");
        assertThatThrownBy(() -> LocalDetect.split(new String[] {"--bind-address", foreign}))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--bind-address")
                .hasMessageContaining("not an address of this machine");
        assertThatThrownBy(
                        () ->
                                LocalDetect.split(
                                        new String[] {
                                            "--bind-address", "127.0.0.1", "--bind-address", "::1"
                                        }))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("given twice");
    }
}
