/** Brevo's documented limits for the Events API (see README "Limits"). */

/** event_name and property keys: 1–255 characters of A–Z a–z 0–9 - _ */
export const NAME_PATTERN = /^[A-Za-z0-9_-]+$/;
export const NAME_MAX_LENGTH = 255;

/** event_properties, serialized as JSON, must not exceed 50 KB. */
export const EVENT_PROPERTIES_MAX_BYTES = 50 * 1024;

/** POST /events/batch accepts at most 200 events and 512 KB per request. */
export const BATCH_MAX_EVENTS = 200;
export const BATCH_MAX_BYTES = 512 * 1024;
