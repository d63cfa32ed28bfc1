package io.fraudcep.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.alert.Alert;
import io.fraudcep.alert.Fact;
import io.fraudcep.alert.Severity;
import io.fraudcep.enrich.EnrichedEvent;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every type that crosses an operator uses Flink's POJO serializer or a hand-written one, no Kryo:
 * events have their own ({@code UserEventSerializerTest}), and so has the per-user state ({@code
 * UserStateSerializerTest}).
 */
class FlinkSerializationTest {

    private static final Instant T = Instant.parse("2026-03-01T12:00:00.123456789Z");

    @ParameterizedTest
    @ValueSource(classes = {EnrichedEvent.class, Alert.class, Fact.class})
    void isAPojoWithoutGenericFields(Class<?> type) {
        TypeInformation<?> info = TypeInformation.of(type);

        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        // Throws if any field would fall back to Kryo.
        assertThat(info.createSerializer(config)).isNotNull();
    }

    @Test
    void roundTripsAnEnrichedEventExactly() throws Exception {
        UserEvent event =
                UserEvent.builder("e1", "u1", EventType.LOGIN_SUCCESS, T)
                        .deviceId("d1")
                        .coordinates(48.85, 2.35)
                        .build();
        EnrichedEvent enriched = new EnrichedEvent(event, true, T.minusSeconds(5), 7);

        assertThat(roundTrip(enriched, EnrichedEvent.class)).isEqualTo(enriched);
    }

    @Test
    void roundTripsAnAlertWithTypedEvidence() throws Exception {
        Alert alert =
                new Alert(
                        "id",
                        "VELOCITY",
                        "1-abc",
                        Severity.MEDIUM,
                        "u1",
                        T.minusSeconds(60),
                        T,
                        List.of("a", "b"),
                        "summary",
                        List.of(Fact.money("total", 123456), Fact.integer("count", 10)));

        assertThat(roundTrip(alert, Alert.class)).isEqualTo(alert);
    }

    private static <T> T roundTrip(T value, Class<T> type) throws Exception {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<T> serializer = TypeInformation.of(type).createSerializer(config);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
