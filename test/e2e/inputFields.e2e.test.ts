import { TEST_KEYS as testKeys } from '../helpers/keys';
import { SANDBOX_API_KEY, useSandbox } from '../helpers/sandbox';
import { N8nCli, nodeOutput } from './n8n/cli';
import { N8nServer } from './n8n/server';
import * as workflows from './n8n/workflows';

type Item = { json: Record<string, unknown>; pairedItem?: unknown };

/**
 * The input-field modes (Map Automatically, Map Each Attribute, all input fields, identifier and
 * event date fields) in a real n8n 2.41.1, against the expression path on the same data.
 */
describe('Create from input fields in a real n8n', () => {
	const sandbox = useSandbox();
	let n8n: N8nCli;
	let server: N8nServer;

	beforeAll(async () => {
		n8n = new N8nCli();
		n8n.installPackage();
		server = await N8nServer.start(n8n, { ownerPassword: testKeys.ownerPassword });
		await server.importCredentials(
			workflows.credentials(sandbox.baseUrl, SANDBOX_API_KEY, testKeys.wrong),
		);
		await server.importWorkflows(workflows.fieldModes());
	}, 15 * 60_000);
	afterAll(async () => {
		await server?.stop();
		n8n?.cleanup();
	});

	/** Runs a workflow; returns the stored events in item order, the node's output, run and log. */
	async function execute(id: string) {
		sandbox.server.reset();
		const result = await server.execute(id);
		expect({ code: result.code, stderr: result.code === 0 ? '' : result.stderr }).toEqual({
			code: 0,
			stderr: '',
		});
		const events = sandbox
			.stored()
			.map(({ event }) => event)
			.sort(
				(a, b) =>
					(a.event_properties as { seq: number }).seq - (b.event_properties as { seq: number }).seq,
			);
		const output = nodeOutput(result.run, 'Brevo Event') as Item[];
		return { ...result, events, output };
	}

	test('input fields and expressions store the same events, typed, and give the same outputs and errors', async () => {
		const fields = await execute('brevoFieldsMixed');
		const twin = await execute('brevoTwinMixed');

		expect(fields.events).toHaveLength(2);
		expect(JSON.stringify(fields.events)).toBe(JSON.stringify(twin.events));
		expect(JSON.stringify(fields.output)).toBe(JSON.stringify(twin.output));
		expect(fields.events[0]).toStrictEqual({
			event_name: 'order_created',
			identifiers: { email_id: 'buyer0@example.com', ext_id: 'user-0' },
			event_date: '2024-01-24T17:39:57+01:00',
			contact_properties: { FIRSTNAME: 'Buyer 0', AGE: 20 },
			event_properties: { seq: 0, total: '0.00', gift: true, orderedAt: 1706114397 },
		});
		expect(fields.output.map((item) => item.json.error)).toEqual([
			undefined,
			'Invalid Contact Properties › AGE in item 1: "forty" is not a number (AGE is a float attribute in Brevo)',
			'Invalid Identifiers › Email in item 2: "nobody" is not an email address',
			'Invalid Event Date in item 3: "someday" is not a date',
			'Invalid Identifiers in item 4: no identifier has a value; Brevo needs at least one to know which contact did this',
			undefined,
		]);
		expect(fields.output.map((item) => item.pairedItem)).toEqual(
			[0, 1, 2, 3, 4, 5].map((item) => ({ item })),
		);
	});

	test('Map Each Attribute (the resource mapper) stores the same contact properties, typed', async () => {
		const mapper = await execute('brevoMapperMixed');
		const fields = await execute('brevoFieldsMixed');

		// The same values and types; the mapper sends its attributes in its own order.
		expect(mapper.events).toEqual(fields.events);
		expect(mapper.output).toEqual(fields.output);
		expect(mapper.events[1].contact_properties).toStrictEqual({ AGE: 25, FIRSTNAME: 'Buyer 5' });
		expect(sandbox.requests().filter((r) => r.route === 'GET /contacts/attributes')).toHaveLength(
			1,
		);
	});

	test('the run summary is an execution hint above the output and a line of n8n’s log', async () => {
		const { run, stdout } = await execute('brevoFieldsMixed');
		const summary =
			'Brevo Event: 6 items: 2 stored by Brevo, 4 refused. Refused: 1 × Invalid Contact Properties › AGE (first: item 1); 1 × Invalid Identifiers › Email (first: item 2); 1 × Invalid Event Date (first: item 3); 1 × Invalid Identifiers (first: item 4).';
		expect(run.data.resultData.runData['Brevo Event'][0].hints).toEqual([
			{ message: summary, type: 'warning', location: 'outputPane' },
		]);
		const logged = stdout
			.split('\n')
			.map((line) => {
				try {
					return JSON.parse(line) as { message?: string };
				} catch {
					return undefined;
				}
			})
			.find((record) => record?.message === summary);
		expect(JSON.stringify(logged)).toContain('"stored":2');
		expect(JSON.stringify(logged)).toContain('"refused":4');
	});

	test('1,000 orders in batches, outcome only: every event stored once, items carry only the outcome', async () => {
		const { events, output, run } = await execute('brevoFieldsBulk');

		expect(events.map((e) => (e.event_properties as { seq: number }).seq)).toEqual([
			...Array(1000).keys(),
		]);
		expect(output).toHaveLength(1000);
		expect(output[7]).toEqual({
			json: {
				success: true,
				status: 'queued',
				statusCode: 202,
				identifiers: { email_id: 'buyer7@example.com', ext_id: 'user-7' },
			},
			pairedItem: { item: 7 },
		});
		expect(sandbox.requests().filter((r) => r.route === 'POST /events/batch')).toHaveLength(5);
		expect(run.data.resultData.runData['Brevo Event'][0].hints[0].message).toBe(
			'Brevo Event: 1,000 items: 1,000 queued by Brevo (processed later).',
		);
	});
});
