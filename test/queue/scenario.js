/**
 * One scale-out measurement: N executions of a published Webhook → Code → Brevo Event workflow
 * started at once in n8n's queue mode, against the Brevo sandbox. Reads the outcome from both
 * ends: what the sandbox stored and answered, and what n8n recorded for each execution (its
 * status and the Brevo Event node's output items, from n8n's database).
 */
'use strict';

const fs = require('node:fs');
const os = require('node:os');

const { queueWorkflow } = require('./workflows');

/** CPU seconds (user + system) a process has used so far; undefined once it is gone. */
function cpuSeconds(pid) {
	try {
		const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		return (Number(fields[11]) + Number(fields[12])) / 100;
	} catch {
		return undefined;
	}
}

/**
 * @param {{ queue: import('./n8nQueue').N8nQueue, sandbox: any, mode: 'single' | 'batch',
 *   executions: number, events: number, rate?: number, timeoutMs?: number }} options
 */
async function runScenario({ queue, sandbox, mode, executions, events, rate = 10, timeoutMs }) {
	const workflowId = queueWorkflow(mode).id;
	const route = mode === 'single' ? 'POST /events' : 'POST /events/batch';
	const total = executions * events;
	const floorRequests = mode === 'single' ? total : executions * Math.ceil(events / 200);
	const floorMs = (floorRequests / rate) * 1000;
	// Batch mode is bound by n8n's own item handling (expressions), which a busy machine slows a lot.
	const deadline = timeoutMs ?? (mode === 'batch' ? 15 * 60_000 : Math.max(3 * floorMs, 120_000));
	sandbox.server.reset();
	const runBase = Date.now() % 1_000_000_000;
	const pids = queue.pids();
	const cpuBefore = Object.fromEntries(
		Object.entries(pids).map(([n, pid]) => [n, cpuSeconds(pid)]),
	);
	const since = new Date(Date.now() - 1000).toISOString();

	const started = Date.now();
	await Promise.all(
		Array.from({ length: executions }, (_, i) =>
			queue.webhook(`brevo-queue-${mode}`, { run: runBase + i, count: events }),
		),
	);
	// Wait for n8n to finish every execution (not only for the sandbox to have the events).
	const finished = async () =>
		Number(
			(
				await queue.sqlAsync(
					`SELECT count(*) FROM execution_entity WHERE "workflowId" = '${workflowId}' AND "startedAt" >= '${since}' AND status NOT IN ('new', 'running', 'waiting')`,
				)
			).trim(),
		);
	while ((await finished()) < executions && Date.now() - started < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	const elapsedMs = Date.now() - started;
	const stored = sandbox.stored();
	const lastStoredAt = stored.reduce((t, s) => Math.max(t, Date.parse(s.receivedAt)), started);
	const keys = new Set(
		stored.map((s) => `${s.event.event_properties.run}/${s.event.event_properties.seq}`),
	);
	const requests = sandbox.requests().filter((r) => r.route === route);
	const limited = requests.filter((r) => r.status === 429).length;
	const firstRequestAt = requests.length ? requests[0].at : started;
	// Requests and 429s per 10 s from the first webhook call: how the load spread over the run.
	const timeline = [];
	for (const r of requests) {
		const slot = Math.floor((r.at - started) / 10_000);
		while (timeline.length <= slot) timeline.push([0, 0]);
		timeline[slot][0]++;
		if (r.status === 429) timeline[slot][1]++;
	}

	// n8n's own record of each execution: status, and the Brevo Event node's items, paired.
	const rows = queue
		.sql(
			`SELECT id, status, extract(epoch from "startedAt") * 1000, extract(epoch from "stoppedAt") * 1000 FROM execution_entity WHERE "workflowId" = '${workflowId}' AND "startedAt" >= '${since}' ORDER BY id`,
		)
		.trim()
		.split('\n')
		.filter(Boolean)
		.map((line) => line.split('|'));
	// n8n stores run data with `flatted`; its own copy reads it.
	const flatted = queue.cli.n8nModule('flatted');
	let itemsOk = 0;
	let itemsInError = 0;
	let unpaired = 0;
	const failures = [];
	for (const [id, status] of rows) {
		const raw = queue.sql(`SELECT data FROM execution_data WHERE "executionId" = ${Number(id)}`);
		const data = flatted.parse(raw.trim());
		const error = data?.resultData?.error;
		if (status !== 'success')
			failures.push({ id: Number(id), status, node: error?.node?.name, message: error?.message });
		const items = data?.resultData?.runData?.['Brevo Event']?.[0]?.data?.main?.[0] ?? [];
		items.forEach((item, index) => {
			if (item.pairedItem?.item !== index) unpaired++;
			if (item.json?.success === true) itemsOk++;
			else itemsInError++;
		});
		if (items.length !== events) unpaired += Math.abs(events - items.length);
	}
	const cpu = Object.fromEntries(
		Object.entries(pids).map(([n, pid]) => [
			n,
			+((cpuSeconds(pid) ?? NaN) - (cpuBefore[n] ?? NaN)).toFixed(1),
		]),
	);
	const byWorker = queue.executionsByWorker();
	const ids = new Set(rows.map(([id]) => Number(id)));
	const executionsPerWorker = Object.fromEntries(
		Object.entries(byWorker).map(([worker, list]) => [
			worker,
			list.filter((id) => ids.has(id)).length,
		]),
	);
	// When each execution ended, in seconds after the first webhook call.
	const endedAfterS = rows
		.map(([, , , stopped]) => (Number(stopped) - started) / 1000)
		.filter((t) => Number.isFinite(t))
		.map((t) => Math.round(t))
		.sort((a, b) => a - b);
	return {
		mode,
		executions,
		events,
		total,
		stored: stored.length,
		lost: total - keys.size,
		duplicates: stored.length - keys.size,
		requests: requests.length,
		limited,
		share429: requests.length ? limited / requests.length : 0,
		executionsSeen: rows.length,
		executionsSucceeded: rows.filter(([, status]) => status === 'success').length,
		itemsOk,
		itemsInError,
		unpaired,
		/** First webhook call → last event stored. */
		storedWithinMs: lastStoredAt - started,
		/** First webhook call → n8n finished the last execution. */
		elapsedMs,
		/** First webhook call → first request at the sandbox: n8n's own start-up of the executions. */
		startupMs: firstRequestAt - started,
		floorMs,
		timeVsFloor: (lastStoredAt - started) / floorMs,
		/** First request → last event stored, against the floor: the pacing alone. */
		sendingVsFloor: (lastStoredAt - firstRequestAt) / floorMs,
		executionsPerWorker,
		failures,
		endedAfterS,
		timeline,
		cpuSeconds: cpu,
		loadAverage: os.loadavg()[0],
	};
}

/** One line of the queue-mode table (test/benchmark/README.md). */
function tableRow(r) {
	const pct = (x) => `${(x * 100).toFixed(1)} %`;
	return `| ${r.mode} | ${r.executions} × ${r.events.toLocaleString('en')} | ${r.stored.toLocaleString('en')} | ${r.lost} | ${r.duplicates} | ${r.requests.toLocaleString('en')} | ${r.limited} (${pct(r.share429)}) | ${(r.storedWithinMs / 1000).toFixed(1)} s / ${(r.floorMs / 1000).toFixed(1)} s = ${r.timeVsFloor.toFixed(2)}× | ${r.loadAverage.toFixed(1)} |`;
}

module.exports = { runScenario, tableRow };
