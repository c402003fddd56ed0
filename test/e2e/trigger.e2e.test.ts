import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { sleep } from 'n8n-workflow';

import { TEST_KEYS as testKeys } from '../helpers/keys';
import { SANDBOX_API_KEY, TOKEN_ROUTE, useSandbox } from '../helpers/sandbox';
import { N8nCli, randomPort } from './n8n/cli';
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

/** Two active workflows, one per credential type. */
const WORKFLOWS = { apiKey: 'brevoTriggerApiKey', oAuth2: 'brevoTriggerOAuth2' };

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
 */
describe.each(['n8n-2', 'n8n-1'])('Brevo Event Trigger in a running n8n (%s)', (variant) => {
	const sandbox = useSandbox({ reset: false });
	let n8n: N8nCli;
	let server: { url: string; stop: () => Promise<unknown> };
	let collector: Server;
	const reports: Report[] = [];
	let cookie = '';

	const rest = async (method: string, path: string, body?: unknown) => {
		const response = await fetch(`${server.url}/rest${path}`, {
			method,
			headers: { 'content-type': 'application/json', 'browser-id': 'e2e-browser', cookie },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = response.headers.get('set-cookie');
		if (setCookie) cookie = setCookie.split(';')[0];
		return { status: response.status, body: (await response.json()) as { data?: unknown } };
	};

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
				reports.push(JSON.parse(body) as Report);
				res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
			});
		});
		await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
		const collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/seen`;

		n8n = new N8nCli({ variant });
		n8n.installPackage();
		await n8n.importCredentials([
			...workflows.credentials(sandbox.baseUrl, SANDBOX_API_KEY, testKeys.wrong),
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
			workflows.triggerToCollector(WORKFLOWS.apiKey, collectorUrl, triggerParameters),
			workflows.triggerToCollector(WORKFLOWS.oAuth2, collectorUrl, {
				...triggerParameters,
				authentication: 'oAuth2',
			}),
			workflows.sendOrders('brevoSendOrders1', 20, 0),
			workflows.sendOrders('brevoSendOrders2', 20, 100),
		]);
		for (const workflowId of Object.values(WORKFLOWS)) {
			const activated = await n8n.run(ACTIVATE[variant](workflowId));
			expect({ code: activated.code, stderr: activated.code ? activated.stderr : '' }).toEqual({
				code: 0,
				stderr: '',
			});
		}
		server = await n8n.startServer(randomPort());
		const owner = await rest('POST', '/owner/setup', {
			email: 'owner@example.com',
			firstName: 'Local',
			lastName: 'Owner',
			password: testKeys.ownerPassword,
		});
		expect(owner.status).toBe(200);
	}, 15 * 60_000);
	afterAll(async () => {
		await server?.stop();
		n8n?.cleanup();
		await new Promise((resolve) => collector?.close(resolve));
	});

	test(
		'events sent by the Brevo Event node, late and identical ones included, each start each workflow once (API key and OAuth2)',
		async () => {
			// Both workflows are active: n8n activates each (its first poll takes that time as its
			// start and reads nothing), then polls at each poll time. The first reads show they are
			// active; the later startDate is when both have started.
			const reads = () => sandbox.requests().filter((r) => r.route === 'GET /events');
			for (let waited = 0; reads().length < 2 && waited < 150_000; waited += 250) await sleep(250);
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
});
