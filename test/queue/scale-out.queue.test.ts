import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { credentials } from '../e2e/n8n/workflows';
import { N8nQueue } from './n8nQueue';
import { runScenario, tableRow } from './scenario';
import { queueWorkflow } from './workflows';
import { TEST_KEYS as testKeys } from '../helpers/keys';
import { SANDBOX_API_KEY, useSandbox } from '../helpers/sandbox';

type Result = Awaited<ReturnType<typeof runScenario>>;

/**
 * The account's limit in this test: 20 requests per second (Brevo's Professional and Enterprise
 * plans), so that each single-mode scenario takes half the time it takes at 10/s, with the same
 * requests and the same bounds on the 429 share and the ratio to the floor. Half the events as
 * well (50 s floors) measured 1.09–1.14× on a quiet machine against the 1.15 bound: too little
 * margin, so the single-mode scenarios keep the benchmark's sizes (100 s floors, 1.11–1.13×). Measured on a busy machine (load
 * 7–11, 2026-12-03): 1.38×, 1.22×, 1.25× the floor at 20/s; an earlier run at 10/s under a similar
 * load (7–12) measured 1.44×, 1.18×, 1.22×; at 40/s 1.49×, 1.58×, 1.57×, past the busy bounds (n8n's
 * own work per request, not the pacing, then sets the time). At 40/s with the same events (50 s
 * floors) on a quiet machine (2026-12-03 20:55): 1.03×, 1.12×, 1.16× — past the bound: the time
 * lost when the pacers ramp up and when one worker's executions end first (the other's pacer then
 * takes its share) is a few seconds whatever the floor, so a shorter floor shows it more.
 * `npm run benchmark:queue` runs the same scenarios at 10/s (test/benchmark/README.md).
 */
const RATE = 20;

/**
 * Scale-out, for real: n8n 2.41.1 in queue mode (PostgreSQL, Redis, one main, two workers), the
 * package installed as the community panel does, a published Webhook → Code → Brevo Event
 * workflow, and N executions started at once against the sandbox's per-account limit of RATE
 * requests per second (30 ms latency). Every execution's items are checked in n8n's database.
 * Each run writes its results to .cache/queue-results.json (ignored by git); the queue-mode table
 * of test/benchmark/README.md is `npm run benchmark:queue`'s (test/benchmark/queue-results.json).
 */
describe('n8n queue mode: one main, two workers, one Brevo account', () => {
	const sandbox = useSandbox({
		latencyMs: 30,
		reset: false,
		rateLimits: Object.fromEntries(
			['POST /events', 'POST /events/batch', 'GET /events'].map((route) => [
				route,
				{ limit: RATE, windowMs: 1000 },
			]),
		),
	});
	const queue = new N8nQueue({ workers: 2 });
	const results: Result[] = [];

	beforeAll(async () => {
		await queue.prepare();
		await queue.importCredentials(credentials(sandbox.baseUrl, SANDBOX_API_KEY, testKeys.wrong));
		await queue.importWorkflows([queueWorkflow('single', RATE), queueWorkflow('batch', RATE)]);
		await queue.publish(queueWorkflow('single').id);
		await queue.publish(queueWorkflow('batch').id);
		await queue.start();
		await queue.warmUp('brevo-queue-single', { run: 0, count: 1 });
	}, 20 * 60_000);

	afterAll(async () => {
		if (results.some((r) => r.failures.length > 0 || r.lost > 0))
			console.log(
				`n8n logs kept in ${queue.keepLogs(fs.mkdtempSync(path.join(os.tmpdir(), 'brevo-queue-logs-')))}`,
			);
		await queue.stop();
		if (results.length > 0) {
			const cache = path.join(__dirname, '..', '..', '.cache');
			fs.mkdirSync(cache, { recursive: true });
			fs.writeFileSync(
				path.join(cache, 'queue-results.json'),
				`${JSON.stringify({ measuredAt: new Date().toISOString(), results }, null, 2)}\n`,
			);
			console.log(['', ...results.map(tableRow)].join('\n'));
		}
	}, 5 * 60_000);

	/**
	 * The time targets hold on a machine that is not oversubscribed. n8n's own work (a worker
	 * reads the credential from the database for every request) slows down with the machine,
	 * and no pacing wins that back: when other work keeps the load average above twice the
	 * cores, a looser bound is checked and the run says so.
	 */
	function timeBound(result: Result, target: number) {
		const busy = result.loadAverage > 2 * os.cpus().length;
		if (busy)
			console.log(
				`load average ${result.loadAverage.toFixed(1)} on ${os.cpus().length} cores: time checked against ${(target + 0.25).toFixed(2)} × the floor instead of ${target}`,
			);
		return busy ? target + 0.25 : target;
	}

	async function scenario(mode: 'single' | 'batch', executions: number, events: number) {
		// Let the pacers of both workers forget the previous scenario (they start afresh after 5 s idle).
		await new Promise((resolve) => setTimeout(resolve, 6000));
		const result = await runScenario({ queue, sandbox, mode, executions, events, rate: RATE });
		results.push(result);
		// Nothing lost, nothing twice, every execution succeeded with one paired output per item.
		expect(result).toMatchObject({
			stored: executions * events,
			lost: 0,
			duplicates: 0,
			executionsSeen: executions,
			executionsSucceeded: executions,
			itemsOk: executions * events,
			itemsInError: 0,
			unpaired: 0,
		});
		return result;
	}

	test('one execution alone keeps its throughput: 250 events within 1.2 × the floor', async () => {
		const result = await scenario('single', 1, 250);
		// Alone, a 429 can only come from n8n releasing held-back requests together.
		expect(result.share429).toBeLessThanOrEqual(0.02);
		expect(result.timeVsFloor).toBeLessThanOrEqual(timeBound(result, 1.2));
	});

	test.each([
		[8, 250],
		[16, 125],
	])(
		'%i executions × %i events, single mode: 429s ≤ 5 % of requests, all stored within 1.15 × the floor',
		async (executions, events) => {
			const result = await scenario('single', executions, events);
			expect(result.share429).toBeLessThanOrEqual(0.05);
			expect(result.timeVsFloor).toBeLessThanOrEqual(timeBound(result, 1.15));
		},
	);

	test('8 executions × 1,000 events, batch mode: 429s ≤ 5 % of requests', async () => {
		const result = await scenario('batch', 8, 1000);
		expect(result.share429).toBeLessThanOrEqual(0.05);
		// Batch mode is bound by n8n's own item handling, not by the request floor: no time target.
	});
});
