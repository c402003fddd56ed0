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

describe('buildProperties: every value exact or refused', () => {
	const event = { target: 'event' as const, zone: ZONE };
	const contact = { target: 'contact' as const, zone: ZONE };
	const reservedMessage = (what: string, key: string) =>
		`${what} "${key}" cannot be sent: n8n's HTTP client drops the keys __proto__, constructor and prototype`;

	test.each(['__proto__', 'constructor', 'prototype'])('a row named %s is refused', (name) => {
		for (const [label, context] of [
			['Contact Properties', contact],
			['Event Properties', event],
		] as const) {
			const error = fieldError(() => buildProperties(rows([name, 'string', 'x']), label, context));
			expect(error.field).toBe(`${label} › ${name}`);
			expect(error.message).toBe(reservedMessage('Name', name));
		}
	});

	test.each([
		['top level, JSON text', '{"__proto__":{"x":1}}', 'Event Properties › __proto__', 'Name'],
		['top level', { constructor: 'c' }, 'Event Properties › constructor', 'Name'],
		['nested', { order: { prototype: 1 } }, 'Event Properties › order › prototype', 'Key'],
		[
			'nested in a list, JSON text',
			'{"lines":[{"ok":1},{"__proto__":2}]}',
			'Event Properties › lines[1] › __proto__',
			'Key',
		],
	])('a reserved key is refused in JSON mode: %s', (_label, json, field, what) => {
		const error = fieldError(() =>
			buildProperties({ mode: 'json', json }, 'Event Properties', event),
		);
		expect(error.field).toBe(field);
		expect(error.message).toBe(reservedMessage(what, field.split(' › ').pop()!));
	});

	test('a reserved key inside a JSON row is refused', () => {
		const error = fieldError(() =>
			buildProperties(rows(['meta', 'json', '{"constructor":1}']), 'Event Properties', event),
		);
		expect(error.field).toBe('Event Properties › meta › constructor');
	});

	test('inside a String row, reserved keys are only text and are sent as such', () => {
		expect(
			buildProperties(rows(['note', 'string', { constructor: 1 }]), 'Event Properties', event),
		).toStrictEqual({ note: '{"constructor":1}' });
	});

	test.each([
		['rows', rows(['AGE', 'number', '1'], ['age', 'number', '2'])],
		['JSON', { mode: 'json', json: '{"AGE":1,"age":2}' } as PropertiesInput],
	])('contact attributes differing only in case are refused (%s)', (_label, input) => {
		const error = fieldError(() => buildProperties(input, 'Contact Properties', contact));
		expect(error.field).toBe('Contact Properties › age');
		expect(error.message).toBe(
			'"AGE" and "age" are the same contact attribute: Brevo ignores the case of attribute names',
		);
	});

	test('event property keys keep their case: Plan and plan are two keys', () => {
		expect(
			buildProperties({ mode: 'json', json: '{"Plan":1,"plan":2}' }, 'Event Properties', event),
		).toStrictEqual({ Plan: 1, plan: 2 });
	});

	test.each([
		['JSON mode, a mapped object', { mode: 'json', json: { AGE: Number('thirty') } }, 'AGE'],
		['JSON mode, nested', { mode: 'json', json: { order: { total: 1 / 0 } } }, 'order › total'],
		[
			'a JSON row',
			rows(['order', 'json', { lines: [{ qty: Number.NaN }] }]),
			'order › lines[0] › qty',
		],
		['a Number row', rows(['AGE', 'number', Number.NaN]), 'AGE'],
		['a String row', rows(['AGE', 'string', Number.NaN]), 'AGE'],
	] as Array<[string, PropertiesInput, string]>)(
		'NaN and Infinity are refused naming the key path: %s',
		(_label, input, path) => {
			const error = fieldError(() => buildProperties(input, 'Event Properties', event));
			expect(error.field).toBe(`Event Properties › ${path}`);
			expect(error.message).toMatch(
				/^is (NaN|Infinity).*which JSON cannot carry: Brevo would receive null$/,
			);
		},
	);

	test('a big integer in JSON text is refused, not rounded', () => {
		const error = fieldError(() =>
			buildProperties(
				{ mode: 'json', json: '{"id":12345678901234567890}' },
				'Event Properties',
				event,
			),
		);
		expect(error.field).toBe('Event Properties › id');
		expect(error.message).toMatch(/is beyond ±9007199254740991/);
	});

	test('JSON text nested 5,000 levels: a clear error naming the field and the limit', () => {
		const json = `{"deep":${'['.repeat(5000)}${']'.repeat(5000)}}`;
		const error = fieldError(() =>
			buildProperties({ mode: 'json', json }, 'Event Properties', event),
		);
		expect(error.field).toBe('Event Properties › deep');
		expect(error.message).toBe(
			'nests objects and arrays more than 100 levels deep; the node accepts at most 100',
		);
	});

	test('the same in a String row (written as JSON text) and in contact properties', () => {
		const deep = JSON.parse(`${'['.repeat(5000)}${']'.repeat(5000)}`) as unknown;
		expect(
			fieldError(() => buildProperties(rows(['x', 'string', deep]), 'Event Properties', event))
				.message,
		).toMatch(/more than 100 levels deep/);
		expect(
			fieldError(() => buildProperties(rows(['X', 'json', deep]), 'Contact Properties', contact))
				.message,
		).toMatch(/more than 100 levels deep/);
	});

	test('99 levels below a property are accepted (100 with the properties object)', () => {
		const json = `{"deep":${'['.repeat(99)}${']'.repeat(99)}}`;
		const built = buildProperties({ mode: 'json', json }, 'Event Properties', event);
		expect(JSON.stringify(built)).toBe(json);
	});
});

describe('names: offending characters in words', () => {
	test.each([
		['a\tb', 'a character Brevo does not accept: a tab'],
		['first name.x', "characters Brevo does not accept: a space and a dot ('.')"],
		['a,b;c', "characters Brevo does not accept: a comma (',') and a semicolon (';')"],
		['prénom', "a character Brevo does not accept: the letter 'é' (U+00E9)"],
		['a\u200bb', 'a character Brevo does not accept: an invisible character (U+200B)'],
		['a\u00a0b', 'a character Brevo does not accept: a non-breaking space'],
		['price€', "a character Brevo does not accept: '€' (U+20AC)"],
		['a b c/d', "characters Brevo does not accept: a space and a slash ('/')"],
	])('%p', (name, message) => {
		const error = fieldError(() =>
			buildProperties(rows([name, 'string', 'x']), 'Event Properties', {
				target: 'event',
				zone: ZONE,
			}),
		);
		expect(error.message).toBe(`Name "${name}" contains ${message}`);
	});
});
