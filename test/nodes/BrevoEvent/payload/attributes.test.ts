import {
	attributeOptions,
	convertForAttribute,
	parseAttributes,
} from '../../../../nodes/BrevoEvent/payload/attributes';
import { fieldErrorOf } from '../../../helpers/field-error';
import { ATTRIBUTES } from '../../../sandbox/brevo-sandbox.js';

const attributes = parseAttributes({ attributes: ATTRIBUTES });
const convert = (name: string, value: unknown) =>
	convertForAttribute(value, name, `Contact Properties › ${name}`, attributes, 'Europe/Paris');

describe('contact attribute types', () => {
	test.each([
		['text', 'FIRSTNAME', 42, '42'],
		['float from text', 'AGE', '32', 32],
		['float kept', 'AGE', 32.5, 32.5],
		['boolean from yes', 'VIP', 'yes', true],
		['date to YYYY-MM-DD', 'BIRTHDAY', '1990-05-17T23:30:00+02:00', '1990-05-17'],
		[
			'old-shape category (no valueStr) by label, any case: sent as its value',
			'GENDER',
			'female',
			1,
		],
		['old-shape category by value', 'GENDER', '2', 2],
		['old-shape category by value, mapped as a number', 'GENDER', 2, 2],
		['new-shape category by valueStr', 'LANGUAGE', 'en', 'en'],
		['new-shape category by label, any case: sent as its valueStr', 'LANGUAGE', 'french', 'fr'],
		['new-shape numeric option by value: the number, as before', 'LANGUAGE', '3', 3],
		['new-shape numeric option by label', 'LANGUAGE', 'Other', 3],
		['multiple-choice from a comma list', 'INTERESTS', 'video, audio', ['video', 'audio']],
		['multiple-choice from JSON', 'INTERESTS', '["video"]', ['video']],
		['id as text', 'CUSTOMER_ID', 1001, '1001'],
		['a lower-case name finds the attribute', 'age', '7', 7],
	])('%s', (_label, name, value, expected) => {
		expect(convert(name, value)).toEqual(expected);
	});

	test.each([
		['AGE', 'thirty', /"thirty" is not a number \(AGE is a float attribute in Brevo\)/],
		['VIP', 'maybe', /"maybe" is not a boolean \(VIP is a boolean attribute in Brevo\)/],
		['BIRTHDAY', 'someday', /is not a date \(BIRTHDAY is a date attribute in Brevo\)/],
		['GENDER', 'other', /^"other" is not one of the options of category attribute GENDER$/],
		// The 0 that non-numeric options carry in `value` is not a value of theirs.
		['LANGUAGE', '0', /^"0" is not one of the options of category attribute LANGUAGE$/],
		['LANGUAGE', 'de', /^"de" is not one of the options of category attribute LANGUAGE$/],
		['NICKNAME', 'Jay', /there is no contact attribute "NICKNAME" in this Brevo account/],
	])('%s = %p is refused, naming the attribute', (name, value, message) => {
		const error = fieldErrorOf(() => convert(name, value));
		expect(error.field).toBe(`Contact Properties › ${name}`);
		expect(error.message).toMatch(message);
	});

	test('the picker lists every attribute by name with its type, sorted', () => {
		const options = attributeOptions(attributes);
		expect(options.map((o) => o.name)).toEqual([
			'AGE (float)',
			'BIRTHDAY (date)',
			'CUSTOMER_ID (id)',
			'FIRSTNAME (text)',
			'GENDER (category)',
			'INTERESTS (multiple-choice)',
			'LANGUAGE (category)',
			'LASTNAME (text)',
			'VIP (boolean)',
		]);
		expect(options[0]).toEqual({
			name: 'AGE (float)',
			value: 'AGE',
			description: 'normal attribute of type float; sent as a number',
		});
		const description = (value: string) => options.find((o) => o.value === value)?.description;
		expect(description('LANGUAGE')).toBe(
			"category attribute of type category; sent as its option's value. Label or value: English (en), French (fr), Other (3)",
		);
		expect(description('GENDER')).toBe(
			"category attribute of type category; sent as its option's value. Label or value: FEMALE (1), MALE (2)",
		);
	});

	test('a refused category value names every option, label and value', () => {
		const error = fieldErrorOf(() => convert('LANGUAGE', 'de'));
		expect(error.hint).toBe('Use a label or a value: English (en), French (fr), Other (3)');
	});

	test('the picker shows at most 10 options of a long category', () => {
		const many = parseAttributes({
			attributes: [
				{
					name: 'COUNTRY',
					category: 'category',
					type: 'category',
					enumeration: Array.from({ length: 12 }, (_, i) => ({
						value: 0,
						valueStr: `c${i}`,
						label: `Country ${i}`,
					})),
				},
			],
		});
		expect(attributeOptions(many)[0].description).toMatch(
			/Label or value: Country 0 \(c0\), .*, Country 9 \(c9\), … \(12 in all\)$/,
		);
	});

	test('an option whose valueStr is empty falls back to its numeric value', () => {
		const legacy = parseAttributes({
			attributes: [
				{
					name: 'TIER',
					type: 'category',
					enumeration: [{ value: 5, valueStr: '', label: 'Gold' }],
				},
			],
		});
		expect(convertForAttribute('gold', 'TIER', 'Contact Properties › TIER', legacy, 'UTC')).toBe(5);
	});
});
