import seedEvent from '../fixtures/seed-event.json';
import { TEST_KEYS as testKeys } from '../helpers/keys';
import { SANDBOX_API_KEY, useSandbox } from '../helpers/sandbox';
import { N8nCli, nodeOutput } from './n8n/cli';
import { N8nServer } from './n8n/server';
import * as workflows from './n8n/workflows';

/**
 * The package inside a real n8n 2.41.1, installed as the community-nodes panel installs it, run
 * in a running `n8n start` (as the editor runs a workflow) against the Brevo sandbox on 127.0.0.1.
 */
describe('Brevo Event in a real n8n', () => {
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
		await server.importWorkflows([
			workflows.seedExample(),
			workflows.getManyExample(),
			workflows.mappedOrders(100),
			workflows.mixedWithContinueOnFail(),
			workflows.wrongKey(),
			workflows.rateLimited(30),
		]);
	}, 15 * 60_000);
	afterAll(async () => {
		await server?.stop();
		n8n?.cleanup();
	});

	type Order = {
		event_name: string;
		identifiers: { email_id: string; ext_id: string };
		contact_properties: { AGE: number; FIRSTNAME: string };
		event_properties: { seq: number; total: number; gift: boolean; ordered_at: string };
	};
	const orders = () => sandbox.stored().map(({ event }) => event as unknown as Order);

	test('the seed example is stored exactly as Brevo documents it, types included', async () => {
		const { code, run, stderr } = await server.execute('brevoSeedExample');
		expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
		expect(sandbox.stored()).toHaveLength(1);
		expect(JSON.stringify(sandbox.stored()[0].event)).toBe(JSON.stringify(seedEvent));
		expect(nodeOutput(run, 'Brevo Event')).toEqual([
			{
				json: { success: true, status: 'stored', statusCode: 204, event: seedEvent },
				pairedItem: { item: 0 },
			},
		]);
	});

	test('Get Many reads back what Create stored, one item per event', async () => {
		expect((await server.execute('brevoSeedExample')).code).toBe(0);
		const { code, run } = await server.execute('brevoGetMany');
		expect(code).toBe(0);
		const output = nodeOutput(run, 'Brevo Event') as Array<{
			json: Record<string, unknown>;
			pairedItem: unknown;
		}>;
		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].json).toMatchObject({
			event_name: 'video_played',
			contact_id: 1,
			event_properties: seedEvent.event_properties,
			contact_properties: seedEvent.contact_properties,
		});
		expect(sandbox.requests().at(-1)?.query).toBe('?event_name=video_played&limit=10&offset=0');
	});

	test('100 items from a Code node: each event carries its own item values, typed', async () => {
		const { code, run } = await server.execute('brevoMapped100');
		expect(code).toBe(0);
		const stored = orders();
		expect(stored).toHaveLength(100);
		expect(stored.map((e) => e.event_properties.seq).sort((a, b) => a - b)).toEqual([
			...Array(100).keys(),
		]);
		for (const e of stored) {
			const i = e.event_properties.seq;
			expect(e.identifiers).toEqual({ email_id: `buyer${i}@example.com`, ext_id: `user-${i}` });
			expect(e.contact_properties).toEqual({ FIRSTNAME: `Buyer ${i}`, AGE: 20 + (i % 50) });
			expect(e.event_properties.total).toBe(Number((i * 1.5).toFixed(2)));
			expect(e.event_properties.gift).toBe(i % 2 === 0);
			expect(e.event_properties.ordered_at).toMatch(/^2024-01-24T\d{2}:\d{2}:\d{2}\+01:00$/);
		}
		const output = nodeOutput(run, 'Brevo Event');
		expect(output).toHaveLength(100);
		expect(output.map((item: { pairedItem: unknown }) => item.pairedItem)).toEqual(
			[...Array(100).keys()].map((item) => ({ item })),
		);
	});

	test('Continue On Fail: bad items become error items naming item and field, and are never sent', async () => {
		const { code, run } = await server.execute('brevoContinueFail');
		expect(code).toBe(0);
		const output = nodeOutput(run, 'Brevo Event') as Array<{
			json: Record<string, unknown>;
			pairedItem: { item: number };
		}>;
		expect(output.map((item) => item.pairedItem.item)).toEqual([0, 1, 2, 3, 4, 5]);
		expect(output.map((item) => item.json.success ?? item.json.error)).toEqual([
			true,
			'Invalid Event Name in item 1: Event Name "order created" contains a character Brevo does not accept: a space',
			true,
			'Invalid Contact Properties › AGE in item 3: "forty" is not a number',
			'Invalid Identifiers in item 4: no identifier has a value; Brevo needs at least one to know which contact did this',
			true,
		]);
		expect(
			orders()
				.map((e) => e.event_properties.seq)
				.sort(),
		).toEqual([0, 2, 5]);
		expect(sandbox.requests()).toHaveLength(3);
	});

	test('a wrong API key: a clear error, no key in the output or logs', async () => {
		const { code, run, stdout, stderr } = await server.execute('brevoWrongKey');
		expect(code).toBe(1);
		expect(JSON.stringify(run?.data?.resultData?.error ?? {})).toContain(
			'Brevo answered 401 unauthorized: Key not found',
		);
		for (const text of [stdout, stderr, JSON.stringify(run)]) {
			expect(text).not.toContain(testKeys.wrong);
			expect(text).not.toContain(SANDBOX_API_KEY);
		}
		expect(sandbox.stored()).toHaveLength(0);
	});

	test('Brevo answering 429 for a while: every event still arrives, once', async () => {
		await sandbox.configure({ throttle: { 'POST /events': 2500 } });
		const { code, run } = await server.execute('brevoRateLimited');
		expect(code).toBe(0);
		expect(sandbox.requests().some((r) => r.status === 429)).toBe(true);
		expect(
			orders()
				.map((e) => e.event_properties.seq)
				.sort((a, b) => a - b),
		).toEqual([...Array(30).keys()]);
		const output = nodeOutput(run, 'Brevo Event') as Array<{ json: { success?: boolean } }>;
		expect(output.filter((item) => item.json.success)).toHaveLength(30);
	});

	// Last, so that it reads every run above, and n8n's boot and imports too.
	test('nothing n8n logged from its start to here shows a key', () => {
		const log = server.wholeLog();
		expect(log).toContain('Brevo answered 401 unauthorized'); // the wrong key's run is in it
		expect(log).not.toContain(testKeys.wrong);
		expect(log).not.toContain(SANDBOX_API_KEY);
	});
});
