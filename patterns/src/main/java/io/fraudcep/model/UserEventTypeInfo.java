package io.fraudcep.model;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink's type information of {@link UserEvent}, registered on the record with {@code @TypeInfo}:
 * every {@code TypeInformation.of(UserEvent.class)}, {@code returns(...)}, output tag and POJO
 * field of type {@code UserEvent} gets {@link UserEventSerializer} instead of the record
 * serializer. An atomic type: events are not keys and have no field expressions.
 */
public final class UserEventTypeInfo extends TypeInformation<UserEvent> {

    private static final long serialVersionUID = 1L;

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<UserEvent> getTypeClass() {
        return UserEvent.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<UserEvent> createSerializer(SerializerConfig config) {
        return new UserEventSerializer();
    }

    @Override
    public String toString() {
        return "UserEvent(" + UserEventSerializer.class.getSimpleName() + ")";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof UserEventTypeInfo;
    }

    @Override
    public int hashCode() {
        return UserEventTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof UserEventTypeInfo;
    }

    /** The factory {@code @TypeInfo} names on {@link UserEvent}. */
    public static final class Factory extends TypeInfoFactory<UserEvent> {
        @Override
        public TypeInformation<UserEvent> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new UserEventTypeInfo();
        }
    }
}
