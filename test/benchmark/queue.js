/**
 * Scale-out benchmark: the queue-mode table of test/benchmark/README.md, with the queue-mode test's machinery
 * (test/queue/) and its scenarios at Brevo's real 10 requests/s by default. n8n
 * 2.41.1 in queue mode (PostgreSQL, Redis, one main, QUEUE_WORKERS workers) against the Brevo
 * sandbox (10 requests/s per endpoint, per account, 30 ms latency); each scenario starts N
 * executions of a published Webhook → Code → Brevo Event workflow at once.
 *
 *   npm run build && node test/benchmark/queue.js
 *   QUEUE_WORKERS=4 QUEUE_SCENARIOS="single:32x125,batch:16x2000" node test/benchmark/queue.js
 *
 * Writes test/benchmark/queue-results.json (test/benchmark/README.md quotes it) and prints the table's rows.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const workflows = require('../e2e/n8n/workflows');
const { N8nQueue } = require('../queue/n8nQueue');
const { runScenario, tableRow } = require('../queue/scenario');
const { queueWorkflow } = require('../queue/workflows');
const { BrevoSandbox } = require('../sandbox/brevo-sandbox');

const API_KEY = 'xkeysib-benchmark';

function scenarios() {
	const spec =
		process.env.QUEUE_SCENARIOS ?? 'single:1x250,single:8x250,single:16x125,batch:8x2000';
	return spec.split(',').map((part) => {
		const [mode, size] = part.trim().split(':');
		const [executions, events] = size.split('x').map(Number);
		if (!['single', 'batch'].includes(mode) || !(executions > 0) || !(events > 0))
			throw new Error(`QUEUE_SCENARIOS: cannot read "${part}" (e.g. single:8x250)`);
		return { mode, executions, events };
	});
}

async function main() {
	const server = await new BrevoSandbox({ apiKey: API_KEY, latencyMs: 30 }).start();
	const sandbox = { server, stored: () => server.events, requests: () => server.log };
	const queue = new N8nQueue({ workers: Number(process.env.QUEUE_WORKERS ?? 2) });
	const results = [];
	try {
		await queue.prepare();
		await queue.importCredentials(
			workflows.credentials(`${server.url}/v3`, API_KEY, 'xkeysib-wrong'),
		);
		await queue.importWorkflows([queueWorkflow('single'), queueWorkflow('batch')]);
		await queue.publish(queueWorkflow('single').id);
		await queue.publish(queueWorkflow('batch').id);
		await queue.start();
		// As the test does: the first execution of a fresh n8n pays for loading; not measured.
		await queue.warmUp('brevo-queue-single', { run: 0, count: 1 });
		for (const scenario of scenarios()) {
			// Pacers start afresh after 5 s idle: each scenario begins from nothing learned.
			await new Promise((resolve) => setTimeout(resolve, 6000));
			const result = await runScenario({ queue, sandbox, ...scenario });
			results.push(result);
			console.log(tableRow(result));
		}
	} finally {
		await queue.stop();
		await server.stop();
	}
	const file = path.join(__dirname, 'queue-results.json');
	fs.writeFileSync(
		file,
		`${JSON.stringify({ measuredAt: new Date().toISOString(), workers: queue.workers, results }, null, '\t')}\n`,
	);
	console.log(`Written ${file}`);
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
