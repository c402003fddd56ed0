import { runBrevoEventNode } from '../helpers/n8n-engine';
import { startSandbox, type Sandbox } from '../helpers/sandbox';

/**
 * Benchmark of the pacer alone on the account (not a test: `npm run benchmark:pacing`): batch mode
 * from input fields in n8n-core's engine, against the sandbox at Brevo's 10 requests/s and 30 ms,
 * BENCH_REQUESTS batches of 200 events (default 100: a 10 s floor). Reports the node's time and
 * the span from the first batch's arrival to the last's, each against the floor (requests ÷ 10/s),
 * and the 429s. Run it quiet and with the machine busy (e.g. two `node -e 'for(;;){}'`).
 * BENCH_REPEATS (default 3). BENCH_BUSY_MS: the event loop is also kept busy that long in every
 * 100 ms (issue 20's run of 100,000 items spent a quarter of its time in the node's own work, in
 * synchronous stretches that make every timer late).
 */
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const BUSY_MS = Number(process.env.BENCH_BUSY_MS ?? 0);
const RATE = 10;

const orders = (count: number) =>
	Array.from({ length: count }, (_, i) => ({
		json: { email: `buyer${i}@example.com`, userId: `user-${i}`, total: i },
	}));

const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe(`pacing benchmark: ${REQUESTS} batch requests alone at ${RATE}/s`, () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox({ latencyMs: 30 });
	});
	afterAll(async () => await sandbox?.server.stop());

	test('batch mode, from input fields', async () => {
		const items = orders(REQUESTS * 200);
		const floorS = REQUESTS / RATE;
		const runs: Array<{ node: number; first: number; span: number; limited: number }> = [];
		for (let run = 0; run < REPEATS; run++) {
			sandbox.server.reset();
			const busy = setInterval(() => {
				for (const end = Date.now() + BUSY_MS; Date.now() < end; );
			}, 100);
			const startedAt = Date.now();
			const started = performance.now();
			const result = await runBrevoEventNode({
				parameters: {
					resource: 'event',
					operation: 'create',
					eventName: 'order_created',
					identifiersFrom: 'fields',
					identifierFields: { emailId: 'email', extId: 'userId' },
					specifyEventProperties: 'allFields',
					options: { sendMode: 'batch', output: 'outcome', requestsPerSecond: RATE },
				},
				items,
				credentials: sandbox.credentials,
				// As the benchmark's runs: items are read while batches go out.
				onError: 'continueRegularOutput',
			});
			const node = (performance.now() - started) / 1000;
			clearInterval(busy);
			// A run that failed or lost events would measure nothing.
			expect(result.error).toBeUndefined();
			expect(sandbox.stored()).toHaveLength(items.length);
			const batches = sandbox.requests().filter((r) => r.route === 'POST /events/batch');
			const span = (batches[batches.length - 1].at - batches[0].at) / 1000;
			runs.push({
				node,
				first: (batches[0].at - startedAt) / 1000,
				span,
				limited: batches.filter((r) => r.status === 429).length,
			});
			// A new account for each run: the pacer's memory of the last one would help it.
			await new Promise((resolve) => setTimeout(resolve, 6_000));
		}
		const line = (label: string, values: number[]) =>
			`${label} median ${median(values).toFixed(2)} s = ${(median(values) / floorS).toFixed(3)} × floor ` +
			`[${values.map((v) => (v / floorS).toFixed(3)).join(', ')}]`;
		console.log(
			[
				`${REQUESTS} batch requests at ${RATE}/s alone (floor ${floorS} s), ${REPEATS} runs` +
					`${BUSY_MS ? `, event loop busy ${BUSY_MS} ms in every 100 ms` : ''}:`,
				line(
					'node',
					runs.map((r) => r.node),
				),
				line(
					'first → last request',
					runs.map((r) => r.span),
				),
				`first request after ${runs.map((r) => r.first.toFixed(2)).join(', ')} s`,
				`429s: ${runs.map((r) => r.limited).join(', ')}`,
			].join('\n'),
		);
	}, 600_000);
});
