package io.fraudcep.patterns;

import io.fraudcep.alert.Detection;
import io.fraudcep.alert.Fact;
import io.fraudcep.alert.Severity;
import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.enrich.GeoLogin;
import io.fraudcep.model.EventType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;

/**
 * IMPOSSIBLE_TRAVEL: two consecutive {@code LOGIN_SUCCESS} events that carry coordinates (logins
 * without coordinates are skipped), at least 500 km apart on a great circle (haversine, radius
 * 6371.0 km), with an implied speed above 1000 km/h, less than 6 h apart. A zero time gap counts as
 * infinite speed. The previous coordinate login comes from the enrichment, so the pattern keeps no
 * state.
 */
public class ImpossibleTravel implements EventFraudPattern {

    private static final long serialVersionUID = 1L;

    static final double EARTH_RADIUS_KM = 6371.0;
    private static final double NANOS_PER_HOUR = 3600e9;

    public static final PatternDefinition DEFINITION =
            new PatternDefinition(
                    "IMPOSSIBLE_TRAVEL",
                    Severity.MEDIUM,
                    Duration.ofHours(6),
                    "two consecutive LOGIN_SUCCESS with coordinates, >= minDistanceKm apart, at"
                            + " more than minSpeedKmh, less than the window apart",
                    List.of(
                            ParameterSpec.decimal(
                                    "minDistanceKm", "500.0", "great-circle distance, at least"),
                            ParameterSpec.decimal(
                                    "minSpeedKmh", "1000.0", "implied speed, more than")),
                    ImpossibleTravel::new);

    private final PatternConfig config;
    private final double minDistanceKm;
    private final double minSpeedKmh;

    public ImpossibleTravel(PatternConfig config) {
        this.config = config;
        this.minDistanceKm = config.decimal("minDistanceKm").doubleValue();
        this.minSpeedKmh = config.decimal("minSpeedKmh").doubleValue();
    }

    @Override
    public PatternConfig config() {
        return config;
    }

    @Override
    public boolean accepts(EnrichedEvent e) {
        return e.event().type() == EventType.LOGIN_SUCCESS && e.previousGeoLogin() != null;
    }

    @Override
    public Detection onEvent(EnrichedEvent e) {
        GeoLogin from = e.previousGeoLogin();
        if (from == null || !e.event().hasCoordinates()) {
            return null;
        }
        if (!Windows.lessThanApart(from.timestamp(), e.timestamp(), config.window())) {
            return null;
        }
        double km = haversineKm(from.lat(), from.lon(), e.event().lat(), e.event().lon());
        if (km < minDistanceKm) {
            return null;
        }
        long gapNanos = Duration.between(from.timestamp(), e.timestamp()).toNanos();
        double speed = gapNanos == 0 ? Double.POSITIVE_INFINITY : km / (gapNanos / NANOS_PER_HOUR);
        if (!(speed > minSpeedKmh)) {
            return null;
        }
        String speedText = Double.isInfinite(speed) ? "infinite" : round(speed) + " km/h";
        Fact speedFact =
                Double.isInfinite(speed)
                        ? Fact.text("speedKmh", "Infinity")
                        : Fact.decimal("speedKmh", round(speed));
        return new Detection(
                config.id(),
                e.userId(),
                from.timestamp(),
                e.timestamp(),
                List.of(from.eventId(), e.eventId()),
                String.format(
                        "Logins %s km apart within %s: implied speed %s.",
                        round(km), Windows.describe(Duration.ofNanos(gapNanos)), speedText),
                List.of(
                        Fact.decimal("distanceKm", round(km)),
                        speedFact,
                        Fact.integer("gapSeconds", Duration.ofNanos(gapNanos).toSeconds()),
                        Fact.text("fromDeviceId", from.deviceId()),
                        Fact.text("toDeviceId", e.event().deviceId()),
                        Fact.text("from", from.lat() + "," + from.lon()),
                        Fact.text("to", e.event().lat() + "," + e.event().lon())));
    }

    /** Great-circle distance on a sphere of radius 6371.0 km. */
    static double haversineKm(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a =
                Math.sin(dLat / 2) * Math.sin(dLat / 2)
                        + Math.cos(Math.toRadians(lat1))
                                * Math.cos(Math.toRadians(lat2))
                                * Math.sin(dLon / 2)
                                * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1.0, Math.sqrt(a)));
    }

    private static BigDecimal round(double value) {
        return BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP);
    }
}
