import { DateTime } from 'luxon';

import { FieldError } from './FieldError';
import { formatValue } from './values';

/**
 * Numbers below this are epoch seconds, above it epoch milliseconds: 1e11 s is the year 5138,
 * 1e11 ms is March 1973, so no realistic event date is ambiguous.
 */
const EPOCH_SECONDS_LIMIT = 1e11;

const NUMERIC = /^-?\d+(\.\d+)?$/;

function isLuxonDateTime(value: unknown): value is DateTime {
	// Duck-typed on purpose: a DateTime from n8n's own luxon copy is not an instance of ours.
	return (
		DateTime.isDateTime(value) || (value as { isLuxonDateTime?: boolean })?.isLuxonDateTime === true
	);
}

function fromEpoch(value: number, zone: string): DateTime {
	const millis = Math.abs(value) < EPOCH_SECONDS_LIMIT ? value * 1000 : value;
	return DateTime.fromMillis(millis, { zone });
}

function fromString(text: string, zone: string): DateTime {
	if (NUMERIC.test(text)) return fromEpoch(Number(text), zone);
	// setZone keeps an explicit offset as given; a string without one is read in the workflow's zone.
	const options = { zone, setZone: true };
	for (const parse of [
		DateTime.fromISO,
		DateTime.fromRFC2822,
		DateTime.fromHTTP,
		DateTime.fromSQL,
	]) {
		const parsed = parse(text, options);
		if (parsed.isValid) return parsed;
	}
	return DateTime.invalid('unparsable');
}

/**
 * Reads anything a user can map into a date field: ISO strings with or without offset, RFC 2822,
 * SQL, n8n (luxon) date-times, JS dates, epoch seconds or milliseconds (numbers or numeric strings).
 * Strings without an offset are read in `zone`, the workflow's time zone, as n8n does elsewhere.
 */
export function parseDate(value: unknown, field: string, zone: string, note?: string): DateTime {
	let parsed: DateTime;
	if (isLuxonDateTime(value)) {
		parsed = DateTime.fromISO(value.toISO() ?? '', { setZone: true });
	} else if (value instanceof Date) {
		parsed = DateTime.fromJSDate(value, { zone });
	} else if (typeof value === 'number' && Number.isFinite(value)) {
		parsed = fromEpoch(value, zone);
	} else if (typeof value === 'string' && value.trim() !== '') {
		parsed = fromString(value.trim(), zone);
	} else {
		parsed = DateTime.invalid('empty');
	}
	if (!parsed.isValid) {
		throw new FieldError(
			field,
			`${formatValue(value)} is not a date${note ? ` (${note})` : ''}`,
			'Use ISO 8601 (2024-01-24T17:39:57+01:00), an n8n date such as {{ $now }}, or epoch seconds or milliseconds',
		);
	}
	return parsed;
}

/**
 * Brevo's date-time format: ISO 8601 with a numeric offset (+01:00, never Z), milliseconds only when
 * the value has them, e.g. 2024-01-24T17:39:57+01:00.
 */
export function toBrevoDateTime(value: unknown, field: string, zone: string): string {
	const date = parseDate(value, field, zone);
	// toISO writes the same text about 50 times faster than toFormat (it counts in bulk sends),
	// but for years 0001–9999 only, and with "Z" for UTC, where Brevo is sent "+00:00".
	if (date.year >= 1 && date.year <= 9999) {
		const iso = date.toISO({ suppressMilliseconds: true });
		if (iso) return iso.endsWith('Z') ? `${iso.slice(0, -1)}+00:00` : iso;
	}
	const pattern =
		date.millisecond === 0 ? "yyyy-MM-dd'T'HH:mm:ssZZ" : "yyyy-MM-dd'T'HH:mm:ss.SSSZZ";
	return date.toFormat(pattern);
}

/** Brevo's format for contact attributes of type date: YYYY-MM-DD, as the date reads in its own zone. */
export function toBrevoDate(value: unknown, field: string, zone: string, note?: string): string {
	return parseDate(value, field, zone, note).toFormat('yyyy-MM-dd');
}
