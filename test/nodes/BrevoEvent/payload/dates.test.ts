import { DateTime } from 'luxon';

import { toBrevoDate, toBrevoDateTime } from '../../../../nodes/BrevoEvent/payload/dates';
import { FieldError } from '../../../../nodes/BrevoEvent/payload/FieldError';
import { fieldErrorOf } from '../../../helpers/field-error';

const PARIS = 'Europe/Paris';

describe('toBrevoDateTime', () => {
	test.each([
		['ISO with offset, kept as given', '2024-01-24T17:39:57+01:00', '2024-01-24T17:39:57+01:00'],
		['ISO with Z, written as +00:00', '2024-01-24T16:39:57Z', '2024-01-24T16:39:57+00:00'],
		['ISO with milliseconds', '2024-01-24T16:39:57.250Z', '2024-01-24T16:39:57.250+00:00'],
		[
			'ISO without offset, read in the workflow zone',
			'2024-07-01T10:00:00',
			'2024-07-01T10:00:00+02:00',
		],
		['date only, midnight in the workflow zone', '2024-01-24', '2024-01-24T00:00:00+01:00'],
		['epoch seconds', 1706114397, '2024-01-24T17:39:57+01:00'],
		['epoch milliseconds', 1706114397000, '2024-01-24T17:39:57+01:00'],
		['epoch seconds as text', '1706114397', '2024-01-24T17:39:57+01:00'],
		['RFC 2822', 'Wed, 24 Jan 2024 17:39:57 +0100', '2024-01-24T17:39:57+01:00'],
		['SQL', '2024-01-24 17:39:57', '2024-01-24T17:39:57+01:00'],
		['JS Date', new Date('2024-01-24T16:39:57Z'), '2024-01-24T17:39:57+01:00'],
		[
			'luxon DateTime keeps its zone',
			DateTime.fromISO('2024-01-24T12:00:00', { zone: 'America/New_York' }),
			'2024-01-24T12:00:00-05:00',
		],
	])('%s', (_label, input, expected) => {
		expect(toBrevoDateTime(input, 'Event Date', PARIS)).toBe(expected);
	});

	test('zones with quarter-hour offsets and UTC keep a numeric offset', () => {
		expect(toBrevoDateTime(1706114397123, 'Event Date', 'Asia/Kathmandu')).toBe(
			'2024-01-24T22:24:57.123+05:45',
		);
		expect(toBrevoDateTime(1706114397, 'Event Date', 'UTC')).toBe('2024-01-24T16:39:57+00:00');
	});

	test('a DateTime from another luxon copy (duck-typed) is read too', () => {
		const foreign = { isLuxonDateTime: true, toISO: () => '2024-01-24T12:00:00.000-05:00' };
		expect(toBrevoDateTime(foreign, 'Event Date', PARIS)).toBe('2024-01-24T12:00:00-05:00');
	});

	test.each([['yesterday'], ['2024-13-45'], [''], [{}], [true], [Number.NaN]])(
		'rejects %p naming the field',
		(input) => {
			expect(() => toBrevoDateTime(input, 'Event Date', PARIS)).toThrow(FieldError);
			try {
				toBrevoDateTime(input, 'Event Date', PARIS);
			} catch (error) {
				expect((error as FieldError).field).toBe('Event Date');
				expect((error as FieldError).message).toMatch(/is not a date/);
			}
		},
	);
});

describe('toBrevoDate (contact attributes of type date)', () => {
	test.each([
		['2024-01-24', '2024-01-24'],
		['2024-01-24T23:30:00-05:00', '2024-01-24'],
		[new Date('2024-01-24T12:00:00Z'), '2024-01-24'],
	])('%p → %s', (input, expected) => {
		expect(toBrevoDate(input, 'BIRTHDAY', PARIS)).toBe(expected);
	});
});

describe('numbers and digit strings', () => {
	test.each([
		[
			'8 digits are yyyyMMdd, midnight in the workflow zone',
			'20240124',
			'2024-01-24T00:00:00+01:00',
		],
		['8 digits as a number too', 20240124, '2024-01-24T00:00:00+01:00'],
		['10 digits: epoch seconds', 1706114397, '2024-01-24T17:39:57+01:00'],
		['epoch seconds with a fraction', 1706114397.25, '2024-01-24T17:39:57.250+01:00'],
		[
			'12 digits: epoch milliseconds (the first ones: 1973-03-03)',
			1e11,
			'1973-03-03T10:46:40+01:00',
		],
		['13 digits: epoch milliseconds', '1706114397000', '2024-01-24T17:39:57+01:00'],
		['negative epoch seconds', -86400, '1969-12-31T01:00:00+01:00'],
		['0 is the epoch itself', 0, '1970-01-01T01:00:00+01:00'],
	])('%s', (_label, input, expected) => {
		expect(toBrevoDateTime(input, 'Event Date', PARIS)).toBe(expected);
	});

	test('8 digits give the day as given for a contact date attribute', () => {
		expect(toBrevoDate('19900517', 'BIRTHDAY', PARIS)).toBe('1990-05-17');
	});

	const hint =
		'Use ISO 8601 (2024-01-24T17:39:57+01:00 or 2024-01-24), an n8n date such as {{ $now }}, yyyyMMdd (20240124), epoch seconds (up to 10 digits) or epoch milliseconds (12 or more)';

	test.each([
		['2024', '"2024" is a year alone, not a date'],
		[2024, '2024 is a year alone, not a date'],
		['2024-01', '"2024-01" is a month alone, not a date'],
		['20241345', '"20241345" is read as yyyyMMdd (8 digits) but is not a valid date'],
		[
			// Epoch milliseconds of 1972 used to be read as seconds: the year 4188.
			70000000000,
			'70000000000 is ambiguous: as epoch seconds it is 4188-03-18, as epoch milliseconds 1972-03-21; 11-digit epoch values are refused rather than guessed',
		],
		[
			'-10000000000',
			'"-10000000000" is ambiguous: as epoch seconds it is 1653-02-10, as epoch milliseconds 1969-09-07; 11-digit epoch values are refused rather than guessed',
		],
	])('%p is refused: %s', (input, message) => {
		const error = fieldErrorOf(() => toBrevoDateTime(input, 'Event Date', PARIS));
		expect(error.field).toBe('Event Date');
		expect(error.message).toBe(message);
		expect(error.hint).toBe(hint);
	});

	test('epoch microseconds land outside the years 1–9999 and are refused', () => {
		const error = fieldErrorOf(() => toBrevoDateTime(1706114397000000, 'Event Date', PARIS));
		expect(error.message).toMatch(
			/^1706114397000000 is in the year \d+; Brevo takes the years 1–9999$/,
		);
	});

	test('NaN is named as NaN', () => {
		expect(fieldErrorOf(() => toBrevoDateTime(Number.NaN, 'Event Date', PARIS)).message).toBe(
			'NaN is not a date',
		);
	});
});

describe('local times the clocks skip or show twice (daylight saving changes)', () => {
	test.each([
		// Paris, last Sunday of March: 02:00 becomes 03:00.
		[
			'2024-03-31T02:30:00',
			PARIS,
			'"2024-03-31T02:30:00" does not exist in Europe/Paris: the clocks skip that time (a daylight saving change); it would be sent as 2024-03-31T03:30:00+02:00',
			'Add the offset you mean: 2024-03-31T02:30:00+01:00 or 2024-03-31T02:30:00+02:00',
		],
		[
			'2024-03-31 02:00:00',
			PARIS,
			'"2024-03-31 02:00:00" does not exist in Europe/Paris: the clocks skip that time (a daylight saving change); it would be sent as 2024-03-31T03:00:00+02:00',
			'Add the offset you mean: 2024-03-31T02:00:00+01:00 or 2024-03-31T02:00:00+02:00',
		],
		// Lord Howe moves its clocks by half an hour.
		[
			'2024-10-06T02:15',
			'Australia/Lord_Howe',
			'"2024-10-06T02:15" does not exist in Australia/Lord_Howe: the clocks skip that time (a daylight saving change); it would be sent as 2024-10-06T02:45:00+11:00',
			'Add the offset you mean: 2024-10-06T02:15:00+10:30 or 2024-10-06T02:15:00+11:00',
		],
		// Santiago changes at midnight: the day starts at 01:00, so a day alone has no midnight.
		[
			'20240908',
			'America/Santiago',
			'"20240908" does not exist in America/Santiago: the clocks skip that time (a daylight saving change); it would be sent as 2024-09-08T01:00:00-03:00',
			'Add the offset you mean: 2024-09-08T00:00:00-04:00 or 2024-09-08T00:00:00-03:00',
		],
		// Paris, last Sunday of October: 03:00 becomes 02:00, so 02:00–02:59 happen twice.
		[
			'2024-10-27T02:30:00',
			PARIS,
			'"2024-10-27T02:30:00" happens twice in Europe/Paris: the clocks go back over that time (a daylight saving change), and which one is meant is refused rather than guessed',
			'Add the offset you mean: 2024-10-27T02:30:00+02:00 or 2024-10-27T02:30:00+01:00',
		],
	])('%p in %s is refused', (input, zone, message, hint) => {
		const error = fieldErrorOf(() => toBrevoDateTime(input, 'Event Date', zone));
		expect(error.field).toBe('Event Date');
		expect(error.message).toBe(message);
		expect(error.hint).toBe(hint);
	});

	test.each([
		['just before the gap', '2024-03-31T01:59:59', '2024-03-31T01:59:59+01:00'],
		['just after the gap', '2024-03-31T03:00:00', '2024-03-31T03:00:00+02:00'],
		['just before the overlap', '2024-10-27T01:59:59', '2024-10-27T01:59:59+02:00'],
		['just after the overlap', '2024-10-27T03:00:00', '2024-10-27T03:00:00+01:00'],
		['in the gap, with an offset', '2024-03-31T02:30:00+01:00', '2024-03-31T02:30:00+01:00'],
		['in the overlap, with an offset', '2024-10-27T02:30:00+02:00', '2024-10-27T02:30:00+02:00'],
		['in the overlap, in UTC', '2024-10-27T02:30:00Z', '2024-10-27T02:30:00+00:00'],
		['an epoch instant in the overlap', 1729992600, '2024-10-27T02:30:00+01:00'],
	])('%s: kept (%p)', (_label, input, expected) => {
		expect(toBrevoDateTime(input, 'Event Date', PARIS)).toBe(expected);
	});

	test('the same texts in a zone without clock changes are kept', () => {
		expect(toBrevoDateTime('2024-03-31T02:30:00', 'Event Date', 'Asia/Tokyo')).toBe(
			'2024-03-31T02:30:00+09:00',
		);
		expect(toBrevoDateTime('2024-03-31T02:30:00', 'Event Date', 'UTC')).toBe(
			'2024-03-31T02:30:00+00:00',
		);
	});

	test('a calendar day keeps its date, even where its midnight was skipped', () => {
		expect(toBrevoDate('20240908', 'BIRTHDAY', 'America/Santiago')).toBe('2024-09-08');
		expect(toBrevoDate('2024-09-08', 'BIRTHDAY', 'America/Santiago')).toBe('2024-09-08');
	});
});
