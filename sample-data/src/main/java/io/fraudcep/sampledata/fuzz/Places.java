package io.fraudcep.sampledata.fuzz;

/**
 * Where dense-log users log in from: home cities far apart (Paris, New York, Tokyo, Sydney ...),
 * each with a near neighbour, and points at a chosen great-circle distance from a city, for travel
 * at and around the 500 km threshold of IMPOSSIBLE_TRAVEL.
 */
final class Places {

    static final double EARTH_RADIUS_KM = 6371.0;

    /** A place: coordinates in degrees, its ISO 3166-1 country and the currency of residents. */
    record City(String name, String country, String currency, double lat, double lon) {}

    /** Home cities: the four European ones 340 to 1,400 km apart, the others thousands of km. */
    static final City[] HOMES = {
        new City("Paris", "FR", "EUR", 48.8566, 2.3522),
        new City("London", "GB", "GBP", 51.5074, -0.1278),
        new City("Madrid", "ES", "EUR", 40.4168, -3.7038),
        new City("Rome", "IT", "EUR", 41.9028, 12.4964),
        new City("New York", "US", "USD", 40.7128, -74.0060),
        new City("Tokyo", "JP", "JPY", 35.6762, 139.6503),
        new City("Sydney", "AU", "AUD", -33.8688, 151.2093),
        new City("Sao Paulo", "BR", "BRL", -23.5505, -46.6333),
        new City("Singapore", "SG", "SGD", 1.3521, 103.8198),
        new City("Dubai", "AE", "AED", 25.2048, 55.2708),
    };

    /**
     * The neighbour of each home city (same index): Brussels 264 km from Paris, Manchester 262 km
     * from London, Lisbon 503 km from Madrid (just over 500 km), Milan 477 km from Rome (just
     * under), and so on.
     */
    static final City[] NEIGHBOURS = {
        new City("Brussels", "BE", "EUR", 50.8503, 4.3517),
        new City("Manchester", "GB", "GBP", 53.4808, -2.2426),
        new City("Lisbon", "PT", "EUR", 38.7223, -9.1393),
        new City("Milan", "IT", "EUR", 45.4642, 9.1900),
        new City("Boston", "US", "USD", 42.3601, -71.0589),
        new City("Osaka", "JP", "JPY", 34.6937, 135.5023),
        new City("Canberra", "AU", "AUD", -35.2809, 149.1300),
        new City("Rio de Janeiro", "BR", "BRL", -22.9068, -43.1729),
        new City("Kuala Lumpur", "MY", "MYR", 3.1390, 101.6869),
        new City("Abu Dhabi", "AE", "AED", 24.4539, 54.3773),
    };

    private Places() {}

    /** Haversine distance in km. */
    static double distanceKm(City a, City b) {
        double p1 = Math.toRadians(a.lat());
        double p2 = Math.toRadians(b.lat());
        double dp = Math.toRadians(b.lat() - a.lat());
        double dl = Math.toRadians(b.lon() - a.lon());
        double h =
                Math.sin(dp / 2) * Math.sin(dp / 2)
                        + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * EARTH_RADIUS_KM * Math.atan2(Math.sqrt(h), Math.sqrt(1 - h));
    }

    /**
     * The point {@code km} from {@code from} along the initial {@code bearingDeg}, rounded to 4
     * decimals (about 10 m), so a distance asked 200 m from a threshold stays on its side.
     */
    static City pointAt(City from, double bearingDeg, double km) {
        double d = km / EARTH_RADIUS_KM;
        double b = Math.toRadians(bearingDeg);
        double p1 = Math.toRadians(from.lat());
        double l1 = Math.toRadians(from.lon());
        double p2 =
                Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(b));
        double l2 =
                l1
                        + Math.atan2(
                                Math.sin(b) * Math.sin(d) * Math.cos(p1),
                                Math.cos(d) - Math.sin(p1) * Math.sin(p2));
        double lon = ((Math.toDegrees(l2) + 540.0) % 360.0) - 180.0;
        return new City(
                from.name() + "+" + Math.round(km) + "km",
                from.country(),
                from.currency(),
                round4(Math.toDegrees(p2)),
                round4(lon));
    }

    private static double round4(double degrees) {
        return Math.round(degrees * 10_000.0) / 10_000.0;
    }
}
