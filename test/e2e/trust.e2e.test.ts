import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { SANDBOX_API_KEY, useSandbox } from '../helpers/sandbox';
import { TEST_KEYS } from '../helpers/keys';
import { N8nCli, nodeOutput } from './n8n/cli';
import { N8nServer } from './n8n/server';
import * as workflows from './n8n/workflows';

type Item = { json: Record<string, unknown>; pairedItem: { item: number } };

/** The Brevo Event node's two outputs (success, error); pairedItem there points at its input. */
const brevoOutputs = (run: unknown) => {
	const main = (
		run as {
			data: { resultData: { runData: Record<string, Array<{ data: { main: Item[][] } }>> } };
		}
	).data.resultData.runData['Brevo Event'][0].data.main;
	return { succeeded: main[0] ?? [], failed: main[1] ?? [] };
};

/**
 * Issues 8 and 14 in a real n8n 2.41.1: failed items on the error output, nothing counted as
 * stored unless Brevo said so, and no event sent twice by a failed run or by n8n's Retry On Fail.
 */
describe('trust at the edges, in a real n8n', () => {
	const sandbox = useSandbox();
	let n8n: N8nCli;
	let server: N8nServer;
	let other: Server;
	let otherRequests = 0;
	let otherUrl = '';

	/** Items {name, user}: `bad` get an event name Brevo refuses. */
	const makeItems = (n: number, bad: number[] = []) =>
		workflows.code(`return Array.from({ length: ${n} }, (_, i) => ({
  json: { name: ${JSON.stringify(bad)}.includes(i) ? 'order created' : 'order_created', user: 'u-' + i },
}));`);
	const parameters = (options: Record<string, unknown> = {}) => ({
		resource: 'event',
		operation: 'create',
		eventName: '={{ $json.name }}',
		identifiers: { extId: '={{ $json.user }}' },
		additionalFields: {},
		options: { requestsPerSecond: 50, retryServerErrors: false, ...options },
	});
	const retryOnFail = { maxTries: 3, waitBetweenTries: 1000 };
	const storedUsers = () =>
		sandbox.stored().map(({ event }) => (event.identifiers as { ext_id: string }).ext_id);
	const distinct = (list: string[]) => new Set(list).size;

	beforeAll(async () => {
		other = createServer((_req, res) => {
			otherRequests++;
			res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
		});
		await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
		otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;

		n8n = new N8nCli();
		n8n.installPackage();
		server = await N8nServer.start(n8n, { ownerPassword: TEST_KEYS.ownerPassword });
		await server.importCredentials(
			workflows.credentials(sandbox.baseUrl, SANDBOX_API_KEY, TEST_KEYS.wrong),
		);
		const { trigger, brevoEvent, workflow, workflowWithErrorOutput } = workflows;
		await server.importWorkflows([
			workflowWithErrorOutput('trustErrOutSingle', 'error output, single', [
				trigger(),
				makeItems(5, [1]),
				brevoEvent(parameters(), { onError: 'continueErrorOutput' }),
			]),
			workflowWithErrorOutput('trustErrOutBatch', 'error output, batch', [
				trigger(),
				makeItems(450, [7]),
				brevoEvent(parameters({ sendMode: 'batch' }), { onError: 'continueErrorOutput' }),
			]),
			workflow('trustRegular', 'regular output, batch', [
				trigger(),
				makeItems(4, [0]),
				brevoEvent(parameters({ sendMode: 'batch' }), { continueOnFail: true }),
			]),
			workflow('trustOddAnswers', 'redirect, HTML, timeout', [
				trigger(),
				makeItems(3),
				brevoEvent(parameters({ requestsPerSecond: 1, timeout: 2 }), { continueOnFail: true }),
			]),
			workflow('trustRetrySingle', 'bad item, Retry On Fail, single', [
				trigger(),
				makeItems(20, [10]),
				brevoEvent(parameters(), { retryOnFail }),
			]),
			workflow('trustStopSingle', 'bad item, stop, single', [
				trigger(),
				makeItems(20, [10]),
				brevoEvent(parameters()),
			]),
			workflow('trustRetryBatch', 'bad item, Retry On Fail, batch', [
				trigger(),
				makeItems(450, [300]),
				brevoEvent(parameters({ sendMode: 'batch' }), { retryOnFail }),
			]),
			workflow('trustStopBatch', 'bad item, stop, batch', [
				trigger(),
				makeItems(450, [300]),
				brevoEvent(parameters({ sendMode: 'batch' })),
			]),
			workflow('trust503Single', '503 mid-way, Retry On Fail, single', [
				trigger(),
				makeItems(20),
				brevoEvent(parameters(), { retryOnFail }),
			]),
			workflow('trust500Batch', 'refused batch, Retry On Fail, batch', [
				trigger(),
				makeItems(450),
				brevoEvent(parameters({ sendMode: 'batch' }), { retryOnFail }),
			]),
		]);
	}, 15 * 60_000);
	afterAll(async () => {
		await server?.stop();
		n8n?.cleanup();
		await new Promise((resolve) => other?.close(resolve));
	});

	describe('On Error → Continue (using error output)', () => {
		test('single mode: the bad item and a Brevo 400 go to the error output, with the input merged; successes to the success output', async () => {
			await sandbox.configure({ faults: { 'POST /events': ['ok', 'ok', '400'] } });
			const { code, run } = await server.execute('trustErrOutSingle');
			expect(code).toBe(0);
			const { succeeded, failed } = brevoOutputs(run);
			// …and the branches downstream received them.
			expect(nodeOutput(run, 'Succeeded')).toHaveLength(succeeded.length);
			expect(nodeOutput(run, 'Failed')).toHaveLength(failed.length);
			const stored = new Set(storedUsers());
			expect(stored.size).toBe(3);
			// Every success is a stored event; every failure is not; together: every item once.
			expect(succeeded.every((item) => item.json.success === true)).toBe(true);
			expect(succeeded.map((item) => item.json.event)).toEqual(
				succeeded.map((item) =>
					expect.objectContaining({ identifiers: { ext_id: `u-${item.pairedItem.item}` } }),
				),
			);
			expect(succeeded.every((item) => stored.has(`u-${item.pairedItem.item}`))).toBe(true);
			expect(failed.some((item) => stored.has(`u-${item.pairedItem.item}`))).toBe(false);
			expect([...succeeded, ...failed].map((item) => item.pairedItem.item).sort()).toEqual([
				0, 1, 2, 3, 4,
			]);
			const bad = failed.find((item) => item.pairedItem.item === 1)!;
			expect(bad.json.error).toMatch(/^Invalid Event Name in item 1/);
			expect(bad.json.user).toBe('u-1'); // n8n merges the input item into the error item
			const refused = failed.find((item) => item.pairedItem.item !== 1)!;
			expect(refused.json.error).toMatch(/^Brevo answered 400/);
			expect(refused.json.details).toMatchObject({ httpCode: '400', stored: 'no' });
		});

		test('batch mode: a 207 rejection and a refused batch go to the error output, each paired', async () => {
			// Batch 1 (items 0–199): Brevo rejects its event 5; batch 2 (200–399): refused whole.
			await sandbox.configure({ faults: { 'POST /events/batch': ['reject:5', '400', 'ok'] } });
			const { code, run } = await server.execute('trustErrOutBatch');
			expect(code).toBe(0);
			const { succeeded, failed } = brevoOutputs(run);
			expect(nodeOutput(run, 'Failed')).toHaveLength(failed.length);
			const failedItems = failed.map((item) => item.pairedItem.item).sort((a, b) => a - b);
			// Item 7 is invalid and never sent, so batch 1 holds items 0–6, 8–200.
			const refusedBatch = [...Array(449).keys()].map((k) => (k < 7 ? k : k + 1)).slice(200, 400);
			expect(failedItems).toEqual([5, 7, ...refusedBatch].sort((a, b) => a - b));
			expect(succeeded).toHaveLength(450 - failedItems.length);
			expect(succeeded.every((item) => item.json.status === 'queued')).toBe(true);
			expect(failed.find((item) => item.pairedItem.item === 5)!.json.details).toMatchObject({
				httpCode: '207',
				stored: 'no',
			});
			expect(distinct(storedUsers())).toBe(succeeded.length);
		});

		test('Continue (using regular output): every item stays on the main output, in order, failures marked', async () => {
			await sandbox.configure({ faults: { 'POST /events/batch': ['reject:1'] } });
			const { code, run } = await server.execute('trustRegular');
			expect(code).toBe(0);
			const output = nodeOutput(run, 'Brevo Event') as Item[];
			expect(output.map((item) => item.pairedItem.item)).toEqual([0, 1, 2, 3]);
			expect(output.map((item) => item.json.success === true)).toEqual([false, true, false, true]);
		});
	});

	test('redirects are not followed (nothing reaches the other server), HTML is not success, a hanging Brevo costs the Timeout', async () => {
		otherRequests = 0;
		await sandbox.configure({
			faults: { 'POST /events': [`redirect:${otherUrl}/v3/events`, 'html', 'hang'] },
		});
		const started = Date.now();
		const { code, run } = await server.execute('trustOddAnswers');
		expect(code).toBe(0);
		expect(otherRequests).toBe(0);
		expect(sandbox.stored()).toEqual([]);
		const output = nodeOutput(run, 'Brevo Event') as Item[];
		const errors = output.map((item) => String(item.json.error));
		expect(errors.filter((e) => /a redirect to .* does not follow redirects/.test(e))).toHaveLength(
			1,
		);
		expect(
			errors.filter((e) => /did not answer like Brevo: HTTP 200 \(text\/html/.test(e)),
		).toHaveLength(1);
		expect(output.map((item) => (item.json.details as { stored: string }).stored).sort()).toEqual([
			'no',
			'unknown',
			'unknown',
		]);
		expect(Date.now() - started).toBeLessThan(60_000);
	});

	describe('a failed run never sends an event twice', () => {
		test.each([
			['trustRetrySingle', 'single mode, Retry On Fail'],
			['trustStopSingle', 'single mode, no retry'],
			['trustRetryBatch', 'batch mode, Retry On Fail'],
			['trustStopBatch', 'batch mode, no retry'],
		])('%s (%s): a bad item stops the run before anything is sent', async (id) => {
			const { code, run } = await server.execute(id);
			expect(code).toBe(1);
			expect(JSON.stringify(run?.data?.resultData?.error ?? {})).toMatch(/in item (10|300)/);
			expect(sandbox.requests().filter((r) => r.route.startsWith('POST'))).toEqual([]);
		});

		test("single mode: Brevo answers 503 mid-way, n8n's Retry On Fail re-runs the node: each event stored exactly once", async () => {
			// The run stops at the first failure and sends nothing more, so each try meets one 503:
			// two 503s use the first two of the three tries.
			await sandbox.configure({
				faults: { 'POST /events': ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', '503', '503'] },
			});
			const { code, run } = await server.execute('trust503Single');
			expect(code).toBe(0);
			expect(storedUsers()).toHaveLength(20);
			expect(distinct(storedUsers())).toBe(20);
			const output = nodeOutput(run, 'Brevo Event') as Item[];
			expect(output.map((item) => item.json.status)).toEqual(Array(20).fill('stored'));
		});

		test("batch mode: a refused batch, then n8n's Retry On Fail: each event stored exactly once", async () => {
			await sandbox.configure({ faults: { 'POST /events/batch': ['ok', '500'] } });
			const { code, run } = await server.execute('trust500Batch');
			expect(code).toBe(0);
			expect(storedUsers()).toHaveLength(450);
			expect(distinct(storedUsers())).toBe(450);
			const output = nodeOutput(run, 'Brevo Event') as Item[];
			expect(output.map((item) => item.json.status)).toEqual(Array(450).fill('queued'));
		});
	});
});
