import { DateTime, FixedOffsetZone } from 'luxon';

import { FieldError } from './FieldError';
import { formatValue } from './values';

/**
 * How a number, or text of digits, is read (README "Dates"):
 * - 4 digits (1000–9999): a year alone, refused: it is not a day;
 * - 8 digits (10000000–99999999): yyyyMMdd, 20240124 = 2024-01-24;
 * - otherwise below 10^10 (up to 10 digits): epoch seconds, up to 2286-11-20;
 * - from 10^11 (12 digits and more): epoch milliseconds, from 1973-03-03;
 * - in between (11 digits): refused, as either would be a guess: seconds would be the years
 *   2286–5138, milliseconds 1970-04-26 to 1973-03-03.
 */
const EPOCH_SECONDS_BELOW = 1e10;
const EPOCH_MILLISECONDS_FROM = 1e11;

const NUMERIC = /^[+-]?\d+(\.\d+)?$/;
/** ISO 8601 allows a year and month alone (2024-01); like a year alone, it is not a day. */
const YEAR_MONTH = /^\d{4}-\d{2}$/;

const FORMATS_HINT =
	'Use ISO 8601 (2024-01-24T17:39:57+01:00 or 2024-01-24), an n8n date such as {{ $now }}, yyyyMMdd (20240124), epoch seconds (up to 10 digits) or epoch milliseconds (12 or more)';

function isLuxonDateTime(value: unknown): value is DateTime {
	// Duck-typed on purpose: a DateTime from n8n's own luxon copy is not an instance of ours.
	return (
		DateTime.isDateTime(value) || (value as { isLuxonDateTime?: boolean })?.isLuxonDateTime === true
	);
}

const HOUR = 3_600_000;
/** Wide enough to reach across any clock change near a time (gaps and overlaps last hours). */
const AROUND = 24 * HOUR;

/**
 * A local time written without an offset names one instant, unless the zone's clocks skipped it
 * (a DST gap: luxon would move it an hour on, silently) or showed it twice (an overlap: luxon's
 * pick depends on the date the workflow runs). Both are refused rather than guessed, as 11-digit
 * epochs are. `readWallClock` reads the same text as a wall clock in UTC, i.e. the time as written.
 */
function checkLocalTime(
	parsed: DateTime,
	readWallClock: () => DateTime,
	shown: string,
	field: string,
): void {
	const zone = parsed.zone;
	if (zone.isUniversal) return; // an explicit offset, or a zone without clock changes
	const instant = parsed.toMillis();
	const offsetBefore = zone.offset(instant - AROUND);
	const offsetAfter = zone.offset(instant + AROUND);
	if (offsetBefore === parsed.offset && offsetAfter === parsed.offset) return;
	const wall = readWallClock();
	const written = wall.toMillis() + wall.offset * 60_000;
	const offsets = [...new Set([offsetBefore, parsed.offset, offsetAfter])].filter(
		(offset) => zone.offset(written - offset * 60_000) === offset,
	);
	if (offsets.length === 1) return;
	const local = wall.toISO({ includeOffset: false, suppressMilliseconds: true });
	const withOffset = (offset: number) =>
		`${local}${FixedOffsetZone.instance(offset).formatOffset(0, 'short')}`;
	const candidates = offsets.length > 1 ? offsets : [offsetBefore, offsetAfter];
	const hint = `Add the offset you mean: ${candidates.map(withOffset).join(' or ')}`;
	if (offsets.length === 0) {
		throw new FieldError(
			field,
			`${shown} does not exist in ${zone.name}: the clocks skip that time (a daylight saving change); it would be sent as ${parsed.toISO({ suppressMilliseconds: true })}`,
			hint,
		);
	}
	throw new FieldError(
		field,
		`${shown} happens twice in ${zone.name}: the clocks go back over that time (a daylight saving change), and which one is meant is refused rather than guessed`,
		hint,
	);
}

function fromNumber(
	value: number,
	shown: string,
	field: string,
	zone: string,
	exactTime: boolean,
): DateTime {
	const refuse = (why: string) => new FieldError(field, `${shown} ${why}`, FORMATS_HINT);
	if (Number.isInteger(value) && value >= 1000 && value <= 9999) {
		throw refuse('is a year alone, not a date');
	}
	if (Number.isInteger(value) && value >= 1e7 && value < 1e8) {
		const day = DateTime.fromFormat(String(value), 'yyyyMMdd', { zone });
		if (!day.isValid) throw refuse('is read as yyyyMMdd (8 digits) but is not a valid date');
		// Midnight too can fall in a gap, e.g. in zones that change their clocks at 00:00.
		if (exactTime) {
			const readWallClock = () => DateTime.fromFormat(String(value), 'yyyyMMdd', { zone: 'utc' });
			checkLocalTime(day, readWallClock, shown, field);
		}
		return day;
	}
	const size = Math.abs(value);
	if (size < EPOCH_SECONDS_BELOW) return DateTime.fromMillis(value * 1000, { zone });
	if (size >= EPOCH_MILLISECONDS_FROM) return DateTime.fromMillis(value, { zone });
	const asSeconds = DateTime.fromMillis(value * 1000, { zone: 'utc' }).toISODate();
	const asMillis = DateTime.fromMillis(value, { zone: 'utc' }).toISODate();
	throw refuse(
		`is ambiguous: as epoch seconds it is ${asSeconds}, as epoch milliseconds ${asMillis}; 11-digit epoch values are refused rather than guessed`,
	);
}

function fromString(text: string, field: string, zone: string, exactTime: boolean): DateTime {
	if (NUMERIC.test(text)) return fromNumber(Number(text), `"${text}"`, field, zone, exactTime);
	if (YEAR_MONTH.test(text)) {
		throw new FieldError(field, `"${text}" is a month alone, not a date`, FORMATS_HINT);
	}
	// setZone keeps an explicit offset as given; a string without one is read in the workflow's zone.
	const options = { zone, setZone: true };
	for (const parse of [
		DateTime.fromISO,
		DateTime.fromRFC2822,
		DateTime.fromHTTP,
		DateTime.fromSQL,
	]) {
		const parsed = parse(text, options);
		if (!parsed.isValid) continue;
		if (exactTime) {
			const readWallClock = () => parse(text, { zone: 'utc', setZone: true });
			checkLocalTime(parsed, readWallClock, `"${text}"`, field);
		}
		return parsed;
	}
	return DateTime.invalid('unparsable');
}

/**
 * Reads anything a user can map into a date field: ISO strings with or without offset, RFC 2822,
 * SQL, n8n (luxon) date-times, JS dates, and numbers or digit strings by the rules above. Strings
 * without an offset are read in `zone`, the workflow's time zone, as n8n does elsewhere. A date
 * outside the years 1–9999 is refused: Brevo's format has four digits for the year. With
 * `exactTime`, a local time the zone skipped or shows twice (DST) is refused (checkLocalTime);
 * a calendar day alone (`exactTime` false) keeps its date whatever the clocks did.
 */
export function parseDate(
	value: unknown,
	field: string,
	zone: string,
	note?: string,
	exactTime = true,
): DateTime {
	let parsed: DateTime;
	if (isLuxonDateTime(value)) {
		parsed = DateTime.fromISO(value.toISO() ?? '', { setZone: true });
	} else if (value instanceof Date) {
		parsed = DateTime.fromJSDate(value, { zone });
	} else if (typeof value === 'number' && Number.isFinite(value)) {
		parsed = fromNumber(value, String(value), field, zone, exactTime);
	} else if (typeof value === 'string' && value.trim() !== '') {
		parsed = fromString(value.trim(), field, zone, exactTime);
	} else {
		parsed = DateTime.invalid('empty');
	}
	if (!parsed.isValid) {
		throw new FieldError(
			field,
			`${formatValue(value)} is not a date${note ? ` (${note})` : ''}`,
			FORMATS_HINT,
		);
	}
	if (parsed.year < 1 || parsed.year > 9999) {
		throw new FieldError(
			field,
			`${formatValue(value)} is in the year ${parsed.year}; Brevo takes the years 1–9999`,
			'Epoch microseconds or nanoseconds? Divide by 1,000 or 1,000,000 to get milliseconds',
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
	// toISO writes this text about 50 times faster than toFormat (it counts in bulk sends), for the
	// years 1–9999 that parseDate keeps to; Brevo is sent "+00:00" where toISO writes "Z".
	const iso = date.toISO({ suppressMilliseconds: true }) ?? '';
	return iso.endsWith('Z') ? `${iso.slice(0, -1)}+00:00` : iso;
}

/** Brevo's format for contact attributes of type date: YYYY-MM-DD, as the date reads in its own zone. */
export function toBrevoDate(value: unknown, field: string, zone: string, note?: string): string {
	return parseDate(value, field, zone, note, false).toFormat('yyyy-MM-dd');
}
