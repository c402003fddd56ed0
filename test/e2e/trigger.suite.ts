import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { sleep } from 'n8n-workflow';

import { TEST_KEYS as testKeys } from '../helpers/keys';
import { SANDBOX_API_KEY, TOKEN_ROUTE, useSandbox } from '../helpers/sandbox';
import { N8nCli } from './n8n/cli';
import { N8nServer } from './n8n/server';
import * as workflows from './n8n/workflows';

interface Report {
	workflow: string;
	execution: string;
	event: {
		event_name: string;
		event_date: string;
		event_properties: { seq?: number; batch?: string };
	};
}

/** What the load workflow posts for each execution: its events' seq and date, in order. */
interface Summary {
	workflow: string;
	execution: string;
	seqs: number[];
	dates: string[];
}

/** Two active workflows, one per credential type. */
const WORKFLOWS = { apiKey: 'brevoTriggerApiKey', oAuth2: 'brevoTriggerOAuth2' };
/** The load workflow: its own sandbox, polling every 5 seconds, activated by its test. */
const LOAD_WORKFLOW = 'brevoTriggerLoad';
const LOAD_CREDENTIAL = { id: 'brevoLoadSandbox', name: 'Brevo load sandbox (127.0.0.1)' };
const MINUTE = 60_000;
const brevoDate = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

/**
 * How each n8n makes an imported workflow active: 2.x publishes it, 1.x sets it active; `n8n
 * start` then activates it (a first poll) and polls it at each poll time.
 */
const ACTIVATE: Record<string, (id: string) => string[]> = {
	'n8n-2': (id) => ['publish:workflow', `--id=${id}`],
	'n8n-1': (id) => ['update:workflow', `--id=${id}`, '--active=true'],
};

/**
 * The trigger in a real n8n (2.41.1, and 1.123 for compatibility) under `n8n start`, polling every
 * 15 seconds, once with the API key and once with OAuth2 (two active workflows): events sent by
 * the Brevo Event node into the sandbox, plus late and identical ones added to the sandbox
 * directly, each start each trigger's workflow once.
 *
 * One test file per n8n version and part (trigger.e2e.test.ts, trigger.n8n1.e2e.test.ts,
 * trigger.load.e2e.test.ts): most of their time is waiting for poll times, so jest runs them beside
 * the files that keep the CPU busy. `sideBySide`: the API-key and OAuth2 workflows; `load`: the
 * load workflow (n8n 2.41 only).
 */
export const describeTrigger = (variant: 'n8n-2' | 'n8n-1', part: 'sideBySide' | 'load') =>
	describe(`Brevo Event Trigger in a running n8n (${variant}, ${part})`, () => {
		const sandbox = useSandbox({ reset: false });
		const loadSandbox = useSandbox({ reset: false });
		let n8n: N8nCli;
		let server: N8nServer;
		let collector: Server;
		const reports: Report[] = [];
		const summaries: Summary[] = [];
		let loadSince = 0;

		const rest = async (method: string, path: string, body?: unknown) =>
			(await server.rest(method, path, body)) as { status: number; body: { data?: unknown } };

		/** Runs a sender workflow from the editor's REST API and waits for its events in the sandbox. */
		const send = async (workflowId: string, count: number) => {
			const before = sandbox.stored().length;
			const workflow = await rest('GET', `/workflows/${workflowId}`);
			const workflowData = workflow.body.data as { nodes: Array<{ name: string }> };
			const run = await rest('POST', `/workflows/${workflowId}/run`, {
				workflowData,
				triggerToStartFrom: { name: workflowData.nodes[0].name },
			});
			expect(run.status).toBe(200);
			for (let waited = 0; sandbox.stored().length < before + count && waited < 60_000; ) {
				await sleep(250);
				waited += 250;
			}
			expect(sandbox.stored().length).toBe(before + count);
		};

		const addToSandbox = async (events: object[]) => {
			const response = await fetch(`${sandbox.server.url}/__sandbox/events`, {
				method: 'POST',
				body: JSON.stringify({ events }),
			});
			expect(response.status).toBe(202);
		};

		const reportsOf = (workflowId: string) => reports.filter((r) => r.workflow === workflowId);
		/** Waits until each trigger's workflow has reported `count` events. */
		const waitForReports = async (count: number, timeoutMs: number) => {
			const done = () => Object.values(WORKFLOWS).every((w) => reportsOf(w).length >= count);
			for (const deadline = Date.now() + timeoutMs; !done() && Date.now() < deadline; )
				await sleep(250);
		};

		const idOf = (r: Report) =>
			`${r.event.event_properties.batch ?? 'order'}:${r.event.event_properties.seq}`;

		beforeAll(async () => {
			collector = createServer((req, res) => {
				let body = '';
				req.on('data', (chunk) => (body += chunk));
				req.on('end', () => {
					if (req.url === '/load') summaries.push(JSON.parse(body) as Summary);
					else reports.push(JSON.parse(body) as Report);
					res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
				});
			});
			await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
			const collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;

			loadSince = Date.now() - 30 * MINUTE;
			n8n = new N8nCli({ variant });
			n8n.installPackage();
			await n8n.importCredentials([
				...workflows.credentials(sandbox.baseUrl, SANDBOX_API_KEY, testKeys.wrong),
				{
					...LOAD_CREDENTIAL,
					type: 'brevoApi',
					data: { apiKey: SANDBOX_API_KEY, baseUrl: loadSandbox.baseUrl },
				},
				...workflows.authCredentials(sandbox.server.url, {
					clientId: testKeys.oauthClientId,
					clientSecret: testKeys.oauthClientSecret,
					eventsOnlyKey: testKeys.eventsOnly,
					expiredKey: testKeys.expired,
				}),
			]);
			const triggerParameters = {
				filters: { eventNames: 'order_created' },
				options: { lookBackMinutes: 30 },
			};
			await n8n.importWorkflows([
				workflows.triggerToCollector(WORKFLOWS.apiKey, `${collectorUrl}/seen`, triggerParameters),
				workflows.triggerToCollector(WORKFLOWS.oAuth2, `${collectorUrl}/seen`, {
					...triggerParameters,
					authentication: 'oAuth2',
				}),
				workflows.sendOrders('brevoSendOrders1', 20, 0),
				workflows.sendOrders('brevoSendOrders2', 20, 100),
				workflows.triggerSummaryToCollector(
					LOAD_WORKFLOW,
					`${collectorUrl}/load`,
					LOAD_CREDENTIAL,
					{
						pollTimes: { item: workflows.pollEvery(5) },
						filters: { eventNames: 'cart_abandoned' },
						options: { includeEventsSince: new Date(loadSince).toISOString(), lookBackMinutes: 60 },
					},
				),
			]);
			for (const workflowId of part === 'sideBySide' ? Object.values(WORKFLOWS) : []) {
				const activated = await n8n.run(ACTIVATE[variant](workflowId));
				expect({ code: activated.code, stderr: activated.code ? activated.stderr : '' }).toEqual({
					code: 0,
					stderr: '',
				});
			}
			server = await N8nServer.start(n8n, { ownerPassword: testKeys.ownerPassword });
		}, 15 * 60_000);
		afterAll(async () => {
			await server?.stop();
			n8n?.cleanup();
			await new Promise((resolve) => collector?.close(resolve));
		});

		if (part === 'sideBySide')
			test(
				'events sent by the Brevo Event node, late and identical ones included, each start each workflow once (API key and OAuth2)',
				async () => {
					// Both workflows are active: n8n activates each (its first poll takes that time as its
					// start and reads nothing), then polls at each poll time. The first reads show they are
					// active; the later startDate is when both have started.
					const reads = () => sandbox.requests().filter((r) => r.route === 'GET /events');
					for (let waited = 0; reads().length < 2 && waited < 150_000; waited += 250)
						await sleep(250);
					expect(reads().length).toBeGreaterThanOrEqual(2);
					const start = Math.max(
						...reads().map((r) => Date.parse(new URLSearchParams(r.query).get('startDate') ?? '')),
					);
					expect(start).toBeGreaterThan(Date.now() - 5 * 60_000);

					// Round 1: 20 orders through the Brevo Event node, an identical pair and a back-dated event
					// (dated when both triggers had started, recorded now), and an event the filter excludes.
					await send('brevoSendOrders1', 20);
					const twin = {
						event_name: 'order_created',
						identifiers: { contact_id: 7 },
						event_date: new Date().toISOString(),
						event_properties: { batch: 'twin', seq: 1 },
					};
					await addToSandbox([
						twin,
						twin,
						{
							event_name: 'order_created',
							identifiers: { contact_id: 8 },
							event_date: new Date(start).toISOString(),
							event_properties: { batch: 'late', seq: 1 },
						},
						{ event_name: 'page_viewed', identifiers: { contact_id: 9 } },
					]);
					// n8n polls at the next poll time.
					await waitForReports(23, 90_000);
					const firstPolls = new Set(reports.map((r) => r.execution));

					// Round 2, after those polls: 20 more orders, and one dated before them (recorded late).
					await send('brevoSendOrders2', 20);
					await addToSandbox([
						{
							event_name: 'order_created',
							identifiers: { contact_id: 10 },
							event_date: new Date(start + 1000).toISOString(),
							event_properties: { batch: 'late', seq: 2 },
						},
					]);
					await waitForReports(44, 90_000);
					// The later polls re-read both rounds (inside the look-back) without emitting them again.
					const readsBefore = reads().length;
					for (let waited = 0; reads().length < readsBefore + 2 && waited < 40_000; waited += 250)
						await sleep(250);
					await sleep(1000);

					const expected = Object.fromEntries([
						...Array.from({ length: 20 }, (_, i) => [`order:${i}`, 1]),
						...Array.from({ length: 20 }, (_, i) => [`order:${100 + i}`, 1]),
						['twin:1', 2],
						['late:1', 1],
						['late:2', 1],
					]);
					for (const workflowId of Object.values(WORKFLOWS)) {
						const mine = reportsOf(workflowId);
						const counts = new Map<string, number>();
						for (const r of mine) counts.set(idOf(r), (counts.get(idOf(r)) ?? 0) + 1);
						expect({ workflowId, counts: Object.fromEntries(counts) }).toEqual({
							workflowId,
							counts: expected,
						});
						expect(mine.every((r) => r.event.event_name === 'order_created')).toBe(true);
						// One execution per poll that found events (a poll time may split a round).
						const executions = new Set(mine.map((r) => r.execution));
						expect(executions.size).toBeGreaterThanOrEqual(2);
						expect(executions.size).toBeLessThanOrEqual(4);
					}
					expect(reports).toHaveLength(88);
					expect(firstPolls.size).toBeGreaterThanOrEqual(2);
					// Every read had a fixed window (both dates) and the filter; both credentials were used:
					// the API key, and OAuth2's bearer token fetched from the sandbox's token endpoint.
					const queries = reads().map((r) => new URLSearchParams(r.query));
					expect(queries.length).toBeGreaterThanOrEqual(6);
					for (const q of queries) {
						expect(q.getAll('event_name')).toEqual(['order_created']);
						expect(q.get('startDate')).not.toBeNull();
						expect(q.get('endDate')).not.toBeNull();
					}
					expect(new Set(reads().map((r) => r.auth))).toEqual(new Set(['api-key', 'bearer']));
					expect(sandbox.requests().some((r) => r.route === TOKEN_ROUTE)).toBe(true);
				},
				5 * 60_000,
			);

		/**
		 * The load target in a real n8n 2.41 (its REST API activates the workflow, as the
		 * editor does): a backlog of 15,000 events (so that each poll reads two or three pages of
		 * 10,000), then 10 intervals of 1,000 new events — 5 % back-dated by up to 10 minutes, 10
		 * identical pairs recorded separately, 10 arriving while a poll pages — with n8n polling every
		 * 5 seconds: nothing lost, nothing emitted twice, each execution oldest first, static data small.
		 */
		// n8n 2.41 only: activated through its REST API, as its editor does.
		if (part === 'load' && variant === 'n8n-2')
			test(
				'10 intervals of 1,000 events, late, identical and mid-paging ones included: 0 lost, 0 twice, static data ≤ 256 KB',
				async () => {
					let seq = 0;
					const sent = new Map<number, number>();
					const event = (date?: number) => {
						const e = {
							event_name: 'cart_abandoned',
							identifiers: { contact_id: 1 + (seq % 50) },
							event_properties: { seq: seq++, shop: 'sandbox' },
							...(date === undefined ? {} : { event_date: brevoDate(date) }),
						};
						return e;
					};
					const record = (events: Array<ReturnType<typeof event>>) => {
						for (const e of events)
							sent.set(e.event_properties.seq, (sent.get(e.event_properties.seq) ?? 0) + 1);
						return events;
					};
					const add = async (body: object) => {
						const response = await fetch(`${loadSandbox.server.url}/__sandbox/events`, {
							method: 'POST',
							body: JSON.stringify(body),
						});
						expect(response.status).toBe(202);
					};
					const emitted = () => {
						const counts = new Map<number, number>();
						for (const s of summaries)
							for (const q of s.seqs) counts.set(q, (counts.get(q) ?? 0) + 1);
						return counts;
					};
					const sum = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
					const allEmitted = async (timeoutMs: number) => {
						for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(250))
							if (sum(emitted()) >= sum(sent)) return;
					};

					const started = Date.now();
					await add({
						events: record(
							Array.from({ length: 15_000 }, (_, i) => event(loadSince + 1000 + i * 110)),
						),
					});
					const workflow = await rest('GET', `/workflows/${LOAD_WORKFLOW}`);
					const { versionId } = workflow.body.data as { versionId: string };
					const activated = await rest('POST', `/workflows/${LOAD_WORKFLOW}/activate`, {
						versionId,
					});
					expect(activated.status).toBe(200);
					await allEmitted(60_000);

					for (let interval = 1; interval <= 10; interval++) {
						const before = summaries.length;
						const now = Date.now();
						const pairs = Array.from({ length: 10 }, () => event(now - 5_000));
						await add({
							events: record([
								...Array.from({ length: 930 }, () => event()),
								...Array.from({ length: 50 }, (_, i) =>
									event(now - ((i * 11_987) % (10 * MINUTE))),
								),
								...pairs,
								...pairs,
							]),
						});
						// Between the next poll's first and second page: half back-dated into the window
						// being read (its pages shift), half fresh.
						await add({
							events: record(
								Array.from({ length: 10 }, (_, i) =>
									event(i < 5 ? now - (i + 1) * MINUTE : undefined),
								),
							),
							onListCall: 2,
						});
						// The next interval starts once a poll has paged (meeting those arrivals) and emitted.
						const polled = () =>
							loadSandbox.server.onList.length === 0 && summaries.length > before;
						for (let waited = 0; !polled() && waited < 30_000; waited += 100) await sleep(100);
					}
					await allEmitted(60_000);
					// The polls after the last one emit nothing more.
					const reads = () => loadSandbox.requests().filter((r) => r.route === 'GET /events');
					const readsBefore = reads().length;
					for (let waited = 0; reads().length < readsBefore + 4 && waited < 30_000; waited += 250)
						await sleep(250);

					const counts = emitted();
					const lost = [...sent].filter(([q, n]) => (counts.get(q) ?? 0) < n);
					const twice = [...counts].filter(([q, n]) => n > (sent.get(q) ?? 0));
					// Oldest first within each execution.
					for (const s of summaries) {
						const dates = s.dates.map((d) => Date.parse(d));
						expect(dates).toEqual([...dates].sort((a, b) => a - b));
					}
					// Every read of a poll has a fixed window; arrivals while paging made polls read theirs again.
					const offsetZeroByWindow = new Map<string, number>();
					for (const r of reads()) {
						const q = new URLSearchParams(r.query);
						expect(q.get('startDate')).not.toBeNull();
						expect(q.get('endDate')).not.toBeNull();
						if (q.get('offset') === '0') {
							const window = `${q.get('startDate')} ${q.get('endDate')}`;
							offsetZeroByWindow.set(window, (offsetZeroByWindow.get(window) ?? 0) + 1);
						}
					}
					const reread = [...offsetZeroByWindow.values()].filter((n) => n > 1).length;
					const saved = await rest('GET', `/workflows/${LOAD_WORKFLOW}`);
					const staticData = (saved.body.data as { staticData?: unknown }).staticData;
					const bytes = Buffer.byteLength(JSON.stringify(staticData ?? null));
					console.log(
						`trigger load in n8n 2.41: ${sum(sent)} events (15,000 backlog + 10 × 1,010), ` +
							`${summaries.length} executions, ${reads().length} reads, ${reread} windows read again, ` +
							`lost ${lost.length}, twice ${twice.length}, static data ${bytes} bytes, ` +
							`${((Date.now() - started) / 1000).toFixed(1)} s`,
					);
					expect({ lost: lost.length, twice: twice.length }).toEqual({ lost: 0, twice: 0 });
					expect(sum(counts)).toBe(sum(sent));
					expect(reread).toBeGreaterThanOrEqual(10);
					expect(staticData).toBeTruthy();
					expect(bytes).toBeLessThanOrEqual(256_000);
				},
				5 * 60_000,
			);
	});
