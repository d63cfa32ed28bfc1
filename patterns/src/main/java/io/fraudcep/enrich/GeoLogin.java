package io.fraudcep.enrich;

import java.time.Instant;

/**
 * A successful login that carried coordinates: what IMPOSSIBLE_TRAVEL compares a login with.
 *
 * @param eventId the login's event id
 * @param timestamp the login's event time
 * @param lat latitude in degrees
 * @param lon longitude in degrees
 * @param deviceId the login's device
 */
public record GeoLogin(
        String eventId, Instant timestamp, double lat, double lon, String deviceId) {}
