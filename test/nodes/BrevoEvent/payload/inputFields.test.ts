import { parseAttributes, attributeFields } from '../../../../nodes/BrevoEvent/payload/attributes';
import { buildEventPayload } from '../../../../nodes/BrevoEvent/payload/event';
import {
	allFieldsExcept,
	fieldValue,
	identifiersFromFields,
	mappedAttributeRows,
	namedFields,
	parseFieldList,
} from '../../../../nodes/BrevoEvent/payload/inputFields';
import { autoMappedRows, buildProperties } from '../../../../nodes/BrevoEvent/payload/properties';
import { ATTRIBUTES } from '../../../sandbox/brevo-sandbox.js';
import { fieldErrorOf } from '../../../helpers/field-error';

const attributes = parseAttributes({ attributes: ATTRIBUTES });

describe('values read from input fields', () => {
	test('a field by its exact name first, else by a dotted path; missing gives undefined', () => {
		const json = { email: 'a@x.io', 'a.b': 1, a: { b: 2, c: { d: [3] } }, n: null };
		expect(fieldValue(json, 'email')).toBe('a@x.io');
		expect(fieldValue(json, 'a.b')).toBe(1);
		expect(fieldValue(json, 'a.c.d')).toEqual([3]);
		expect(fieldValue(json, 'a.x.y')).toBeUndefined();
		expect(fieldValue(json, 'n.m')).toBeUndefined();
		expect(fieldValue(json, 'missing')).toBeUndefined();
	});

	test('field lists: comma-separated or a list, trimmed, empty names dropped', () => {
		expect(parseFieldList(' email, firstName ,,age ')).toEqual(['email', 'firstName', 'age']);
		expect(parseFieldList(['a', ' b '])).toEqual(['a', 'b']);
		expect(parseFieldList('')).toEqual([]);
		expect(parseFieldList(undefined)).toEqual([]);
	});

	test('identifiers come from the named fields; unnamed ones are not read', () => {
		const json = { mail: 'jane@example.com', id: 42, customer: { ref: 'ext-1' } };
		expect(
			identifiersFromFields(json, {
				emailId: 'mail',
				contactId: ' id ',
				extId: 'customer.ref',
				phoneId: '',
			}),
		).toEqual({ emailId: 'jane@example.com', contactId: 42, extId: 'ext-1' });
	});

	test('all fields but the excluded ones, and the named ones that exist, in item order', () => {
		const json = { a: 1, b: { c: 2 }, d: 'x' };
		const all = allFieldsExcept(json, new Set(['d']));
		expect(all).toEqual({ a: 1, b: { c: 2 } });
		expect(all).not.toBe(json);
		expect(json).toEqual({ a: 1, b: { c: 2 }, d: 'x' });
		expect(namedFields(json, ['d', 'missing', 'a'])).toEqual({ d: 'x', a: 1 });
	});

	test('Map Automatically: fields named like an attribute, any case, become rows typed by it', () => {
		const rows = autoMappedRows(
			{ firstName: 'Jane', age: '32', Vip: 'yes', email: 'j@x.io', sms: '+33', blank: '' },
			attributes,
			new Set(),
		);
		expect(rows).toEqual([
			{ name: 'FIRSTNAME', type: 'attribute', value: 'Jane' },
			{ name: 'AGE', type: 'attribute', value: '32' },
			{ name: 'VIP', type: 'attribute', value: 'yes' },
		]);
	});

	test('Map Automatically: empty values and excluded fields are left out', () => {
		const rows = autoMappedRows(
			{ firstname: '', lastname: '  ', age: null, vip: undefined, gender: 'male', interests: 'a' },
			attributes,
			new Set(['interests']),
		);
		expect(rows).toEqual([{ name: 'GENDER', type: 'attribute', value: 'male' }]);
	});

	test('Map Each Attribute: the mapper values become rows typed by their attribute; empty ones are skipped', () => {
		expect(mappedAttributeRows({ AGE: 40, VIP: null, FIRSTNAME: '', GENDER: 'MALE' })).toEqual([
			{ name: 'AGE', type: 'attribute', value: 40 },
			{ name: 'GENDER', type: 'attribute', value: 'MALE' },
		]);
		expect(mappedAttributeRows(null)).toEqual([]);
	});
});

// Found by a hostile-input probe: assignment took an item's own "__proto__" field (JSON.parse gives
// one) as the prototype, so the field vanished from the event instead of being refused.
describe('an input field named __proto__', () => {
	const item = () => JSON.parse('{"__proto__": {"plan": "gold"}, "order_id": "A-1"}');
	const eventProperties = (json: Record<string, unknown>) => () =>
		buildProperties({ mode: 'json', json }, 'Event Properties', {
			target: 'event',
			zone: 'Europe/Paris',
		});

	test.each([
		['All Input Fields', () => allFieldsExcept(item(), new Set())],
		['Selected Input Fields', () => namedFields(item(), ['__proto__', 'order_id'])],
	])('%s: kept as a field of its own, then refused as a reserved key', (_mode, picked) => {
		const json = picked();
		expect(Object.keys(json)).toEqual(['__proto__', 'order_id']);
		expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
		expect(fieldErrorOf(eventProperties(json))).toMatchObject({
			field: 'Event Properties › __proto__',
		});
	});

	test('left out by All Input Fields when excepted', () => {
		expect(allFieldsExcept(item(), new Set(['__proto__']))).toStrictEqual({ order_id: 'A-1' });
	});
});

describe('the input-field modes through the payload builder', () => {
	const context = { target: 'contact' as const, zone: 'Europe/Paris', attributes };

	test('auto mode converts each value to its attribute type', () => {
		expect(
			buildProperties(
				{
					mode: 'auto',
					fields: { age: '41', vip: 'no', birthday: '2024-02-29T23:30:00Z', interests: 'a, b' },
					except: new Set(),
				},
				'Contact Properties',
				context,
			),
		).toStrictEqual({ AGE: 41, VIP: false, BIRTHDAY: '2024-02-29', INTERESTS: ['a', 'b'] });
	});

	test('auto mode: the same error as a row typed by its attribute', () => {
		const auto = () =>
			buildProperties(
				{ mode: 'auto', fields: { Age: 'old' }, except: new Set() },
				'Contact Properties',
				context,
			);
		const row = () =>
			buildProperties(
				{ mode: 'keypair', rows: [{ name: 'AGE', type: 'attribute', value: 'old' }] },
				'Contact Properties',
				context,
			);
		const expected = {
			field: 'Contact Properties › AGE',
			message: '"old" is not a number (AGE is a float attribute in Brevo)',
		};
		expect(fieldErrorOf(auto)).toMatchObject(expected);
		expect(fieldErrorOf(row)).toMatchObject(expected);
	});

	test('auto mode without the account attributes is a programming error, not silence', () => {
		expect(() =>
			buildProperties(
				{ mode: 'auto', fields: { age: 1 }, except: new Set() },
				'Contact Properties',
				{
					target: 'contact',
					zone: 'UTC',
				},
			),
		).toThrow('Map Automatically needs the account contact attributes');
	});

	test('a whole event from input fields', () => {
		const json = { mail: 'jane@example.com', age: '32', order: 'A-1', at: 1706114397 };
		expect(
			buildEventPayload(
				{
					eventName: 'order_created',
					identifiers: identifiersFromFields(json, { emailId: 'mail' }),
					eventDate: fieldValue(json, 'at'),
					contactProperties: { mode: 'auto', fields: json, except: new Set() },
					eventProperties: { mode: 'json', json: namedFields(json, ['order']) },
				},
				'Europe/Paris',
				attributes,
			),
		).toStrictEqual({
			event_name: 'order_created',
			identifiers: { email_id: 'jane@example.com' },
			event_date: '2024-01-24T17:39:57+01:00',
			contact_properties: { AGE: 32 },
			event_properties: { order: 'A-1' },
		});
	});
});

describe('Map Each Attribute fields (resource mapper)', () => {
	test('one field per attribute, sorted, typed for the editor, none required', () => {
		const fields = attributeFields(attributes);
		expect(fields.map((f) => [f.id, f.displayName, f.type])).toEqual([
			['AGE', 'AGE (float)', 'number'],
			['BIRTHDAY', 'BIRTHDAY (date)', 'dateTime'],
			['CUSTOMER_ID', 'CUSTOMER_ID (id)', 'string'],
			['FIRSTNAME', 'FIRSTNAME (text)', 'string'],
			['GENDER', 'GENDER (category)', 'options'],
			['INTERESTS', 'INTERESTS (multiple-choice)', 'string'],
			['LANGUAGE', 'LANGUAGE (category)', 'options'],
			['LASTNAME', 'LASTNAME (text)', 'string'],
			['VIP', 'VIP (boolean)', 'boolean'],
		]);
		expect(fields.every((f) => !f.required && f.display && !f.defaultMatch)).toBe(true);
		// Labels shown, Brevo's values stored and sent (valueStr when the account gives one).
		expect(fields.find((f) => f.id === 'GENDER')?.options).toEqual([
			{ name: 'FEMALE', value: 1 },
			{ name: 'MALE', value: 2 },
		]);
		expect(fields.find((f) => f.id === 'LANGUAGE')?.options).toEqual([
			{ name: 'English', value: 'en' },
			{ name: 'French', value: 'fr' },
			{ name: 'Other', value: 3 },
		]);
	});
});
