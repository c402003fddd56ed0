import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runBrevoEventNode } from '../helpers/n8n-engine';
import { useSandbox } from '../helpers/sandbox';

/**
 * Unusual but real-world values, mapped by real n8n expressions in n8n-core's engine: each reaches
 * the sandbox exactly (checked on the bytes it received) or becomes an error item naming the field.
 */
describe('values through the n8n engine: exact on the wire or refused', () => {
	const sandbox = useSandbox({ logBodies: true });

	const base = {
		resource: 'event',
		operation: 'create',
		eventName: 'value_checked',
		identifiers: { emailId: '={{ $json.email }}' },
	};

	/** Runs one node over `values` (one item each, with its own email), under Continue On Fail. */
	async function run(parameters: IDataObject, values: IDataObject[]) {
		const items = values.map((json, i) => ({ json: { email: `v${i}@example.com`, ...json } }));
		const { output, error } = await runBrevoEventNode({
			parameters: { ...base, ...parameters },
			items,
			credentials: sandbox.credentials,
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(output!.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		return output as INodeExecutionData[];
	}

	/** The body of the request that carried item `i`'s event, exactly as the sandbox received it. */
	function bodyOf(i: number): string {
		const bodies = sandbox
			.requests()
			.map((request) => request.body ?? '')
			.filter((body) => body.includes(`"v${i}@example.com"`));
		expect(bodies).toHaveLength(1);
		return bodies[0];
	}

	const errorOf = (output: INodeExecutionData[], i: number) => output[i].json.error;

	test('NaN and Infinity are refused naming the field and key path, never sent as null', async () => {
		const output = await run(
			{
				specifyContactProperties: 'json',
				contactPropertiesJson: '={{ { AGE: Number($json.age) } }}',
				specifyEventProperties: 'keypair',
				eventProperties: {
					property: [
						{ name: 'order', type: 'json', value: '={{ { total: $json.total / $json.qty } }}' },
						{ name: 'qty', type: 'number', value: '={{ Number($json.qtyText) }}' },
					],
				},
			},
			[
				{ age: 'thirty', total: 10, qty: 2, qtyText: '2' },
				{ age: '30', total: 10, qty: 0, qtyText: '2' },
				{ age: '30', total: 10, qty: 2, qtyText: 'two' },
				{ age: '30', total: 10, qty: 2, qtyText: '2' },
			],
		);
		expect(errorOf(output, 0)).toBe(
			'Invalid Contact Properties › AGE in item 0: is NaN ("not a number"), which JSON cannot carry: Brevo would receive null',
		);
		expect(errorOf(output, 1)).toBe(
			'Invalid Event Properties › order › total in item 1: is Infinity, which JSON cannot carry: Brevo would receive null',
		);
		expect(errorOf(output, 2)).toBe(
			'Invalid Event Properties › qty in item 2: is NaN ("not a number"), which JSON cannot carry: Brevo would receive null',
		);
		expect(sandbox.stored()).toHaveLength(1);
		expect(bodyOf(3)).toBe(
			'{"event_name":"value_checked","identifiers":{"email_id":"v3@example.com"},"contact_properties":{"AGE":30},"event_properties":{"order":{"total":5},"qty":2}}',
		);
	});

	test('numbers past the exact range and hexadecimal text are refused, not rounded or converted', async () => {
		const output = await run(
			{
				specifyEventProperties: 'keypair',
				eventProperties: { property: [{ name: 'n', type: 'number', value: '={{ $json.n }}' }] },
			},
			[{ n: '9007199254740993' }, { n: '0x10' }, { n: '1.00000000000000001' }, { n: ' 59.90 ' }],
		);
		expect(errorOf(output, 0)).toBe(
			'Invalid Event Properties › n in item 0: "9007199254740993" is beyond ±9007199254740991, where numbers are no longer exact',
		);
		expect(errorOf(output, 1)).toBe(
			'Invalid Event Properties › n in item 1: "0x10" is not a number',
		);
		expect(errorOf(output, 2)).toBe(
			'Invalid Event Properties › n in item 2: "1.00000000000000001" has more digits than a number holds exactly: it would be sent as 1',
		);
		expect(bodyOf(3)).toContain('"event_properties":{"n":59.9}}');
	});

	test('digit-only dates: 8 digits are yyyyMMdd; years and 11-digit epochs are refused', async () => {
		const output = await run(
			{
				specifyContactProperties: 'keypair',
				contactProperties: {
					property: [{ name: 'BIRTHDAY', type: 'date', value: '={{ $json.birthday }}' }],
				},
				additionalFields: { eventDate: '={{ $json.at }}' },
			},
			[
				{ at: '20240124', birthday: '19900517' },
				{ at: 1706114397, birthday: 20240124 },
				{ at: '1706114397000', birthday: '1990-05-17' },
				{ at: '2024', birthday: '1990-05-17' },
				{ at: 70000000000, birthday: '1990-05-17' },
				{ at: '2024-01-24', birthday: '2024' },
			],
		);
		expect(bodyOf(0)).toBe(
			'{"event_name":"value_checked","identifiers":{"email_id":"v0@example.com"},"event_date":"2024-01-24T00:00:00+01:00","contact_properties":{"BIRTHDAY":"1990-05-17"}}',
		);
		expect(bodyOf(1)).toContain(
			'"event_date":"2024-01-24T17:39:57+01:00","contact_properties":{"BIRTHDAY":"2024-01-24"}',
		);
		expect(bodyOf(2)).toContain('"event_date":"2024-01-24T17:39:57+01:00"');
		expect(errorOf(output, 3)).toBe(
			'Invalid Event Date in item 3: "2024" is a year alone, not a date',
		);
		expect(errorOf(output, 4)).toBe(
			'Invalid Event Date in item 4: 70000000000 is ambiguous: as epoch seconds it is 4188-03-18, as epoch milliseconds 1972-03-21; 11-digit epoch values are refused rather than guessed',
		);
		expect(errorOf(output, 5)).toBe(
			'Invalid Contact Properties › BIRTHDAY in item 5: "2024" is a year alone, not a date',
		);
		expect(sandbox.stored()).toHaveLength(3);
	});

	test('__proto__, constructor and prototype are refused wherever they are, not silently dropped', async () => {
		const rowsOutput = await run(
			{
				specifyEventProperties: 'keypair',
				eventProperties: { property: [{ name: '={{ $json.key }}', type: 'string', value: 'x' }] },
			},
			[{ key: '__proto__' }, { key: 'constructor' }, { key: 'prototype' }],
		);
		for (const [i, key] of ['__proto__', 'constructor', 'prototype'].entries()) {
			expect(errorOf(rowsOutput, i)).toBe(
				`Invalid Event Properties › ${key} in item ${i}: Name "${key}" cannot be sent: n8n's HTTP client drops the keys __proto__, constructor and prototype`,
			);
		}

		sandbox.server.reset();
		const jsonOutput = await run(
			{
				specifyContactProperties: 'json',
				contactPropertiesJson: '={{ $json.contact }}',
				specifyEventProperties: 'json',
				eventPropertiesJson: '={{ $json.event }}',
			},
			[
				{ contact: '{"constructor": 1}', event: '{}' },
				{ contact: '{}', event: '{"order": {"__proto__": {"x": 1}}}' },
				{ contact: {}, event: { lines: [{ prototype: 1 }] } },
			],
		);
		expect(errorOf(jsonOutput, 0)).toMatch(
			/^Invalid Contact Properties › constructor in item 0: Name "constructor" cannot be sent/,
		);
		expect(errorOf(jsonOutput, 1)).toMatch(
			/^Invalid Event Properties › order › __proto__ in item 1: Key "__proto__" cannot be sent/,
		);
		expect(errorOf(jsonOutput, 2)).toMatch(
			/^Invalid Event Properties › lines\[0\] › prototype in item 2: Key "prototype" cannot be sent/,
		);
		expect(sandbox.stored()).toHaveLength(0);
	});

	test('identifiers, event name and object take one exact value: no coercion', async () => {
		const output = await run(
			{
				eventName: '={{ $json.name }}',
				identifiers: { emailId: '={{ $json.email }}', contactId: '={{ $json.contact }}' },
				additionalFields: {
					object: {
						objectValues: { type: '={{ $json.type }}', idType: 'id', id: '={{ $json.id }}' },
					},
				},
			},
			[
				{ name: 'a', contact: '0x10', type: 'order', id: '1' },
				{ name: 'a', contact: [7], type: 'order', id: '1' },
				{ name: 'a', contact: '9007199254740993', type: 'order', id: '1' },
				{ name: 'a', contact: 12, type: { kind: 'order' }, id: '1' },
				{ name: ['a'], contact: 12, type: 'order', id: '1' },
				{ name: 'a', contact: ' 0012 ', type: 'order', id: 1001 },
			],
		);
		expect(errorOf(output, 0)).toBe(
			'Invalid Identifiers › Contact ID in item 0: "0x10" is not a Brevo contact ID (a positive whole number)',
		);
		expect(errorOf(output, 1)).toBe(
			'Invalid Identifiers › Contact ID in item 1: [7] is not a Brevo contact ID (a positive whole number)',
		);
		expect(errorOf(output, 2)).toBe(
			'Invalid Identifiers › Contact ID in item 2: "9007199254740993" is too large to be sent exactly (at most 9007199254740991)',
		);
		expect(errorOf(output, 3)).toBe(
			'Invalid Object › Type in item 3: {"kind":"order"} is not a single value',
		);
		expect(errorOf(output, 4)).toBe('Invalid Event Name in item 4: ["a"] is not a single value');
		expect(bodyOf(5)).toBe(
			'{"event_name":"a","identifiers":{"contact_id":12,"email_id":"v5@example.com"},"object":{"type":"order","identifiers":{"id":"1001"}}}',
		);
		expect(sandbox.stored()).toHaveLength(1);
	});

	test('AGE and age in one event are refused: Brevo attribute names ignore case', async () => {
		const output = await run(
			{
				specifyContactProperties: 'keypair',
				contactProperties: {
					property: [
						{ name: 'AGE', type: 'number', value: '={{ $json.a }}' },
						{ name: '={{ $json.second }}', type: 'number', value: '={{ $json.b }}' },
					],
				},
			},
			[
				{ a: 30, second: 'age', b: 31 },
				{ a: 30, second: 'VIP_LEVEL', b: 2 },
			],
		);
		expect(errorOf(output, 0)).toBe(
			'Invalid Contact Properties › age in item 0: "AGE" and "age" are the same contact attribute: Brevo ignores the case of attribute names',
		);
		expect(bodyOf(1)).toContain('"contact_properties":{"AGE":30,"VIP_LEVEL":2}');
	});

	test('JSON nested thousands of levels: an error naming the field and the limit, no stack overflow', async () => {
		const deepText = `{"deep": ${'['.repeat(5000)}${']'.repeat(5000)}}`;
		const output = await run(
			{ specifyEventProperties: 'json', eventPropertiesJson: '={{ $json.props }}' },
			[{ props: deepText }, { props: '{"ok": [[1]]}' }, { props: JSON.parse(deepText) }],
		);
		expect(errorOf(output, 0)).toBe(
			'Invalid Event Properties › deep in item 0: nests objects and arrays more than 100 levels deep; the node accepts at most 100',
		);
		expect(bodyOf(1)).toContain('"event_properties":{"ok":[[1]]}}');
		// A mapped object that deep overflows n8n's own parameter reading: said the same way.
		expect(errorOf(output, 2)).toBe(
			'Invalid Event Properties in item 2: nests objects and arrays more than 100 levels deep; the node accepts at most 100',
		);
	});

	test('JSON text: numbers exact or refused as in a Number row, repeated keys refused', async () => {
		const output = await run(
			{
				specifyContactProperties: 'json',
				contactPropertiesJson: '={{ $json.contact }}',
				specifyEventProperties: 'json',
				eventPropertiesJson: '={{ $json.props }}',
			},
			[
				{ contact: '{}', props: '{"total": 1.00000000000000001}' },
				{ contact: '{}', props: '{"tiny": 1e-400}' },
				{ contact: '{"PLAN": "free", "PLAN": "pro"}', props: '{}' },
				{ contact: '{}', props: '{"order": {"id": 1, "lines": [{"sku": "a", "sku": "b"}]}}' },
				{ contact: '{"AGE": 3e1}', props: '{"total": 59.90, "n": 1E2, "big": 9007199254740991}' },
			],
		);
		expect(errorOf(output, 0)).toBe(
			'Invalid Event Properties › total in item 0: "1.00000000000000001" has more digits than a number holds exactly: it would be sent as 1',
		);
		expect(errorOf(output, 1)).toBe(
			'Invalid Event Properties › tiny in item 1: "1e-400" is too close to zero for a number to hold: it would be sent as 0',
		);
		expect(errorOf(output, 2)).toBe(
			'Invalid Contact Properties › PLAN in item 2: the key "PLAN" appears more than once in this object; a JSON reader would silently keep only the last value',
		);
		expect(errorOf(output, 3)).toBe(
			'Invalid Event Properties › order › lines[0] › sku in item 3: the key "sku" appears more than once in this object; a JSON reader would silently keep only the last value',
		);
		expect(sandbox.requests()).toHaveLength(1);
		expect(bodyOf(4)).toBe(
			'{"event_name":"value_checked","identifiers":{"email_id":"v4@example.com"},"contact_properties":{"AGE":30},"event_properties":{"total":59.9,"n":100,"big":9007199254740991}}',
		);
	});

	test('a JSON-typed row and a list of booleans: exact, or refused naming the row', async () => {
		const output = await run(
			{
				specifyEventProperties: 'keypair',
				eventProperties: {
					property: [
						{ name: 'order', type: 'json', value: '={{ $json.order }}' },
						{ name: 'vip', type: 'boolean', value: '={{ $json.vip }}' },
					],
				},
			},
			[
				{ order: '{"id": 12345678901234567890}', vip: true },
				{ order: '{"id": 1}', vip: [true] },
				{ order: '{"id": 1}', vip: ['no'] },
				{ order: '{"id": 1, "price": 0.1}', vip: 'no' },
			],
		);
		expect(errorOf(output, 0)).toBe(
			'Invalid Event Properties › order › id in item 0: "12345678901234567890" is beyond ±9007199254740991, where numbers are no longer exact',
		);
		expect(errorOf(output, 1)).toBe(
			'Invalid Event Properties › vip in item 1: [true] is a list, not a boolean',
		);
		expect(errorOf(output, 2)).toBe(
			'Invalid Event Properties › vip in item 2: ["no"] is a list, not a boolean',
		);
		expect(sandbox.requests()).toHaveLength(1);
		expect(bodyOf(3)).toContain('"event_properties":{"order":{"id":1,"price":0.1},"vip":false}}');
	});

	test('local times the clocks skip or show twice (Europe/Paris) are refused, never shifted', async () => {
		const output = await run({ additionalFields: { eventDate: '={{ $json.at }}' } }, [
			{ at: '2024-03-31T02:30:00' },
			{ at: '2024-10-27T02:30:00' },
			{ at: '2024-03-31T03:30:00' },
			{ at: '2024-03-31T02:30:00+01:00' },
			{ at: '2024-10-27T02:30:00+01:00' },
		]);
		expect(errorOf(output, 0)).toBe(
			'Invalid Event Date in item 0: "2024-03-31T02:30:00" does not exist in Europe/Paris: the clocks skip that time (a daylight saving change); it would be sent as 2024-03-31T03:30:00+02:00',
		);
		expect((output[0].json.details as IDataObject).description).toBe(
			'Add the offset you mean: 2024-03-31T02:30:00+01:00 or 2024-03-31T02:30:00+02:00',
		);
		expect(errorOf(output, 1)).toBe(
			'Invalid Event Date in item 1: "2024-10-27T02:30:00" happens twice in Europe/Paris: the clocks go back over that time (a daylight saving change), and which one is meant is refused rather than guessed',
		);
		expect(sandbox.requests()).toHaveLength(3);
		expect(bodyOf(2)).toContain('"event_date":"2024-03-31T03:30:00+02:00"}');
		expect(bodyOf(3)).toContain('"event_date":"2024-03-31T02:30:00+01:00"}');
		expect(bodyOf(4)).toContain('"event_date":"2024-10-27T02:30:00+01:00"}');
	});

	test('Get Many: a date range starting in a DST gap is refused naming the item and field; a valid one is sent as written', async () => {
		const { output, error } = await runBrevoEventNode({
			parameters: {
				resource: 'event',
				operation: 'getAll',
				returnAll: false,
				limit: 1,
				filters: { startDate: '={{ $json.from }}', endDate: '={{ $json.to }}' },
			},
			items: [
				{ json: { from: '2024-03-31T02:30:00', to: '2024-04-01' } },
				{ json: { from: '2024-03-31T03:30:00', to: '2024-04-01T00:00:00' } },
			],
			credentials: sandbox.credentials,
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(output![0]).toEqual({
			json: {
				error:
					'Invalid Filters › Start Date in item 0: "2024-03-31T02:30:00" does not exist in Europe/Paris: the clocks skip that time (a daylight saving change); it would be sent as 2024-03-31T03:30:00+02:00',
				details: {
					itemIndex: 0,
					description:
						'Add the offset you mean: 2024-03-31T02:30:00+01:00 or 2024-03-31T02:30:00+02:00',
				},
			},
			pairedItem: { item: 0 },
		});
		const queries = sandbox
			.requests()
			.filter((request) => request.route === 'GET /events')
			.map((request) => new URLSearchParams(request.query));
		expect(queries).toHaveLength(1);
		expect(queries[0].get('startDate')).toBe('2024-03-31T03:30:00+02:00');
		expect(queries[0].get('endDate')).toBe('2024-04-01T00:00:00+02:00');
	});

	test('an invisible character in an email identifier is refused with its position; spaces around are trimmed', async () => {
		const output = await run({}, [
			{ email: 'v0\u200b@example.com' },
			{ email: '\ufeffv1@example.com' },
			{ email: ' v2@example.com\n' },
		]);
		expect(errorOf(output, 0)).toBe(
			'Invalid Identifiers › Email in item 0: "v0\\u200B@example.com" has an invisible character at position 3: U+200B (zero-width space)',
		);
		expect(errorOf(output, 1)).toBe(
			'Invalid Identifiers › Email in item 1: "\\uFEFFv1@example.com" has an invisible character at position 1: U+FEFF (byte order mark)',
		);
		expect(sandbox.requests()).toHaveLength(1);
		expect(bodyOf(2)).toBe(
			'{"event_name":"value_checked","identifiers":{"email_id":"v2@example.com"}}',
		);
	});

	test("category attributes: label or value accepted, the option's value sent (valueStr, or the old numeric value)", async () => {
		const output = await run(
			{
				specifyContactProperties: 'keypair',
				contactProperties: {
					property: [
						{ name: 'LANGUAGE', type: 'attribute', value: '={{ $json.language }}' },
						{ name: 'GENDER', type: 'attribute', value: '={{ $json.gender }}' },
					],
				},
			},
			[
				{ language: 'French', gender: 'female' },
				{ language: 'en', gender: 2 },
				{ language: 'Other', gender: 'MALE' },
				{ language: 'de', gender: 'female' },
			],
		);
		expect(bodyOf(0)).toContain('"contact_properties":{"LANGUAGE":"fr","GENDER":1}');
		expect(bodyOf(1)).toContain('"contact_properties":{"LANGUAGE":"en","GENDER":2}');
		expect(bodyOf(2)).toContain('"contact_properties":{"LANGUAGE":3,"GENDER":2}');
		expect(errorOf(output, 3)).toBe(
			'Invalid Contact Properties › LANGUAGE in item 3: "de" is not one of the options of category attribute LANGUAGE',
		);
		expect((output[3].json.details as IDataObject).description).toBe(
			'Use a label or a value: English (en), French (fr), Other (3)',
		);
	});

	test("a success item's event is exactly the body Brevo received", async () => {
		const output = await run(
			{
				specifyEventProperties: 'json',
				eventPropertiesJson: '={{ $json.props }}',
				additionalFields: { eventDate: '={{ $json.at }}' },
			},
			[
				{
					props: { total: 59.9, when: '20240124', tags: ['a', 'b'], nested: { ok: true } },
					at: 20240124,
				},
			],
		);
		expect(output[0].json.success).toBe(true);
		expect(bodyOf(0)).toBe(JSON.stringify(output[0].json.event));
	});
});
