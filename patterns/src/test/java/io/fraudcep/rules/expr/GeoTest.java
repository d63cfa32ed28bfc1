package io.fraudcep.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code distanceKm} (haversine, R = 6371.0 km) and {@code speedKmh}. */
class GeoTest {

    @Test
    void distanceIsTheGreatCircleOnASphereOf6371Km() {
        assertThat(Geo.distanceKm(0, 0, 90, 0)).isCloseTo(Math.PI / 2 * 6371.0, within(1e-9));
        assertThat(Geo.distanceKm(0, 0, 0, 180)).isCloseTo(Math.PI * 6371.0, within(1e-9));
        assertThat(Geo.distanceKm(48.8566, 2.3522, 48.8566, 2.3522)).isZero();
        assertThat(Geo.distanceKm(48.8566, 2.3522, 40.7128, -74.0060))
                .isCloseTo(5837.24, within(0.01))
                .isEqualTo(Geo.distanceKm(40.7128, -74.0060, 48.8566, 2.3522));
    }

    @Test
    void speedIsDistanceOverTheExactGap() {
        assertThat(Geo.speedKmh(500, Duration.ofMinutes(30))).isEqualTo(1000.0);
        assertThat(Geo.speedKmh(500, Duration.ofMinutes(-30))).isEqualTo(1000.0);
        assertThat(Geo.speedKmh(1, Duration.ofNanos(3_600_000_000_000L - 1))).isGreaterThan(1.0);
    }

    @Test
    void aZeroGapIsInfinitelyFast() {
        assertThat(Geo.speedKmh(500, Duration.ZERO)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Geo.speedKmh(0, Duration.ZERO)).isEqualTo(Double.POSITIVE_INFINITY);
    }
}
