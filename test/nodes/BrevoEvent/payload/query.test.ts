import { buildEventQuery } from '../../../../nodes/BrevoEvent/payload/query';
import { fieldErrorOf } from '../../../helpers/field-error';

const ZONE = 'Europe/Paris';

describe('buildEventQuery', () => {
	test('several values per filter become lists, dates ISO 8601 with offset', () => {
		expect(
			buildEventQuery(
				{
					returnAll: false,
					limit: 20,
					filters: {
						contactIds: '42, 43',
						eventNames: 'order_created,video_played',
						objectTypes: ['subscription'],
						startDate: '2024-01-01T00:00:00',
						endDate: '2024-01-31',
					},
				},
				ZONE,
			),
		).toEqual({
			qs: {
				contact_id: [42, 43],
				event_name: ['order_created', 'video_played'],
				object_type: ['subscription'],
				startDate: '2024-01-01T00:00:00+01:00',
				endDate: '2024-01-31T00:00:00+01:00',
			},
			max: 20,
		});
	});

	test('no filters: an empty query; Return All has no maximum', () => {
		expect(buildEventQuery({ returnAll: true, limit: 50, filters: {} }, ZONE)).toEqual({
			qs: {},
			max: Infinity,
		});
	});

	test.each([
		[
			'a start date without end date',
			{ startDate: '2024-01-01' },
			'Filters › End Date',
			/is needed too/,
		],
		[
			'an end date without start date',
			{ endDate: '2024-01-01' },
			'Filters › Start Date',
			/is needed too/,
		],
		[
			'an end date before the start',
			{ startDate: '2024-02-01', endDate: '2024-01-01' },
			'Filters › End Date',
			/is before the start date/,
		],
		[
			'a contact ID that is not one',
			{ contactIds: '42, abc' },
			'Filters › Contact IDs',
			/^"abc" is not a Brevo contact ID$/,
		],
		[
			'a contact ID in hexadecimal',
			{ contactIds: '0x10' },
			'Filters › Contact IDs',
			/^"0x10" is not a Brevo contact ID$/,
		],
		[
			'a contact ID past the exact range',
			{ contactIds: '9007199254740993' },
			'Filters › Contact IDs',
			/^"9007199254740993" is beyond ±9007199254740991/,
		],
		[
			'a date that is not one',
			{ startDate: 'soon', endDate: '2024-01-01' },
			'Filters › Start Date',
			/is not a date/,
		],
	])('rejects %s', (_label, filters, field, message) => {
		const error = fieldErrorOf(() =>
			buildEventQuery({ returnAll: true, limit: 50, filters }, ZONE),
		);
		expect(error.field).toBe(field);
		expect(error.message).toMatch(message);
	});

	test('rejects a limit below 1', () => {
		expect(
			fieldErrorOf(() => buildEventQuery({ returnAll: false, limit: 0, filters: {} }, ZONE)).field,
		).toBe('Limit');
	});
});

describe("buildEventQuery: the date range's local times exist once", () => {
	test.each([
		[
			{ startDate: '2024-03-31T02:30:00', endDate: '2024-04-01' },
			'Filters › Start Date',
			'"2024-03-31T02:30:00" does not exist in Europe/Paris: the clocks skip that time (a daylight saving change); it would be sent as 2024-03-31T03:30:00+02:00',
		],
		[
			{ startDate: '2024-10-01', endDate: '2024-10-27 02:15' },
			'Filters › End Date',
			'"2024-10-27 02:15" happens twice in Europe/Paris: the clocks go back over that time (a daylight saving change), and which one is meant is refused rather than guessed',
		],
	])('%p is refused, naming the field', (filters, field, message) => {
		const error = fieldErrorOf(() =>
			buildEventQuery({ returnAll: true, limit: 50, filters }, ZONE),
		);
		expect(error.field).toBe(field);
		expect(error.message).toBe(message);
	});
});
