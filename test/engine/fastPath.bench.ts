import type { IDataObject } from 'n8n-workflow';

import { runBrevoEventNode } from '../helpers/n8n-engine';
import { startVmExpressionEngine, stopVmExpressionEngine } from '../helpers/probe-engine';
import { startSandbox, type Sandbox } from '../helpers/sandbox';
// The benchmark's own workflow parameters (plain CommonJS, shared with test/benchmark/run.js).
import * as workflows from '../e2e/n8n/workflows.js';

/**
 * Benchmark of the drag-and-drop fast path in n8n-core's engine (not a test: `npm run
 * benchmark:fastpath`): 10,000 items in batch mode with the benchmark's 9 mapped fields
 * (`{{ $json.x }}`), against a sandbox without rate limit, so that the node's and n8n's own work
 * is what is timed. "n8n evaluates" writes the same 9 paths as `{{ ($json.x) }}`, which n8n
 * evaluates to the same values but the fast path does not recognise: the cost without it.
 * BENCH_ENGINE=vm|legacy (default vm, n8n 2.x's own), BENCH_REPEATS (default 3), BENCH_ITEMS.
 */
const ITEMS = Number(process.env.BENCH_ITEMS ?? 10_000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const ENGINE = process.env.BENCH_ENGINE ?? 'vm';

const mapped = (workflows as unknown as { mappedParameters: IDataObject }).mappedParameters;

const orders = (count: number) =>
	Array.from({ length: count }, (_, i) => ({
		json: {
			event: 'order_created',
			seq: i,
			email: `buyer${i}@example.com`,
			userId: `user-${i}`,
			firstName: `Buyer ${i}`,
			age: String(20 + (i % 50)),
			total: (i * 1.5).toFixed(2),
			gift: i % 2 === 0,
			orderedAt: 1706114397 + i * 60,
		},
	}));

const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe(`fast path benchmark: ${ITEMS} items, batch mode, 9 mapped fields (${ENGINE} evaluator)`, () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		if (ENGINE === 'vm') await startVmExpressionEngine();
		const unlimited = { limit: 1_000_000, windowMs: 1000 };
		sandbox = await startSandbox({
			rateLimits: { 'POST /events': unlimited, 'POST /events/batch': unlimited },
		});
	}, 60_000);
	afterAll(async () => {
		await sandbox?.server.stop();
		if (ENGINE === 'vm') await stopVmExpressionEngine();
	});

	test.each([
		['fast path', mapped],
		['n8n evaluates', workflows.withoutFastPath(mapped)],
	])(
		'%s',
		async (label, parameters) => {
			const items = orders(ITEMS);
			const times: number[] = [];
			let evaluated = 0;
			for (let run = 0; run < REPEATS; run++) {
				sandbox.server.reset();
				const started = performance.now();
				const result = await runBrevoEventNode({
					parameters: {
						...parameters,
						// The most the node accepts (Brevo's fastest plan): a batch request per 10 ms.
						options: { sendMode: 'batch', requestsPerSecond: 100 },
					},
					items,
					credentials: sandbox.credentials,
				});
				times.push(performance.now() - started);
				evaluated = result.expressionsEvaluated;
				// A benchmark of a run that failed or lost events would measure nothing.
				expect(result.error).toBeUndefined();
				expect(result.output!.filter((item) => item.json.error)).toEqual([]);
				expect(sandbox.stored()).toHaveLength(ITEMS);
			}
			console.log(
				`${ENGINE} · ${label}: median ${(median(times) / 1000).toFixed(2)} s of ` +
					`[${times.map((t) => (t / 1000).toFixed(2)).join(', ')}] s; ` +
					`${evaluated} expressions evaluated by n8n in the last run`,
			);
		},
		600_000,
	);
});
