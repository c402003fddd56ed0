import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { runBrevoEventNode } from '../helpers/n8n-engine';
import { useSandbox } from '../helpers/sandbox';

/**
 * "Exact, or a clear error" at the edges, in n8n-core's real engine against the sandbox: where
 * failed items go under each On Error setting, and what is (not) counted as stored.
 */
describe('failures in the engine', () => {
	// Retries, timeouts and 600-event runs take seconds, more on a busy machine.
	jest.setTimeout(60_000);
	const sandbox = useSandbox();

	const parameters = (options: IDataObject = {}) => ({
		resource: 'event',
		operation: 'create',
		eventName: '={{ $json.name }}',
		identifiers: { extId: '={{ $json.user }}' },
		options: { requestsPerSecond: 50, ...options },
	});
	const items = (n: number, bad: number[] = []): INodeExecutionData[] =>
		Array.from({ length: n }, (_, i) => ({
			json: { name: bad.includes(i) ? 'order created' : 'order_created', user: `u-${i}` },
		}));
	const details = (item: INodeExecutionData) => item.json.details as IDataObject;
	const storedUsers = () =>
		sandbox
			.stored()
			.map(({ event }) => (event.identifiers as { ext_id: string }).ext_id)
			.sort();

	const failedItems = (expected: number[] | 'unstored', n: number) => {
		if (expected !== 'unstored') return expected;
		const stored = new Set(storedUsers());
		return [...Array(n).keys()].filter((i) => !stored.has(`u-${i}`));
	};

	describe('On Error', () => {
		type Case = {
			what: string;
			mode: 'single' | 'batch';
			n: number;
			bad?: number[];
			faults?: IDataObject;
			/** The items that fail; 'unstored': whichever the sandbox did not store (single mode
			 * sends concurrently, so which request meets an injected fault depends on arrival). */
			failed: number[] | 'unstored';
		};
		const cases: Case[] = [
			{ what: 'a validation error', mode: 'single', n: 4, bad: [1], failed: [1] },
			{ what: 'a validation error', mode: 'batch', n: 4, bad: [2], failed: [2] },
			{
				what: 'a 4xx from Brevo',
				mode: 'single',
				n: 3,
				faults: { 'POST /events': ['ok', '400'] },
				failed: 'unstored',
			},
			{
				what: 'a 207 rejection',
				mode: 'batch',
				n: 4,
				faults: { 'POST /events/batch': ['reject:0,3'] },
				failed: [0, 3],
			},
			{
				what: 'a refused batch',
				mode: 'batch',
				n: 3,
				faults: { 'POST /events/batch': ['400'] },
				failed: [0, 1, 2],
			},
		];

		test.each(cases)(
			'$what in $mode mode: error output gets exactly the failures, paired, with the answer and event',
			async ({ mode, n, bad = [], faults, failed: expected }) => {
				if (faults) await sandbox.configure({ faults });
				const { output, errorOutput } = await runBrevoEventNode({
					parameters: parameters({ sendMode: mode, retryServerErrors: false }),
					items: items(n, bad),
					credentials: sandbox.credentials,
					onError: 'continueErrorOutput',
				});
				const failed = failedItems(expected, n);
				expect(failed).toHaveLength(expected === 'unstored' ? 1 : expected.length);
				const succeeded = [...Array(n).keys()].filter((i) => !failed.includes(i));
				expect(output!.map((item) => item.pairedItem)).toEqual(succeeded.map((item) => ({ item })));
				expect(output!.every((item) => item.json.success === true)).toBe(true);
				expect(errorOutput!.map((item) => item.pairedItem)).toEqual(
					failed.map((item) => ({ item })),
				);
				for (const item of errorOutput!) {
					expect(item.json.error).toEqual(expect.any(String));
					if (!bad.includes((item.pairedItem as { item: number }).item)) {
						expect(details(item).httpCode).toMatch(/^(400|207)$/);
						expect(details(item).event).toMatchObject({ event_name: 'order_created' });
						expect(details(item).stored).toBe('no');
					}
				}
			},
		);

		test.each(cases)(
			'$what in $mode mode: regular output keeps every item in order, failures marked',
			async ({ mode, n, bad = [], faults, failed: expected }) => {
				if (faults) await sandbox.configure({ faults });
				const { output, errorOutput } = await runBrevoEventNode({
					parameters: parameters({ sendMode: mode, retryServerErrors: false }),
					items: items(n, bad),
					credentials: sandbox.credentials,
					onError: 'continueRegularOutput',
				});
				const failed = failedItems(expected, n);
				expect(errorOutput).toBeUndefined();
				expect(output!.map((item) => item.pairedItem)).toEqual(
					[...Array(n).keys()].map((item) => ({ item })),
				);
				expect(output!.flatMap((item, i) => (item.json.error === undefined ? [] : [i]))).toEqual(
					failed,
				);
			},
		);

		test.each(cases)(
			'$what in $mode mode: Stop Workflow fails the run naming the item',
			async ({ mode, n, bad = [], faults, failed: expected }) => {
				if (faults) await sandbox.configure({ faults });
				const { error } = await runBrevoEventNode({
					parameters: parameters({ sendMode: mode, retryServerErrors: false }),
					items: items(n, bad),
					credentials: sandbox.credentials,
				});
				const failed = failedItems(expected, n);
				expect(error?.message).toMatch(new RegExp(`item ${failed[0]}|items ${failed[0]}`));
			},
		);
	});

	describe('only Brevo stores', () => {
		let other: Server;
		let otherRequests: Array<{ url?: string; headers: IDataObject }> = [];
		let otherUrl = '';
		beforeAll(async () => {
			other = createServer((req, res) => {
				otherRequests.push({ url: req.url, headers: req.headers as IDataObject });
				res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
			});
			await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
			otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
		});
		beforeEach(() => (otherRequests = []));
		afterAll(() => new Promise((resolve) => other.close(resolve)));

		test.each(['redirect', 'redirect302'])(
			'a %s to another server is not followed: nothing reaches it, the item fails',
			async (kind) => {
				await sandbox.configure({
					faults: { 'POST /events': [`${kind}:${otherUrl}/v3/events`] },
				});
				const { output } = await runBrevoEventNode({
					parameters: parameters(),
					items: items(1),
					credentials: sandbox.credentials,
					continueOnFail: true,
				});
				expect(otherRequests).toEqual([]);
				expect(output![0].json.success).toBeUndefined();
				expect(output![0].json.error).toMatch(/answered 30[27], a redirect to .*does not follow/);
				expect(details(output![0]).stored).toBe('no');
			},
		);

		test('the attribute picker does not follow a redirect either', async () => {
			await sandbox.configure({
				faults: { 'GET /contacts/attributes': [`redirect:${otherUrl}/v3/contacts/attributes`] },
			});
			const { output } = await runBrevoEventNode({
				parameters: {
					...parameters(),
					specifyContactProperties: 'keypair',
					contactProperties: { property: [{ name: 'AGE', type: 'attribute', value: '3' }] },
				},
				items: items(1),
				credentials: sandbox.credentials,
				continueOnFail: true,
			});
			expect(otherRequests).toEqual([]);
			// Not the input item passed through as if sent: an error item naming the redirect.
			expect(output![0].json.error).toMatch(/answered 307, a redirect/);
			expect(sandbox.requests().filter((r) => r.route === 'POST /events')).toEqual([]);
		});

		test('a 200 HTML page (a captive portal) is an error, never "stored"', async () => {
			await sandbox.configure({ faults: { 'POST /events': ['html'] } });
			const { output } = await runBrevoEventNode({
				parameters: parameters(),
				items: items(1),
				credentials: sandbox.credentials,
				continueOnFail: true,
			});
			expect(output![0].json.error).toMatch(
				/did not answer like Brevo: HTTP 200 \(text\/html; charset=utf-8\), starting "<!DOCTYPE html>/,
			);
			expect(details(output![0]).stored).toBe('unknown');
		});

		test('plain http:// to a non-loopback host is refused before anything is sent', async () => {
			const { error } = await runBrevoEventNode({
				parameters: parameters(),
				items: items(1),
				credentials: { ...sandbox.credentials, baseUrl: 'http://brevo.example.com/v3' },
			});
			expect(error?.message).toMatch(/plain http:\/\/ to brevo\.example\.com/);
			expect(sandbox.requests()).toEqual([]);
		});

		test('a malformed 207 reports no event of the batch as queued', async () => {
			await sandbox.configure({
				faults: { 'POST /events/batch': ['json207:{"errors":[{"eventIndex":null}]}'] },
			});
			const { output } = await runBrevoEventNode({
				parameters: parameters({ sendMode: 'batch' }),
				items: items(3),
				credentials: sandbox.credentials,
				continueOnFail: true,
			});
			expect(output!.map((item) => item.json.success)).toEqual([undefined, undefined, undefined]);
			expect(output![1].json.error).toMatch(/could not be read/);
			expect(details(output![1]).stored).toBe('unknown');
		});

		test('a batch where every event fails: Brevo 400 names each event, mapped to its item', async () => {
			// The node validates what it can; Brevo may refuse for reasons it cannot see.
			await sandbox.configure({ faults: { 'POST /events/batch': ['reject:0,1'] } });
			const { output } = await runBrevoEventNode({
				parameters: parameters({ sendMode: 'batch' }),
				items: items(2),
				credentials: sandbox.credentials,
				continueOnFail: true,
			});
			expect(sandbox.requests().map((r) => r.status)).toEqual([400]);
			expect(output!.map((item) => item.json.error)).toEqual([
				'Brevo rejected the event of item 0: contact is blocklisted',
				'Brevo rejected the event of item 1: contact is blocklisted',
			]);
			expect(details(output![0]).httpCode).toBe('400');
		});
	});

	describe('time and connections', () => {
		test('a Brevo that never answers costs the Timeout, and may have stored', async () => {
			await sandbox.configure({ faults: { 'POST /events': ['hang'] } });
			const started = Date.now();
			const { output } = await runBrevoEventNode({
				parameters: parameters({ timeout: 1, retryServerErrors: false }),
				items: items(1),
				credentials: sandbox.credentials,
				continueOnFail: true,
			});
			expect(Date.now() - started).toBeLessThan(15_000);
			expect(details(output![0]).stored).toBe('unknown');
			expect(details(output![0]).description).toMatch(/may or may not have been stored/);
		});

		test('a refused connection sent nothing: said so, and retried without risk', async () => {
			const closed = createServer();
			await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
			const port = (closed.address() as AddressInfo).port;
			await new Promise((resolve) => closed.close(resolve));
			const { output } = await runBrevoEventNode({
				parameters: parameters({ retryServerErrors: false }),
				items: items(1),
				credentials: { ...sandbox.credentials, baseUrl: `http://127.0.0.1:${port}/v3` },
				continueOnFail: true,
			});
			expect(details(output![0]).stored).toBe('no');
			expect(details(output![0]).description).toBe('Nothing reached Brevo, so nothing was stored.');
		}, 30_000);

		test('an invalid Base URL is refused before anything is sent', async () => {
			const { error } = await runBrevoEventNode({
				parameters: parameters(),
				items: items(1),
				credentials: { ...sandbox.credentials, baseUrl: 'not a url' },
			});
			expect(error?.message).toBe('The credential\'s Base URL "not a url" is not a URL');
		});
	});

	describe('Get Many', () => {
		const getMany = { resource: 'event', operation: 'getAll', returnAll: true, filters: {} };

		test('a 200 that is not JSON is an error', async () => {
			await sandbox.configure({ faults: { 'GET /events': ['html'] } });
			const { error } = await runBrevoEventNode({
				parameters: getMany,
				items: [{ json: {} }],
				credentials: sandbox.credentials,
			});
			expect(error?.message).toMatch(/did not answer like Brevo: HTTP 200/);
		});

		test('Return All stops when the server ignores offset', async () => {
			// More events than one page (500), so a second page is asked for.
			await runBrevoEventNode({
				parameters: parameters({ sendMode: 'batch' }),
				items: items(600),
				credentials: sandbox.credentials,
			});
			await sandbox.configure({ ignoreOffset: true });
			const { error } = await runBrevoEventNode({
				parameters: getMany,
				items: [{ json: {} }],
				credentials: sandbox.credentials,
			});
			expect(error?.message).toMatch(/the server ignores "offset", so Return All stopped/);
			expect(sandbox.requests().filter((r) => r.route === 'GET /events')).toHaveLength(2);
		});
	});

	describe("n8n's Retry On Fail never sends an event twice", () => {
		const retry = { maxTries: 3, waitBetweenTries: 100 };

		test("single mode: 503s that outlast the node's retries, then n8n retries: each event stored once", async () => {
			// Items 0–4 stored, then 503 until n8n's second try is under way.
			await sandbox.configure({
				faults: { 'POST /events': ['ok', 'ok', 'ok', 'ok', 'ok', '503', '503'] },
			});
			const { output, error } = await runBrevoEventNode({
				parameters: parameters({ retryServerErrors: false, requestsPerSecond: 100 }),
				items: items(20),
				credentials: sandbox.credentials,
				retryOnFail: retry,
			});
			expect(error).toBeUndefined();
			expect(storedUsers()).toEqual(
				items(20)
					.map((item) => item.json.user)
					.sort(),
			);
			expect(output).toHaveLength(20);
			expect(output!.every((item) => item.json.success === true)).toBe(true);
		});

		test('batch mode: a refused batch, then n8n retries: each event stored once', async () => {
			await sandbox.configure({ faults: { 'POST /events/batch': ['ok', '500'] } });
			const { output, error } = await runBrevoEventNode({
				parameters: parameters({ sendMode: 'batch', retryServerErrors: false }),
				items: items(450),
				credentials: sandbox.credentials,
				retryOnFail: retry,
			});
			expect(error).toBeUndefined();
			expect(storedUsers()).toEqual(
				items(450)
					.map((item) => item.json.user)
					.sort(),
			);
			expect(output!.map((item) => item.json.status)).toEqual(Array(450).fill('queued'));
		});

		test('a bad item with Retry On Fail and Stop Workflow: nothing is sent at all', async () => {
			const { error } = await runBrevoEventNode({
				parameters: parameters(),
				items: items(20, [10]),
				credentials: sandbox.credentials,
				retryOnFail: retry,
			});
			expect(error?.message).toMatch(/item 10/);
			expect(sandbox.requests()).toEqual([]);
		});
	});
});

// Keep the type import used when the file is compiled on its own.
export type { INode };
