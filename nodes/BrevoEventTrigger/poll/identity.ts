import { createHash } from 'crypto';

/**
 * Brevo's events have no id, so an event is known by what Brevo returns for it: two answers with
 * the same fields are the same event (identical events recorded separately are told apart by
 * counting them, see memory.ts).
 */

/** JSON with object keys sorted at every level, so that key order never changes an identity. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (typeof value === 'object' && value !== null) {
		const entries = Object.keys(value)
			.sort()
			.filter((key) => (value as Record<string, unknown>)[key] !== undefined)
			.map(
				(key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`,
			);
		return `{${entries.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/**
 * Characters of one identity. 48 bits of SHA-256 (8 base64url characters): memory.ts compares an
 * identity only with those of the same event_date second, so a collision (which would hide an event)
 * needs two different events in one second with the same 48 bits: about 1 in 10^13 per event at
 * 1,000 events a second.
 */
export const IDENTITY_LENGTH = 8;

/**
 * Fields left out of the identity. Brevo documents `event_filter_id` as not unique per event and
 * says nothing of its stability; a field that may differ between two reads of one event would make
 * it look new at every poll. Leaving a field out can only make two events share an identity, which
 * the counting handles (both are emitted).
 */
const NOT_IDENTITY = new Set(['event_filter_id']);

/** The identity of one event as Brevo returned it. */
export function eventIdentity(event: unknown): string {
	const fields =
		typeof event === 'object' && event !== null && !Array.isArray(event)
			? Object.fromEntries(Object.entries(event).filter(([key]) => !NOT_IDENTITY.has(key)))
			: event;
	return createHash('sha256')
		.update(canonicalJson(fields))
		.digest('base64url')
		.slice(0, IDENTITY_LENGTH);
}
