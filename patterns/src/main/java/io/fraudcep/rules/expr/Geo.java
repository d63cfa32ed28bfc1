package io.fraudcep.rules.expr;

import java.time.Duration;

/**
 * The language's geographic functions: {@code distanceKm(a, b)}, the haversine great-circle
 * distance on a sphere of radius 6371.0 km, and {@code speedKmh(a, b)}, that distance over the
 * exact time between the two events.
 */
final class Geo {

    static final double EARTH_RADIUS_KM = 6371.0;
    private static final double NANOS_PER_HOUR = 3600e9;

    private Geo() {}

    /** Great-circle distance in km between two points given in degrees. */
    static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
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

    /**
     * Speed in km/h of covering {@code km} in {@code gap} (its sign ignored): positive infinity for
     * a zero gap.
     */
    static double speedKmh(double km, Duration gap) {
        long nanos = gap.abs().toNanos();
        return nanos == 0 ? Double.POSITIVE_INFINITY : km / (nanos / NANOS_PER_HOUR);
    }
}
