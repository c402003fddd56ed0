import seedEvent from '../../../fixtures/seed-event.json';
import { fieldErrorOf } from '../../../helpers/field-error';
import { buildEventPayload, type EventInput } from '../../../../nodes/BrevoEvent/payload/event';

const ZONE = 'Europe/Paris';

const minimal: EventInput = {
	eventName: 'order_created',
	identifiers: { emailId: 'jane@example.com' },
};

function fieldError(input: EventInput) {
	return fieldErrorOf(() => buildEventPayload(input, ZONE));
}

describe('buildEventPayload', () => {
	test('the seed example, entered as key/value rows, gives exactly the seed body, types included', () => {
		const payload = buildEventPayload(
			{
				eventName: 'video_played',
				identifiers: { emailId: 'jane.doe@example.com', extId: 'ext_09887' },
				contactProperties: {
					mode: 'keypair',
					rows: [
						{ name: 'FIRSTNAME', type: 'string', value: 'Jane' },
						{ name: 'LASTNAME', type: 'string', value: 'Doe' },
						{ name: 'AGE', type: 'number', value: '32' },
						{ name: 'GENDER', type: 'string', value: 'FEMALE' },
					],
				},
				eventProperties: {
					mode: 'keypair',
					rows: [
						{
							name: 'video_title',
							type: 'string',
							value: 'Brevo — The most approachable CRM suite',
						},
						{ name: 'video_description', type: 'string', value: 'Create your free account today!' },
						{ name: 'duration', type: 'number', value: '142' },
						{ name: 'autoplayed', type: 'boolean', value: 'false' },
						{ name: 'upload_date', type: 'date', value: '2023-11-24T12:09:10+01:00' },
					],
				},
			},
			ZONE,
		);
		// Byte-for-byte, including key order, so the wire body is the seed's.
		expect(JSON.stringify(payload)).toBe(JSON.stringify(seedEvent));
	});

	test('the seed example entered as JSON gives the same body', () => {
		const payload = buildEventPayload(
			{
				eventName: 'video_played',
				identifiers: { emailId: 'jane.doe@example.com', extId: 'ext_09887' },
				contactProperties: { mode: 'json', json: JSON.stringify(seedEvent.contact_properties) },
				eventProperties: { mode: 'json', json: JSON.stringify(seedEvent.event_properties) },
			},
			ZONE,
		);
		expect(payload).toStrictEqual(seedEvent);
	});

	test('all six identifiers map to Brevo keys; the contact ID becomes an integer', () => {
		const payload = buildEventPayload(
			{
				eventName: 'x',
				identifiers: {
					contactId: '42',
					emailId: ' jane@example.com ',
					extId: 'u-1',
					phoneId: '+33612345678',
					whatsappId: '+33612345679',
					landlineNumberId: 33123456789,
				},
			},
			ZONE,
		);
		expect(payload.identifiers).toStrictEqual({
			contact_id: 42,
			email_id: 'jane@example.com',
			ext_id: 'u-1',
			phone_id: '+33612345678',
			whatsapp_id: '+33612345679',
			landline_number_id: '33123456789',
		});
	});

	test('empty identifiers from expressions are dropped, not sent', () => {
		const payload = buildEventPayload(
			{
				eventName: 'x',
				identifiers: { emailId: '', extId: 'u-1', phoneId: null, contactId: undefined },
			},
			ZONE,
		);
		expect(payload.identifiers).toStrictEqual({ ext_id: 'u-1' });
	});

	test('event date and object are added; empty property sets are left out', () => {
		const payload = buildEventPayload(
			{
				...minimal,
				eventDate: 1706114397,
				contactProperties: { mode: 'keypair', rows: [] },
				eventProperties: { mode: 'json', json: '{}' },
				object: { type: 'subscription', idType: 'ext_id', id: 'sub_9' },
			},
			ZONE,
		);
		expect(payload).toStrictEqual({
			event_name: 'order_created',
			identifiers: { email_id: 'jane@example.com' },
			event_date: '2024-01-24T17:39:57+01:00',
			object: { type: 'subscription', identifiers: { ext_id: 'sub_9' } },
		});
	});

	test('event properties of exactly 50 KB pass, one byte more is rejected', () => {
		const overhead = JSON.stringify({ blob: '' }).length;
		const fits = buildEventPayload(
			{
				...minimal,
				eventProperties: { mode: 'json', json: { blob: 'x'.repeat(50 * 1024 - overhead) } },
			},
			ZONE,
		);
		expect(JSON.stringify(fits.event_properties)).toHaveLength(50 * 1024);
		const error = fieldError({
			...minimal,
			eventProperties: { mode: 'json', json: { blob: 'x'.repeat(50 * 1024 - overhead + 1) } },
		});
		expect(error.field).toBe('Event Properties');
		expect(error.message).toMatch(/51201 bytes as JSON; Brevo accepts at most 51200/);
	});

	test.each<[string, EventInput, string, RegExp]>([
		['an empty event name', { ...minimal, eventName: '' }, 'Event Name', /is empty/],
		[
			'an event name with a space',
			{ ...minimal, eventName: 'video played' },
			'Event Name',
			/^Event Name "video played" contains a character Brevo does not accept: a space$/,
		],
		[
			'an event name of 256 characters',
			{ ...minimal, eventName: 'e'.repeat(256) },
			'Event Name',
			/at most 255/,
		],
		[
			'no identifier',
			{ eventName: 'x', identifiers: {} },
			'Identifiers',
			/no identifier has a value/,
		],
		[
			'only empty identifiers',
			{ eventName: 'x', identifiers: { emailId: ' ', extId: null } },
			'Identifiers',
			/no identifier has a value/,
		],
		[
			'a contact ID that is not a number',
			{ eventName: 'x', identifiers: { contactId: 'abc' } },
			'Identifiers › Contact ID',
			/not a Brevo contact ID/,
		],
		[
			'a contact ID with decimals',
			{ eventName: 'x', identifiers: { contactId: 4.5 } },
			'Identifiers › Contact ID',
			/not a Brevo contact ID/,
		],
		[
			'an email without @',
			{ eventName: 'x', identifiers: { emailId: 'Jane Doe' } },
			'Identifiers › Email',
			/is not an email address/,
		],
		[
			'an identifier that is an object',
			{ eventName: 'x', identifiers: { extId: { id: 1 } } },
			'Identifiers › External ID',
			/not a single value/,
		],
		[
			'an event date that is not a date',
			{ ...minimal, eventDate: 'next tuesday' },
			'Event Date',
			/is not a date/,
		],
		[
			'an object type without ID',
			{ ...minimal, object: { type: 'subscription', idType: 'id', id: '' } },
			'Object › ID',
			/is empty/,
		],
		[
			'an object ID without type',
			{ ...minimal, object: { type: '', idType: 'id', id: '7' } },
			'Object › Type',
			/is empty/,
		],
	])('rejects %s', (_label, input, field, message) => {
		const error = fieldError(input);
		expect(error.field).toBe(field);
		expect(error.message).toMatch(message);
	});
});

describe('buildEventPayload: single values exact or refused', () => {
	test.each<[string, unknown, number]>([
		['digits', ' 42 ', 42],
		['leading zeros are the same number', '007', 7],
		['a whole number', 16, 16],
		['the largest exact number', '9007199254740991', 9007199254740991],
	])('Contact ID from %s', (_label, contactId, expected) => {
		expect(
			buildEventPayload({ eventName: 'x', identifiers: { contactId } }, ZONE).identifiers,
		).toStrictEqual({ contact_id: expected });
	});

	test.each<[unknown, string]>([
		['0x10', '"0x10" is not a Brevo contact ID (a positive whole number)'],
		['1e3', '"1e3" is not a Brevo contact ID (a positive whole number)'],
		['+5', '"+5" is not a Brevo contact ID (a positive whole number)'],
		[[7], '[7] is not a Brevo contact ID (a positive whole number)'],
		[Number.NaN, 'NaN is not a Brevo contact ID (a positive whole number)'],
		[
			'9007199254740993',
			'"9007199254740993" is too large to be sent exactly (at most 9007199254740991)',
		],
		[
			9007199254740992,
			'9007199254740992 is too large to be sent exactly (at most 9007199254740991)',
		],
	])('Contact ID %p is refused', (contactId, message) => {
		const error = fieldError({ eventName: 'x', identifiers: { contactId } });
		expect(error.field).toBe('Identifiers › Contact ID');
		expect(error.message).toBe(message);
	});

	test.each<[string, EventInput, string, string]>([
		[
			'Event Name ["a"]',
			{ ...minimal, eventName: ['a'] },
			'Event Name',
			'["a"] is not a single value',
		],
		[
			'an object as Object Type',
			{ ...minimal, object: { type: { a: 1 }, idType: 'id', id: '7' } },
			'Object › Type',
			'{"a":1} is not a single value',
		],
		[
			'a list as Object ID',
			{ ...minimal, object: { type: 'subscription', idType: 'id', id: ['a'] } },
			'Object › ID',
			'["a"] is not a single value',
		],
		[
			'NaN as External ID',
			{ eventName: 'x', identifiers: { extId: Number.NaN } },
			'Identifiers › External ID',
			'is NaN ("not a number"), which JSON cannot carry: Brevo would receive null',
		],
		[
			'an ID number past the exact range',
			{ eventName: 'x', identifiers: { extId: Number('12345678901234567890') } },
			'Identifiers › External ID',
			'12345678901234567000 is beyond ±9007199254740991, where numbers are no longer exact',
		],
	])('%s is refused', (_label, input, field, message) => {
		const error = fieldError(input);
		expect(error.field).toBe(field);
		expect(error.message).toBe(message);
	});

	test.each<[string, EventInput, string, string]>([
		[
			'a zero-width space in Email',
			{ eventName: 'x', identifiers: { emailId: 'ada\u200b@example.com' } },
			'Identifiers › Email',
			'"ada\\u200B@example.com" has an invisible character at position 4: U+200B (zero-width space)',
		],
		[
			'a byte order mark before External ID',
			{ eventName: 'x', identifiers: { extId: '\ufeffcrm-42' } },
			'Identifiers › External ID',
			'"\\uFEFFcrm-42" has an invisible character at position 1: U+FEFF (byte order mark)',
		],
		[
			'a word joiner in Phone (SMS)',
			{ eventName: 'x', identifiers: { phoneId: '+3361234\u20605678' } },
			'Identifiers › Phone (SMS)',
			'"+3361234\\u20605678" has an invisible character at position 9: U+2060 (word joiner)',
		],
		[
			'a left-to-right mark in WhatsApp',
			{ eventName: 'x', identifiers: { whatsappId: '\u200e+33612345678' } },
			'Identifiers › WhatsApp',
			'"\\u200E+33612345678" has an invisible character at position 1: U+200E (left-to-right mark)',
		],
		[
			'a zero-width joiner in Landline Number',
			{ eventName: 'x', identifiers: { landlineNumberId: '+331\u200d23' } },
			'Identifiers › Landline Number',
			'"+331\\u200D23" has an invisible character at position 5: U+200D (zero-width joiner)',
		],
		[
			'a byte order mark before Contact ID digits',
			{ eventName: 'x', identifiers: { contactId: '\ufeff42' } },
			'Identifiers › Contact ID',
			'"\\uFEFF42" has an invisible character at position 1: U+FEFF (byte order mark)',
		],
		[
			'a zero-width space in Object ID',
			{ ...minimal, object: { type: 'order', idType: 'id', id: '10\u200b01' } },
			'Object › ID',
			'"10\\u200B01" has an invisible character at position 3: U+200B (zero-width space)',
		],
	])('%s is refused, naming the identifier and the character', (_label, input, field, message) => {
		const error = fieldError(input);
		expect(error.field).toBe(field);
		expect(error.message).toBe(message);
	});

	test('whitespace around identifiers is still trimmed', () => {
		expect(
			buildEventPayload(
				{ eventName: 'x', identifiers: { emailId: ' ada@example.com\n', contactId: '\t42 ' } },
				ZONE,
			).identifiers,
		).toStrictEqual({ contact_id: 42, email_id: 'ada@example.com' });
	});

	test('numbers as Event Name, identifiers and object ID are sent as their digits', () => {
		const payload = buildEventPayload(
			{
				eventName: 2024,
				identifiers: { extId: 42 },
				object: { type: 'order', idType: 'id', id: 1001 },
			},
			ZONE,
		);
		expect(payload).toStrictEqual({
			event_name: '2024',
			identifiers: { ext_id: '42' },
			object: { type: 'order', identifiers: { id: '1001' } },
		});
	});

	test('an event date of 8 digits is yyyyMMdd, not epoch seconds', () => {
		expect(buildEventPayload({ ...minimal, eventDate: '20240124' }, ZONE).event_date).toBe(
			'2024-01-24T00:00:00+01:00',
		);
	});
});
