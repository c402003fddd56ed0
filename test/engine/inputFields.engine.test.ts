import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { attributeFields, parseAttributes } from '../../nodes/BrevoEvent/payload/attributes';
import { runBrevoEventNode } from '../helpers/n8n-engine';
import { useSandbox } from '../helpers/sandbox';
import { ATTRIBUTES } from '../sandbox/brevo-sandbox.js';

/**
 * The modes that read the input item's fields directly (no expression per item), inside n8n-core's
 * real engine against the sandbox: for the same data they must store the same events and give the
 * same outputs and error messages as the same fields mapped by expressions.
 */
describe('Create from input fields, compared with the expression path', () => {
	const sandbox = useSandbox();

	const customer = (n: number, overrides: IDataObject = {}): INodeExecutionData => ({
		json: {
			email: `c${n}@example.com`,
			firstname: `Name ${n}`,
			// Named unlike the attribute on purpose: matching ignores case, as Brevo does.
			Age: String(30 + n),
			vip: n % 2 ? 'yes' : 'no',
			birthday: '1990-05-17',
			interests: 'video, audio',
			order_id: `A-${n}`,
			total: 10.5 + n,
			items: [{ sku: 'TSHIRT', qty: n }],
			at: '2024-01-24T17:39:57+01:00',
			...overrides,
		},
	});

	/** Good items and one bad item of each kind, all in one run. */
	const mixedItems = () => [
		customer(0),
		customer(1, { Age: 'old' }),
		customer(2, { email: 'not-an-email' }),
		customer(3, { items: [{ 'bad key': 1 }] }),
		customer(4, { at: 'someday' }),
		customer(5, { vip: 'maybe' }),
		customer(6),
	];

	const base = { resource: 'event', operation: 'create', eventName: 'order_created' };

	const fromFields = {
		...base,
		identifiersFrom: 'fields',
		identifierFields: { emailId: 'email' },
		specifyContactProperties: 'auto',
		specifyEventProperties: 'namedFields',
		eventPropertiesFields: 'order_id, total, items',
		additionalFields: { eventDateField: 'at' },
	};

	const contactFields: Array<[string, string]> = [
		['FIRSTNAME', 'firstname'],
		['AGE', 'Age'],
		['VIP', 'vip'],
		['BIRTHDAY', 'birthday'],
		['INTERESTS', 'interests'],
	];
	const byExpressions = {
		...base,
		identifiers: { emailId: '={{ $json.email }}' },
		specifyContactProperties: 'keypair',
		contactProperties: {
			property: contactFields.map(([name, field]) => ({
				name,
				type: 'attribute',
				value: `={{ $json.${field} }}`,
			})),
		},
		specifyEventProperties: 'json',
		eventPropertiesJson:
			'={{ { order_id: $json.order_id, total: $json.total, items: $json.items } }}',
		additionalFields: { eventDate: '={{ $json.at }}' },
	};

	const byEmail = () =>
		sandbox
			.stored()
			.map(({ event }) => event)
			.sort((a, b) =>
				String((a.identifiers as IDataObject).email_id).localeCompare(
					String((b.identifiers as IDataObject).email_id),
				),
			);

	async function runBoth(
		fieldsParameters: INodeParameters,
		expressionParameters: INodeParameters,
		items: INodeExecutionData[],
		extra: { continueOnFail?: boolean } = { continueOnFail: true },
	) {
		const viaFields = await runBrevoEventNode({
			parameters: fieldsParameters,
			items,
			credentials: sandbox.credentials,
			...extra,
		});
		const storedViaFields = byEmail();
		const requestsViaFields = sandbox.requests();
		sandbox.server.reset();
		const viaExpressions = await runBrevoEventNode({
			parameters: expressionParameters,
			items,
			credentials: sandbox.credentials,
			...extra,
		});
		return { viaFields, viaExpressions, storedViaFields, requestsViaFields };
	}

	test('Map Automatically, identifier, event date and selected event property fields: same events, outputs and errors as expressions', async () => {
		const { viaFields, viaExpressions, storedViaFields } = await runBoth(
			fromFields,
			byExpressions,
			mixedItems(),
		);

		expect(viaFields.error).toBeUndefined();
		expect(JSON.stringify(storedViaFields)).toBe(JSON.stringify(byEmail()));
		expect(storedViaFields).toHaveLength(2);
		expect(JSON.stringify(viaFields.output)).toBe(JSON.stringify(viaExpressions.output));
		// What was stored, typed by the account's attributes: the mixed-case "Age" is AGE, a number.
		expect(storedViaFields[0]).toStrictEqual({
			event_name: 'order_created',
			identifiers: { email_id: 'c0@example.com' },
			event_date: '2024-01-24T17:39:57+01:00',
			contact_properties: {
				FIRSTNAME: 'Name 0',
				AGE: 30,
				VIP: false,
				BIRTHDAY: '1990-05-17',
				INTERESTS: ['video', 'audio'],
			},
			event_properties: { order_id: 'A-0', total: 10.5, items: [{ sku: 'TSHIRT', qty: 0 }] },
		});
		expect(viaFields.output!.map((item) => item.json.error)).toEqual([
			undefined,
			'Invalid Contact Properties › AGE in item 1: "old" is not a number (AGE is a float attribute in Brevo)',
			'Invalid Identifiers › Email in item 2: "not-an-email" is not an email address',
			'Invalid Event Properties › items[0] › bad key in item 3: Key "bad key" contains a character Brevo does not accept: a space',
			'Invalid Event Date in item 4: "someday" is not a date',
			'Invalid Contact Properties › VIP in item 5: "maybe" is not a boolean (VIP is a boolean attribute in Brevo)',
			undefined,
		]);
		// And no expression per item: the event name holds none, the fields modes evaluate none.
		// (The expression route evaluates few too since its `{{ $json.x }}` take the fast path.)
		expect(viaFields.expressionsEvaluated).toBeLessThan(mixedItems().length);
	});

	test('All Input Fields (with exceptions) sends the same event properties as JSON from an expression', async () => {
		const allFields = {
			...base,
			identifiersFrom: 'fields',
			identifierFields: { emailId: 'email' },
			specifyEventProperties: 'allFields',
			eventPropertiesExcept: 'email, firstname',
		};
		const json = {
			...base,
			identifiers: { emailId: '={{ $json.email }}' },
			specifyEventProperties: 'json',
			eventPropertiesJson: '={{ (({ email, firstname, ...rest }) => rest)($json) }}',
		};
		const { viaFields, viaExpressions, storedViaFields } = await runBoth(allFields, json, [
			customer(0),
			customer(1, { 'bad key': true }),
			customer(2, { nested: { deeper: [1, { ok: null }] } }),
		]);

		expect(JSON.stringify(storedViaFields)).toBe(JSON.stringify(byEmail()));
		expect(JSON.stringify(viaFields.output)).toBe(JSON.stringify(viaExpressions.output));
		expect(Object.keys(storedViaFields[0].event_properties as IDataObject)).toEqual([
			'Age',
			'vip',
			'birthday',
			'interests',
			'order_id',
			'total',
			'items',
			'at',
		]);
		expect(viaFields.output![1].json.error).toBe(
			'Invalid Event Properties › bad key in item 1: Name "bad key" contains a character Brevo does not accept: a space',
		);
	});

	test('Map Each Attribute (resource mapper) gives the same events and errors as rows typed by their attribute', async () => {
		const mapped: Record<string, string | number | null> = {
			AGE: '={{ $json.Age }}',
			VIP: '={{ $json.vip }}',
			FIRSTNAME: '={{ $json.firstname }}',
			// A fixed value of a category attribute is one of its option values (n8n checks it
			// before the run); the mapper's input shows the labels.
			GENDER: 1,
			// Added in the mapper but left empty: not sent.
			LASTNAME: null,
		};
		const mapper = {
			...base,
			identifiers: { emailId: '={{ $json.email }}' },
			specifyContactProperties: 'mapper',
			contactAttributes: {
				mappingMode: 'defineBelow',
				value: mapped,
				matchingColumns: [],
				schema: attributeFields(parseAttributes({ attributes: ATTRIBUTES })),
				attemptToConvertTypes: false,
				convertFieldsToString: false,
			},
		};
		const rows = {
			...base,
			identifiers: { emailId: '={{ $json.email }}' },
			specifyContactProperties: 'keypair',
			contactProperties: {
				property: ['AGE', 'VIP', 'FIRSTNAME', 'GENDER'].map((name) => ({
					name,
					type: 'attribute',
					value: mapped[name] as string | number,
				})),
			},
		};
		const { viaFields, viaExpressions, storedViaFields } = await runBoth(mapper, rows, [
			customer(0),
			customer(1, { Age: 'old' }),
			customer(2),
		]);

		expect(JSON.stringify(storedViaFields)).toBe(JSON.stringify(byEmail()));
		expect(JSON.stringify(viaFields.output)).toBe(JSON.stringify(viaExpressions.output));
		expect(storedViaFields[0].contact_properties).toStrictEqual({
			AGE: 30,
			VIP: false,
			FIRSTNAME: 'Name 0',
			GENDER: 1,
		});
		expect(viaFields.output![1].json.error).toBe(
			'Invalid Contact Properties › AGE in item 1: "old" is not a number (AGE is a float attribute in Brevo)',
		);
	});

	test('the account attributes are read once per execution, in both mapping modes', async () => {
		for (const parameters of [
			fromFields,
			{
				...fromFields,
				specifyContactProperties: 'mapper',
				contactAttributes: { mappingMode: 'defineBelow', value: { AGE: 40 } },
			},
		]) {
			sandbox.server.reset();
			const { output } = await runBrevoEventNode({
				parameters,
				items: [customer(0), customer(1), customer(2)],
				credentials: sandbox.credentials,
			});
			expect(output).toHaveLength(3);
			expect(sandbox.requests().filter((r) => r.route === 'GET /contacts/attributes')).toHaveLength(
				1,
			);
		}
	});

	test('Map Automatically leaves out empty input fields and the fields it is told to skip', async () => {
		const { output } = await runBrevoEventNode({
			parameters: { ...fromFields, contactPropertiesExcept: 'vip' },
			items: [customer(0, { firstname: '', Age: null, birthday: '   ' })],
			credentials: sandbox.credentials,
		});
		expect(output![0].json.success).toBe(true);
		expect(sandbox.stored()[0].event.contact_properties).toStrictEqual({
			INTERESTS: ['video', 'audio'],
		});
	});

	test('two input fields naming the same attribute are refused, naming it', async () => {
		const { output } = await runBrevoEventNode({
			parameters: fromFields,
			items: [customer(0, { AGE: '41' })],
			credentials: sandbox.credentials,
			continueOnFail: true,
		});
		expect(output![0].json.error).toBe(
			'Invalid Contact Properties › AGE in item 0: "AGE" appears more than once',
		);
		expect(sandbox.stored()).toHaveLength(0);
	});

	test('in batch mode the expressions evaluated do not grow with the number of items', async () => {
		const batch = { ...fromFields, options: { sendMode: 'batch', requestsPerSecond: 50 } };
		const many = (n: number) => Array.from({ length: n }, (_, i) => customer(i));
		const twenty = await runBrevoEventNode({
			parameters: batch,
			items: many(20),
			credentials: sandbox.credentials,
		});
		const hundred = await runBrevoEventNode({
			parameters: batch,
			items: many(100),
			credentials: sandbox.credentials,
		});
		expect(hundred.output).toHaveLength(100);
		expect(sandbox.stored()).toHaveLength(120);
		expect(hundred.expressionsEvaluated).toBe(twenty.expressionsEvaluated);
	});

	test('Outcome Only: items hold status, Brevo answer and identifiers; the run summary is an execution hint', async () => {
		// Brevo turns down events 1 and 3 of the batch (207).
		await sandbox.configure({ faults: { 'POST /events/batch': ['reject:1,3'] } });
		const { output, run } = await runBrevoEventNode({
			parameters: {
				...fromFields,
				options: { sendMode: 'batch', output: 'outcome' },
			},
			items: [customer(0), customer(1), customer(2), customer(3), customer(4, { Age: 'old' })],
			credentials: sandbox.credentials,
			continueOnFail: true,
		});

		expect(output!.map((item) => item.json)).toEqual([
			{
				success: true,
				status: 'queued',
				statusCode: 207,
				identifiers: { email_id: 'c0@example.com' },
			},
			{
				error: 'Brevo rejected the event of item 1: contact is blocklisted',
				details: {
					itemIndex: 1,
					description:
						'Brevo accepted the other events of its batch (HTTP 207); this one was not stored.',
					httpCode: '207',
					stored: 'no',
					identifiers: { email_id: 'c1@example.com' },
				},
			},
			{
				success: true,
				status: 'queued',
				statusCode: 207,
				identifiers: { email_id: 'c2@example.com' },
			},
			expect.objectContaining({
				details: expect.objectContaining({
					itemIndex: 3,
					identifiers: { email_id: 'c3@example.com' },
				}),
			}),
			{
				error:
					'Invalid Contact Properties › AGE in item 4: "old" is not a number (AGE is a float attribute in Brevo)',
				details: { itemIndex: 4 },
			},
		]);
		const hints = run.data.resultData.runData['Brevo Event'][0].hints;
		expect(hints).toEqual([
			{
				message:
					'Brevo Event: 5 items: 2 queued by Brevo (processed later), 3 refused. Refused: 2 × Brevo rejected the event (HTTP 207): contact is blocklisted (first: item 1); 1 × Invalid Contact Properties › AGE (first: item 4).',
				type: 'warning',
				location: 'outputPane',
			},
		]);
	});
});
