import type { IDataObject } from 'n8n-workflow';

import {
	holdsExpression,
	readCreateSettings,
	readEventInput,
} from '../../../../nodes/BrevoEvent/parameters/create.parameters';
import { executeContext } from '../../../helpers/execute-context';

const items = (n: number) =>
	Array.from({ length: n }, (_, i) => ({
		json: { email: `c${i}@example.com`, Age: String(20 + i), order: `A-${i}`, at: 1706114397 + i },
	}));

/** Reads every item's input as Create's execute() does; returns them and the parameter reads. */
function readAll(parameters: IDataObject | ((i: number) => IDataObject), count = 5) {
	const { ctx, parameterReads } = executeContext({ parameters, items: items(count) });
	const settings = readCreateSettings(ctx);
	const inputs = Array.from({ length: count }, (_, i) => readEventInput(ctx, i, settings));
	return { settings, inputs, parameterReads };
}

const fieldsMode = {
	resource: 'event',
	operation: 'create',
	eventName: 'order_created',
	identifiersFrom: 'fields',
	identifierFields: { emailId: 'email' },
	specifyContactProperties: 'auto',
	contactPropertiesExcept: 'email',
	specifyEventProperties: 'allFields',
	eventPropertiesExcept: 'email, Age',
	additionalFields: { eventDateField: 'at' },
	options: { sendMode: 'batch', output: 'outcome' },
};

describe('reading Create parameters', () => {
	test('an expression anywhere in a raw value is detected', () => {
		expect(holdsExpression('={{ $json.a }}')).toBe(true);
		expect(holdsExpression('plain')).toBe(false);
		expect(holdsExpression({ property: [{ name: 'A', value: 'x' }] })).toBe(false);
		expect(holdsExpression({ property: [{ name: 'A', value: '={{ 1 }}' }] })).toBe(true);
		expect(holdsExpression([1, null, true])).toBe(false);
	});

	test('the input-field modes read each item from its JSON; parameters are read once, not per item', () => {
		const { settings, inputs, parameterReads } = readAll(fieldsMode, 5);

		expect(settings).toMatchObject({
			contactMode: 'auto',
			eventMode: 'allFields',
			identifiersMode: 'fields',
			usesAttributeTypes: true,
			sendMode: 'batch',
			output: 'outcome',
		});
		expect(inputs[3]).toEqual({
			eventName: 'order_created',
			identifiers: { emailId: 'c3@example.com' },
			eventDate: 1706114400,
			contactProperties: {
				mode: 'auto',
				fields: items(5)[3].json,
				except: new Set(['email']),
			},
			eventProperties: { mode: 'json', json: { order: 'A-3', at: 1706114400 } },
			object: undefined,
		});
		// Every read happens for item 0 only: nothing here depends on the item.
		expect(parameterReads.every((read) => read.itemIndex === 0)).toBe(true);
		const reads = (name: string) => parameterReads.filter((read) => read.name === name).length;
		for (const name of [
			'eventName',
			'identifierFields',
			'contactPropertiesExcept',
			'eventPropertiesExcept',
			'additionalFields',
		]) {
			expect(reads(name)).toBe(1);
		}
		expect(reads('identifiers')).toBe(0);
	});

	test('a parameter holding an expression is read for every item', () => {
		const { inputs, parameterReads } = readAll(
			(i) => ({ ...fieldsMode, eventName: `order_${i}` }),
			4,
		);
		expect(inputs.map((input) => input.eventName)).toEqual([
			'order_0',
			'order_1',
			'order_2',
			'order_3',
		]);
		expect(parameterReads.filter((read) => read.name === 'eventName')).toHaveLength(4);
		expect(parameterReads.filter((read) => read.name === 'identifierFields')).toHaveLength(1);
	});

	test('selected event properties and Map Each Attribute', () => {
		const { inputs, settings } = readAll(
			{
				...fieldsMode,
				specifyEventProperties: 'namedFields',
				eventPropertiesFields: 'order, missing',
				specifyContactProperties: 'mapper',
				contactAttributes: {
					mappingMode: 'defineBelow',
					value: { AGE: 40, VIP: null },
					matchingColumns: [],
					schema: [],
				},
			},
			2,
		);
		expect(settings.usesAttributeTypes).toBe(true);
		expect(inputs[1].eventProperties).toEqual({ mode: 'json', json: { order: 'A-1' } });
		expect(inputs[1].contactProperties).toEqual({
			mode: 'keypair',
			rows: [{ name: 'AGE', type: 'attribute', value: 40 }],
		});
	});

	test('the typed modes keep their parameters; identifiers from values by default', () => {
		const { settings, inputs } = readAll(
			{
				eventName: 'x',
				identifiers: { extId: 'e-1' },
				specifyContactProperties: 'keypair',
				contactProperties: { property: [{ name: 'AGE', type: 'number', value: '3' }] },
				specifyEventProperties: 'json',
				eventPropertiesJson: '{"a": 1}',
			},
			1,
		);
		expect(settings).toMatchObject({
			identifiersMode: 'values',
			usesAttributeTypes: false,
			output: 'event',
			sendMode: 'single',
		});
		expect(inputs[0]).toMatchObject({
			identifiers: { extId: 'e-1' },
			contactProperties: { mode: 'keypair', rows: [{ name: 'AGE', type: 'number', value: '3' }] },
			eventProperties: { mode: 'json', json: '{"a": 1}' },
		});
	});

	test.each([
		[
			'a value without Name, as the editor leaves a row it emptied',
			[{ name: '', value: 'Jane' }],
			true,
		],
		['a Name missing from the saved row', [{ type: 'string', value: 'Jane' }], true],
		['a row left blank', [{ name: '', type: 'string', value: '' }], false],
		['a Name from an expression', [{ name: '={{ $json.attribute }}', value: 'Jane' }], false],
		['rows with Names', [{ name: 'FIRSTNAME', value: 'Jane' }], false],
	])('contact rows: %s → contactRowWithoutName %s', (_, property, expected) => {
		const { ctx } = executeContext({
			parameters: {
				eventName: 'x',
				specifyContactProperties: 'keypair',
				contactProperties: { property },
			},
		});
		expect(readCreateSettings(ctx).contactRowWithoutName).toBe(expected);
	});

	test('Event Date and Event Date Field both set: refused once, before any item', () => {
		const { ctx } = executeContext({
			parameters: {
				...fieldsMode,
				additionalFields: { eventDate: '2024-01-01', eventDateField: 'at' },
			},
		});
		expect(() => readCreateSettings(ctx)).toThrow(
			'Additional Fields: Event Date and Event Date Field are both set',
		);
	});
});
