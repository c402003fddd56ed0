import {
	attributeOptions,
	convertForAttribute,
	parseAttributes,
} from '../../../../nodes/BrevoEvent/payload/attributes';
import { fieldErrorOf } from '../../../helpers/field-error';
import { ATTRIBUTES } from '../../../../tools/sandbox/brevo-sandbox.js';

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
		['category by label, any case', 'GENDER', 'female', 'FEMALE'],
		['category by value', 'GENDER', '2', 2],
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
		['GENDER', 'other', /"other" is not one of the values of category attribute GENDER/],
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
			'LASTNAME (text)',
			'VIP (boolean)',
		]);
		expect(options[0]).toEqual({
			name: 'AGE (float)',
			value: 'AGE',
			description: 'normal attribute of type float; sent as a number',
		});
	});
});
