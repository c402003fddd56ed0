import { fieldErrorOf } from '../../../helpers/field-error';
import {
	buildProperties,
	type PropertiesInput,
} from '../../../../nodes/BrevoEvent/payload/properties';

const ZONE = 'UTC';

function rows(...list: Array<[string, string, unknown]>): PropertiesInput {
	return {
		mode: 'keypair',
		rows: list.map(([name, type, value]) => ({ name, type: type as never, value })),
	};
}

const fieldError = fieldErrorOf;

describe('buildProperties, key/value rows', () => {
	test.each([
		['string stays text', 'string', 'Jane', 'Jane'],
		['string from a mapped number', 'string', 32, '32'],
		['number from text', 'number', '142', 142],
		['number from a decimal with spaces', 'number', ' 59.90 ', 59.9],
		['number kept', 'number', 7, 7],
		['boolean false from text', 'boolean', 'false', false],
		['boolean TRUE', 'boolean', 'TRUE', true],
		['boolean from 0', 'boolean', 0, false],
		['boolean from yes', 'boolean', 'yes', true],
		['boolean kept', 'boolean', true, true],
		['date as ISO with offset', 'date', '2023-11-24T12:09:10+01:00', '2023-11-24T12:09:10+01:00'],
		['json object', 'json', '{"a":[1,{"b":true}]}', { a: [1, { b: true }] }],
		['json mapped object kept', 'json', { a: 1 }, { a: 1 }],
	])('%s', (_label, type, value, expected) => {
		expect(
			buildProperties(rows(['key', type, value]), 'Event Properties', {
				target: 'event',
				zone: ZONE,
			}),
		).toEqual({ key: expected });
	});

	test('contact date attributes are sent as YYYY-MM-DD', () => {
		expect(
			buildProperties(
				rows(['BIRTHDAY', 'date', '1990-05-17T08:00:00+02:00']),
				'Contact Properties',
				{ target: 'contact', zone: ZONE },
			),
		).toEqual({
			BIRTHDAY: '1990-05-17',
		});
	});

	test('a fully blank row is ignored', () => {
		expect(
			buildProperties(rows(['', 'string', '']), 'Event Properties', {
				target: 'event',
				zone: ZONE,
			}),
		).toEqual({});
	});

	test.each([
		[
			'a number that is not',
			['AGE', 'number', 'thirty'],
			'Contact Properties › AGE',
			/"thirty" is not a number/,
		],
		['an empty number', ['AGE', 'number', ''], 'Contact Properties › AGE', /is not a number/],
		[
			'a boolean that is not',
			['VIP', 'boolean', 'maybe'],
			'Contact Properties › VIP',
			/is not a boolean/,
		],
		[
			'a date that is not',
			['BIRTHDAY', 'date', 'soon'],
			'Contact Properties › BIRTHDAY',
			/is not a date/,
		],
		['broken JSON', ['X', 'json', '{nope'], 'Contact Properties › X', /is not valid JSON/],
		[
			'a value left with no name',
			['', 'string', 'Jane'],
			'Contact Properties › row 1',
			/Name is empty/,
		],
		[
			'a name with a space',
			['FIRST NAME', 'string', 'Jane'],
			'Contact Properties › FIRST NAME',
			/^Name "FIRST NAME" contains a character Brevo does not accept: a space$/,
		],
		[
			'an object as a contact value',
			['X', 'json', '{"a":1}'],
			'Contact Properties › X',
			/not a value a contact attribute can hold/,
		],
	])('rejects %s', (_label, row, field, message) => {
		const error = fieldError(() =>
			buildProperties(rows(row as [string, string, unknown]), 'Contact Properties', {
				target: 'contact',
				zone: ZONE,
			}),
		);
		expect(error.field).toBe(field);
		expect(error.message).toMatch(message);
	});

	test('rejects a name given twice', () => {
		const error = fieldError(() =>
			buildProperties(rows(['AGE', 'number', '1'], ['AGE', 'number', '2']), 'Contact Properties', {
				target: 'contact',
				zone: ZONE,
			}),
		);
		expect(error.message).toMatch(/"AGE" appears more than once/);
	});

	test('a contact multiple-choice value (list of strings) is accepted', () => {
		expect(
			buildProperties(rows(['INTERESTS', 'json', '["video","audio"]']), 'Contact Properties', {
				target: 'contact',
				zone: ZONE,
			}),
		).toEqual({
			INTERESTS: ['video', 'audio'],
		});
	});

	test('a 256-character name is rejected, 255 accepted', () => {
		const ok = 'a'.repeat(255);
		expect(
			buildProperties(rows([ok, 'string', 'x']), 'Event Properties', {
				target: 'event',
				zone: ZONE,
			}),
		).toEqual({ [ok]: 'x' });
		const error = fieldError(() =>
			buildProperties(rows(['a'.repeat(256), 'string', 'x']), 'Event Properties', {
				target: 'event',
				zone: ZONE,
			}),
		);
		expect(error.message).toMatch(/256 characters long; Brevo allows at most 255/);
	});
});

describe('buildProperties, JSON', () => {
	test('keeps nested objects and arrays with their types', () => {
		const json = '{"order":{"id":"A-1","lines":[{"sku":"T","qty":2,"gift":false}]},"total":59.9}';
		expect(
			buildProperties({ mode: 'json', json }, 'Event Properties', { target: 'event', zone: ZONE }),
		).toEqual({
			order: { id: 'A-1', lines: [{ sku: 'T', qty: 2, gift: false }] },
			total: 59.9,
		});
	});

	test('an empty object gives no properties', () => {
		expect(
			buildProperties({ mode: 'json', json: '{}' }, 'Event Properties', {
				target: 'event',
				zone: ZONE,
			}),
		).toEqual({});
	});

	test.each([
		[
			'a nested key with a dot',
			'{"order":{"line.1":1}}',
			'Event Properties › order › line.1',
			/^Key "line.1" contains a character Brevo does not accept: a dot \('\.'\)$/,
		],
		[
			'a key inside an array',
			'{"lines":[{"ok":1},{"bad key":2}]}',
			'Event Properties › lines[1] › bad key',
			/Key "bad key"/,
		],
		[
			'a top-level key with a space',
			'{"bad key":1}',
			'Event Properties › bad key',
			/Name "bad key"/,
		],
		['an array instead of an object', '[1,2]', 'Event Properties', /must be a JSON object/],
		['text that is not JSON', '{"a":', 'Event Properties', /is not valid JSON/],
	])('rejects %s', (_label, json, field, message) => {
		const error = fieldError(() =>
			buildProperties({ mode: 'json', json }, 'Event Properties', { target: 'event', zone: ZONE }),
		);
		expect(error.field).toBe(field);
		expect(error.message).toMatch(message);
	});
});
