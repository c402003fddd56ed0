import { DateTime } from 'luxon';

import { toBrevoDate, toBrevoDateTime } from '../../../../nodes/BrevoEvent/payload/dates';
import { FieldError } from '../../../../nodes/BrevoEvent/payload/FieldError';

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
		['past year 9999, written as before', 253402300800000, '10000-01-01T01:00:00+01:00'],
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
