package io.fraudcep.sampledata;

/**
 * Great-circle geometry on the sphere of patterns.md (radius 6371.0 km, haversine), and the cities
 * where generated users live and travel.
 */
final class Geo {

    static final double EARTH_RADIUS_KM = 6371.0;

    private Geo() {}

    /** A place: coordinates in degrees, ISO 3166-1 country, the account currency of residents. */
    record City(String name, double lat, double lon, String country, String currency) {}

    /** Cities users live in (and travel between). */
    static final City[] HOMES = {
        new City("Paris", 48.8566, 2.3522, "FR", "EUR"),
        new City("Lyon", 45.7640, 4.8357, "FR", "EUR"),
        new City("Berlin", 52.5200, 13.4050, "DE", "EUR"),
        new City("Munich", 48.1351, 11.5820, "DE", "EUR"),
        new City("Madrid", 40.4168, -3.7038, "ES", "EUR"),
        new City("Barcelona", 41.3874, 2.1686, "ES", "EUR"),
        new City("Rome", 41.9028, 12.4964, "IT", "EUR"),
        new City("Milan", 45.4642, 9.1900, "IT", "EUR"),
        new City("Amsterdam", 52.3676, 4.9041, "NL", "EUR"),
        new City("Brussels", 50.8503, 4.3517, "BE", "EUR"),
        new City("Vienna", 48.2082, 16.3738, "AT", "EUR"),
        new City("Lisbon", 38.7223, -9.1393, "PT", "EUR"),
        new City("Dublin", 53.3498, -6.2603, "IE", "EUR"),
        new City("Warsaw", 52.2297, 21.0122, "PL", "PLN"),
        new City("Prague", 50.0755, 14.4378, "CZ", "CZK"),
        new City("Stockholm", 59.3293, 18.0686, "SE", "SEK"),
        new City("London", 51.5074, -0.1278, "GB", "GBP"),
        new City("Zurich", 47.3769, 8.5417, "CH", "CHF"),
        new City("Athens", 37.9838, 23.7275, "GR", "EUR"),
        new City("Helsinki", 60.1699, 24.9384, "FI", "EUR"),
    };

    /** Further travel destinations. */
    static final City[] ABROAD = {
        new City("New York", 40.7128, -74.0060, "US", "USD"),
        new City("Tokyo", 35.6762, 139.6503, "JP", "JPY"),
        new City("Singapore", 1.3521, 103.8198, "SG", "SGD"),
        new City("Sydney", -33.8688, 151.2093, "AU", "AUD"),
        new City("Dubai", 25.2048, 55.2708, "AE", "AED"),
        new City("Sao Paulo", -23.5505, -46.6333, "BR", "BRL"),
        new City("Cape Town", -33.9249, 18.4241, "ZA", "ZAR"),
        new City("Toronto", 43.6532, -79.3832, "CA", "CAD"),
        new City("Mumbai", 19.0760, 72.8777, "IN", "INR"),
        new City("Istanbul", 41.0082, 28.9784, "TR", "TRY"),
        new City("Marrakesh", 31.6295, -7.9811, "MA", "MAD"),
    };

    /** Haversine distance in km, as patterns.md defines it. */
    static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
        double p1 = Math.toRadians(lat1);
        double p2 = Math.toRadians(lat2);
        double dp = Math.toRadians(lat2 - lat1);
        double dl = Math.toRadians(lon2 - lon1);
        double a =
                Math.sin(dp / 2) * Math.sin(dp / 2)
                        + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * EARTH_RADIUS_KM * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
    }

    /**
     * The point at {@code distanceKm} from a start point along the initial {@code bearingDeg},
     * rounded to 4 decimals as the generator writes coordinates; {@code null} if it would leave
     * latitudes -80..80 (kept away from the poles so rounding stays small).
     */
    static double[] destination(double lat, double lon, double bearingDeg, double distanceKm) {
        double d = distanceKm / EARTH_RADIUS_KM;
        double b = Math.toRadians(bearingDeg);
        double p1 = Math.toRadians(lat);
        double l1 = Math.toRadians(lon);
        double p2 =
                Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(b));
        double l2 =
                l1
                        + Math.atan2(
                                Math.sin(b) * Math.sin(d) * Math.cos(p1),
                                Math.cos(d) - Math.sin(p1) * Math.sin(p2));
        double latDeg = Math.toDegrees(p2);
        double lonDeg = ((Math.toDegrees(l2) + 540.0) % 360.0) - 180.0;
        if (latDeg < -80.0 || latDeg > 80.0) {
            return null;
        }
        return new double[] {round4(latDeg), round4(lonDeg)};
    }

    /** Coordinates as written: 4 decimals (about 10 m). */
    static double round4(double degrees) {
        return Math.round(degrees * 10_000.0) / 10_000.0;
    }
}
