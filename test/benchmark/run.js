/**
 * Benchmark (issues "Throughput and delivery guarantees", "Bulk at Brevo's speed" and 20, "The
 * drag-and-drop path at Brevo's speed"): in one run,
 * a real n8n 2.41.1 against the Brevo sandbox limited to 10 requests/s per endpoint with 30 ms
 * latency:
 *   - 1,000 events through this node, single mode (mapped by expressions, and from input fields)
 *     and batch mode;
 *   - 1,000 events through n8n's HTTP Request node as a user would set it up: defaults, with its
 *     Batching option (10 items per 1 s), and with Retry On Fail (5 tries, 5 s apart);
 *   - 10,000 events through this node in batch mode: mapped by 9 or 3 expressions per item (3 or 9
 *     fields dropped as `{{ $json.x }}`, read by the fast path; 9 as `{{ ($json.x) }}`, which n8n
 *     evaluates), and read from the input fields (no expression per item);
 *   - 100,000 events in one execution from the input fields, with full output items and with
 *     Output: Outcome Only, and the same two mapped by 9 fields dropped as `{{ $json.x }}`;
 *   - baselines: a Set node evaluating the same 9 expressions (n8n's own cost), No Operation nodes
 *     (memory and n8n's own item handling) for 10,000 and 100,000 items.
 * Records per run: execution wall time, the node's own time, events stored, duplicates, items in
 * error, n8n's peak RSS. Writes test/benchmark/results.json and test/benchmark/RESULTS.md.
 * Run: npm run benchmark (≈ 35 minutes on a quiet 2-core machine). Arguments: scenario keys
 * (comma-separated) to run only those; BENCHMARK_REPEATS (default 3) repeats of the runs of 10,000
 * items or more; BENCHMARK_SCALE (default 1) multiplies every item count, e.g. 0.01 to check the
 * benchmark itself in a minute; BENCHMARK_OUTPUT (default test/benchmark/) where the results are written.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const { N8nCli, nodeOutput } = require('../e2e/n8n/cli');
const workflows = require('../e2e/n8n/workflows');
const { BrevoSandbox } = require('../sandbox/brevo-sandbox');

const API_KEY = 'xkeysib-benchmark';
const LIMITS = { limit: 10, windowMs: 1000 };
const TARGET = 'Target';

let nodeId = 0;
const id = () => `bbbbbbbb-0000-4000-8000-${String(++nodeId).padStart(12, '0')}`;
const { trigger, code, workflow, orderItems } = workflows;
const BENCH_CREDENTIAL = { id: 'benchBrevo000001', name: 'Brevo sandbox' };

/** The whole item as event properties: 3 expressions per item instead of 9. */
const fewExpressions = {
	...workflows.mappedParameters,
	eventName: 'order_created',
	specifyContactProperties: 'none',
	specifyEventProperties: 'json',
	eventPropertiesJson: '={{ $json }}',
};

/**
 * Three fields mapped by drag and drop, each `{{ $json.x }}` (what the editor writes when an input
 * field is dropped on a parameter): the email and user ID, and `seq` (which the delivery counts read).
 */
const dragThreeFields = {
	resource: 'event',
	operation: 'create',
	eventName: 'order_created',
	identifiers: { emailId: '={{ $json.email }}', extId: '={{ $json.userId }}' },
	specifyContactProperties: 'none',
	specifyEventProperties: 'keypair',
	eventProperties: { property: [{ name: 'seq', type: 'number', value: '={{ $json.seq }}' }] },
	additionalFields: {},
	options: {},
};

/**
 * The node under test. `onError: 'stop'` is n8n's default On Error: the node then reads and checks
 * every item before the first request (so a bad item stops the run before anything is sent).
 */
const brevoNode = (
	sendMode,
	parameters = workflows.mappedParameters,
	options = {},
	{ onError = 'continue' } = {},
) => ({
	...workflows.brevoEvent(
		{ ...parameters, options: { sendMode, ...options } },
		{ credential: BENCH_CREDENTIAL, continueOnFail: onError === 'continue', name: TARGET },
	),
	position: [400, 0],
});

/** The raw JSON a user writes in the HTTP Request node for the same event. */
const jsonBody =
	'={{ JSON.stringify({ event_name: $json.event, identifiers: { email_id: $json.email, ext_id: $json.userId }, contact_properties: { FIRSTNAME: $json.firstName, AGE: Number($json.age) }, event_properties: { seq: $json.seq, total: Number($json.total), gift: $json.gift, ordered_at: DateTime.fromSeconds($json.orderedAt).toISO() } }) }}';

const httpNode = (variant, baseUrl) => ({
	id: id(),
	name: TARGET,
	type: 'n8n-nodes-base.httpRequest',
	typeVersion: 4.2,
	position: [400, 0],
	parameters: {
		method: 'POST',
		url: `${baseUrl}/events`,
		authentication: 'genericCredentialType',
		genericAuthType: 'httpHeaderAuth',
		sendBody: true,
		specifyBody: 'json',
		jsonBody,
		options:
			variant === 'batching' ? { batching: { batch: { batchSize: 10, batchInterval: 1000 } } } : {},
	},
	credentials: { httpHeaderAuth: { id: 'benchHeader00001', name: 'Brevo api-key header' } },
	// n8n's default On Error (stop the workflow), as a user has it; Retry On Fail re-runs the whole node.
	...(variant === 'retry' ? { retryOnFail: true, maxTries: 5, waitBetweenTries: 5000 } : {}),
});

const setNode = () => ({
	id: id(),
	name: TARGET,
	type: 'n8n-nodes-base.set',
	typeVersion: 3.4,
	position: [400, 0],
	parameters: {
		assignments: {
			assignments: [
				['event_name', 'string', '={{ $json.event }}'],
				['email_id', 'string', '={{ $json.email }}'],
				['ext_id', 'string', '={{ $json.userId }}'],
				['FIRSTNAME', 'string', '={{ $json.firstName }}'],
				['AGE', 'string', '={{ $json.age }}'],
				['seq', 'string', '={{ $json.seq }}'],
				['total', 'string', '={{ $json.total }}'],
				['gift', 'string', '={{ $json.gift }}'],
				['ordered_at', 'string', '={{ $json.orderedAt }}'],
			].map(([name, type, value], i) => ({ id: `a${i}`, name, type, value })),
		},
		options: {},
	},
});

const noOpNode = () => ({
	id: id(),
	name: TARGET,
	type: 'n8n-nodes-base.noOp',
	typeVersion: 1,
	position: [400, 0],
	parameters: {},
});

const SCALE = Number(process.env.BENCHMARK_SCALE ?? 1);
/** Where results.json and RESULTS.md go: a trial run can keep the committed results intact. */
const OUTPUT = process.env.BENCHMARK_OUTPUT ?? __dirname;
const scaled = (count) => Math.max(1, Math.round(count * SCALE));
/** The runs of at least this many items (before scaling) are repeated; smaller ones run once. */
const REPEATED_FROM = 10000;
const fields = workflows.fieldParameters;

function scenarios(baseUrl) {
	const s = (key, label, nominal, target, expectsEvents = true) => {
		const count = scaled(nominal);
		return {
			key,
			label,
			count,
			repeated: nominal >= REPEATED_FROM,
			expectsEvents,
			workflow: workflow(key, key, [trigger(), code(orderItems(count)), target]),
		};
	};
	return [
		s('brevoSingle1k', 'Brevo Event, single mode', 1000, brevoNode('single')),
		s(
			'brevoSingle1kFields',
			'Brevo Event, single mode, from input fields',
			1000,
			brevoNode('single', fields),
		),
		s('brevoBatch1k', 'Brevo Event, batch mode', 1000, brevoNode('batch')),
		s('httpDefault1k', 'HTTP Request, defaults', 1000, httpNode('default', baseUrl)),
		s('httpBatching1k', 'HTTP Request, Batching 10 per 1 s', 1000, httpNode('batching', baseUrl)),
		s('httpRetry1k', 'HTTP Request, Retry On Fail (5 × 5 s)', 1000, httpNode('retry', baseUrl)),
		s(
			'brevoBatch10k',
			'Brevo Event, batch mode, 9 fields mapped by drag and drop',
			10000,
			brevoNode('batch'),
		),
		s(
			'brevoBatch10kFew',
			'Brevo Event, batch mode, 3 expressions per item',
			10000,
			brevoNode('batch', fewExpressions),
		),
		s(
			'brevoBatch10kDrag3',
			'Brevo Event, batch mode, 3 fields mapped by drag and drop',
			10000,
			brevoNode('batch', dragThreeFields),
		),
		s(
			'brevoBatch10kUnrecognised',
			'Brevo Event, batch mode, the 9 expressions as `{{ ($json.x) }}` (not taken by the fast path)',
			10000,
			brevoNode('batch', workflows.withoutFastPath(workflows.mappedParameters)),
		),
		s(
			'brevoBatch10kStop',
			'Brevo Event, batch mode, On Error: Stop Workflow (every item read first)',
			10000,
			brevoNode('batch', workflows.mappedParameters, {}, { onError: 'stop' }),
		),
		s('setBaseline10k', "Set node, same 9 expressions (n8n's own cost)", 10000, setNode(), false),
		s('noOpBaseline10k', 'No Operation node (memory baseline)', 10000, noOpNode(), false),
		s(
			'brevoBatch10kFields',
			'Brevo Event, batch mode, from input fields (no expression per item)',
			10000,
			brevoNode('batch', fields),
		),
		s(
			'brevoBatch10kFieldsStop',
			'Brevo Event, batch mode, from input fields, On Error: Stop Workflow (every item read first)',
			10000,
			brevoNode('batch', fields, {}, { onError: 'stop' }),
		),
		s(
			'brevoBatch100kFields',
			'Brevo Event, batch mode, from input fields',
			100000,
			brevoNode('batch', fields),
		),
		s(
			'brevoBatch100kOutcome',
			'Brevo Event, batch mode, from input fields, Output: Outcome Only',
			100000,
			brevoNode('batch', fields, { output: 'outcome' }),
		),
		s(
			'brevoBatch100k',
			'Brevo Event, batch mode, 9 fields mapped by drag and drop',
			100000,
			brevoNode('batch'),
		),
		s(
			'brevoBatch100kOutcomeMapped',
			'Brevo Event, batch mode, 9 fields mapped by drag and drop, Output: Outcome Only',
			100000,
			brevoNode('batch', workflows.mappedParameters, { output: 'outcome' }),
		),
		s('noOpBaseline100k', 'No Operation node (memory baseline)', 100000, noOpNode(), false),
	];
}

function peakRss(pid) {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const match = /VmHWM:\s+(\d+) kB/.exec(status);
		return match ? Number(match[1]) * 1024 : 0;
	} catch {
		return 0;
	}
}

async function runScenario(n8n, sandbox, scenario) {
	sandbox.reset();
	let peak = 0;
	let timer;
	const result = await n8n.execute(scenario.key, {
		onSpawn: (pid) => {
			timer = setInterval(() => (peak = Math.max(peak, peakRss(pid))), 100);
		},
	});
	clearInterval(timer);
	const run = result.run;
	const output = nodeOutput(run, TARGET) ?? [];
	const task = run?.data?.resultData?.runData?.[TARGET]?.[0];
	const seqs = sandbox.events.map((e) => e.event.event_properties?.seq);
	const unique = new Set(seqs).size;
	// A workflow that stopped on an error has no output: all its items count as in error.
	const errors = output.filter((item) => item.json?.error !== undefined).length;
	return {
		key: scenario.key,
		label: scenario.label,
		items: scenario.count,
		exitCode: result.code,
		executionSeconds: run ? (Date.parse(run.stoppedAt) - Date.parse(run.startedAt)) / 1000 : null,
		nodeSeconds: task ? task.executionTime / 1000 : null,
		processSeconds: result.ms / 1000,
		stored: scenario.expectsEvents ? sandbox.events.length : null,
		duplicates: scenario.expectsEvents ? seqs.length - unique : null,
		lost: scenario.expectsEvents ? scenario.count - unique : null,
		itemsInError: errors + (scenario.count - output.length),
		http429: sandbox.log.filter((r) => r.status === 429).length,
		requests: sandbox.log.length,
		peakRssMB: Math.round(peak / 1024 / 1024),
	};
}

const REPEATS = Number(process.env.BENCHMARK_REPEATS ?? 3);

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** One row per scenario: medians of time and memory, worst case of the delivery counts. */
function summarise(list) {
	const [first] = list;
	const max = (key) => (first[key] === null ? null : Math.max(...list.map((r) => r[key])));
	const seconds = list.map((r) => r.executionSeconds);
	return {
		...first,
		runs: list.length,
		executionSeconds: median(seconds),
		executionRange: [Math.min(...seconds), Math.max(...seconds)],
		nodeSeconds: first.nodeSeconds === null ? null : median(list.map((r) => r.nodeSeconds)),
		peakRssMB: median(list.map((r) => r.peakRssMB)),
		stored: first.stored === null ? null : Math.min(...list.map((r) => r.stored)),
		duplicates: max('duplicates'),
		lost: max('lost'),
		itemsInError: max('itemsInError'),
		http429: max('http429'),
		all: list,
	};
}

function table(results) {
	const time = (r) =>
		r.runs > 1
			? `${r.executionSeconds.toFixed(1)} (${r.executionRange.map((x) => x.toFixed(1)).join('–')})`
			: r.executionSeconds.toFixed(1);
	const rows = results.map(
		(r) =>
			`| ${r.label} | ${r.items.toLocaleString('en')} | ${r.runs} | ${time(r)} | ${r.nodeSeconds === null ? '—' : r.nodeSeconds.toFixed(1)} | ${r.stored ?? '—'} | ${r.duplicates ?? '—'} | ${r.lost ?? '—'} | ${r.itemsInError} | ${r.http429} | ${r.peakRssMB} |`,
	);
	return [
		'| workflow | items | runs | execution (s), median (range) | node (s), median | events stored | duplicates | lost | items in error | 429s answered | n8n peak RSS (MB), median |',
		'|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
		...rows,
	].join('\n');
}

/** Brevo's floor for N events in batches: ⌈N / 200⌉ requests at 10 per second. */
const floorSeconds = (n) => Math.ceil(n / 200) / 10;

/** The targets of the issues, each evaluated when the scenarios it needs were run. */
function targets(byKey) {
	const lines = [];
	const line = (ok, text) => lines.push(`- ${ok ? 'MET' : 'NOT MET'}: ${text}`);
	const has = (...keys) => keys.every((key) => byKey[key]);
	const s = (x) => `${x.toFixed(1)} s`;
	const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
	const http = byKey.httpBatching1k;
	const httpRate = http ? http.items / http.executionSeconds : undefined;
	const httpNote = (n, seconds) =>
		httpRate
			? ` HTTP Request with Batching (lossless) at its measured ${httpRate.toFixed(1)} events/s: ≈ ${s(n / httpRate)} for ${n.toLocaleString('en')} events (extrapolated from its ${http.items.toLocaleString('en')}-event run), ${(n / httpRate / seconds).toFixed(0)}× longer.`
			: '';

	// Issue "Bulk at Brevo's speed": the input-field modes.
	if (has('brevoBatch10kFields', 'noOpBaseline10k')) {
		const r = byKey.brevoBatch10kFields;
		const noOp = byKey.noOpBaseline10k;
		const floor = floorSeconds(r.items);
		const limit = 1.2 * Math.max(floor, noOp.executionSeconds);
		line(
			r.lost === 0 && r.itemsInError === 0 && r.executionSeconds <= limit,
			`batch mode from input fields, ${r.items.toLocaleString('en')} events: ${r.lost} lost, ${r.itemsInError} in error, ${s(r.executionSeconds)} ≤ 1.2 × max(Brevo's floor ${s(floor)}, No Operation ${s(noOp.executionSeconds)}) = ${s(limit)} (node alone ${s(r.nodeSeconds)}).${httpNote(r.items, r.executionSeconds)}`,
		);
		line(
			r.peakRssMB <= 1.25 * noOp.peakRssMB,
			`its peak RSS ${r.peakRssMB} MB = ${ratio(r.peakRssMB, noOp.peakRssMB)} the No Operation workflow's ${noOp.peakRssMB} MB (target ≤ 1.25×)`,
		);
	}
	for (const key of ['brevoBatch100kFields', 'brevoBatch100kOutcome']) {
		if (!has(key, 'noOpBaseline100k')) continue;
		const r = byKey[key];
		const noOp = byKey.noOpBaseline100k;
		const floor = floorSeconds(r.items);
		line(
			r.lost === 0 && r.itemsInError === 0 && r.executionSeconds <= 1.2 * floor,
			`${r.label}, ${r.items.toLocaleString('en')} events in one execution: ${r.lost} lost, ${r.itemsInError} in error, ${s(r.executionSeconds)} = ${ratio(r.executionSeconds, floor)} Brevo's floor of ${s(floor)} (target ≤ 1.2×; node alone ${s(r.nodeSeconds)} = ${ratio(r.nodeSeconds, floor)}; the same workflow with No Operation takes ${s(noOp.executionSeconds)}).${httpNote(r.items, r.executionSeconds)}`,
		);
		line(
			r.peakRssMB <= 1.25 * noOp.peakRssMB,
			`its peak RSS ${r.peakRssMB} MB = ${ratio(r.peakRssMB, noOp.peakRssMB)} the No Operation workflow's ${noOp.peakRssMB} MB (target ≤ 1.25×)`,
		);
	}
	// The expression path keeps the bar of issue "Throughput and delivery guarantees".
	if (has('brevoBatch10k', 'setBaseline10k')) {
		const r = byKey.brevoBatch10k;
		const own = byKey.setBaseline10k.executionSeconds;
		const limit = 1.2 * Math.max(floorSeconds(r.items), own);
		line(
			r.lost === 0 && r.executionSeconds <= limit,
			`batch mode mapped by 9 expressions, ${r.items.toLocaleString('en')} events: ${r.lost} lost, ${s(r.executionSeconds)} ≤ 1.2 × max(floor ${s(floorSeconds(r.items))}, Set node with the same expressions ${s(own)}) = ${s(limit)}.${httpNote(r.items, r.executionSeconds)}`,
		);
	}
	// Issue 20: fields mapped by drag and drop (`{{ $json.x }}`), read without n8n's expression engine.
	const dragTarget = (key, noOpKey) => {
		const r = byKey[key];
		const noOp = byKey[noOpKey];
		const floor = floorSeconds(r.items);
		const limit = 1.2 * (noOp.executionSeconds + floor);
		line(
			r.lost === 0 && r.itemsInError === 0 && r.executionSeconds <= limit,
			`${r.label}, ${r.items.toLocaleString('en')} events: ${r.lost} lost, ${r.itemsInError} in error, ${s(r.executionSeconds)} = ${ratio(r.executionSeconds, noOp.executionSeconds + floor)} (No Operation ${s(noOp.executionSeconds)} + Brevo's floor ${s(floor)}) (target ≤ 1.2× = ${s(limit)}; node alone ${s(r.nodeSeconds)})`,
		);
	};
	for (const key of ['brevoBatch10k', 'brevoBatch10kDrag3'])
		if (has(key, 'noOpBaseline10k')) dragTarget(key, 'noOpBaseline10k');
	for (const [key, fieldsKey] of [
		['brevoBatch100k', 'brevoBatch100kFields'],
		['brevoBatch100kOutcomeMapped', 'brevoBatch100kOutcome'],
	]) {
		if (!has(key, 'noOpBaseline100k')) continue;
		dragTarget(key, 'noOpBaseline100k');
		const r = byKey[key];
		const noOp = byKey.noOpBaseline100k;
		const fieldsRun = byKey[fieldsKey];
		line(
			r.peakRssMB <= 1.25 * noOp.peakRssMB,
			`its peak RSS ${r.peakRssMB} MB = ${ratio(r.peakRssMB, noOp.peakRssMB)} the No Operation workflow's ${noOp.peakRssMB} MB (target: as the input-field modes, ≤ 1.25×${fieldsRun ? `; from input fields in this run: ${fieldsRun.peakRssMB} MB = ${ratio(fieldsRun.peakRssMB, noOp.peakRssMB)}` : ''})`,
		);
	}
	if (has('brevoBatch10kUnrecognised', 'setBaseline10k')) {
		const r = byKey.brevoBatch10kUnrecognised;
		const own = byKey.setBaseline10k.executionSeconds;
		const limit = 1.2 * Math.max(floorSeconds(r.items), own);
		line(
			r.lost === 0 && r.itemsInError === 0 && r.executionSeconds <= limit,
			`${r.label}, ${r.items.toLocaleString('en')} events: ${r.lost} lost, ${r.itemsInError} in error, ${s(r.executionSeconds)} = ${ratio(r.executionSeconds, own)} the Set node with 9 expressions (${s(own)}) (target ≤ 1.2 × max(floor ${s(floorSeconds(r.items))}, Set) = ${s(limit)}; node alone ${s(r.nodeSeconds)})`,
		);
	}
	for (const key of ['brevoSingle1k', 'brevoSingle1kFields']) {
		if (!has(key)) continue;
		const r = byKey[key];
		const limit = (1.2 * r.items) / 10;
		line(
			r.lost === 0 && r.itemsInError === 0 && r.executionSeconds <= limit,
			`${r.label}, ${r.items.toLocaleString('en')} events: ${s(r.executionSeconds)} ≤ 1.2 × N/10 s = ${s(limit)}, ${r.lost} lost, ${r.itemsInError} items in error (${r.http429} 429s absorbed by retries).${httpNote(r.items, r.executionSeconds)}`,
		);
	}
	// Issue "a failed run never sends an event twice": what reading every item first costs in stop mode.
	for (const [stop, go] of [
		['brevoBatch10kStop', 'brevoBatch10k'],
		['brevoBatch10kFieldsStop', 'brevoBatch10kFields'],
	]) {
		if (!has(stop, go)) continue;
		const a = byKey[stop];
		const b = byKey[go];
		lines.push(
			`- (stop mode, read first) ${a.label}: ${s(a.executionSeconds)} = ${ratio(a.executionSeconds, b.executionSeconds)} the same with Continue (${s(b.executionSeconds)}); node ${s(a.nodeSeconds)} vs ${s(b.nodeSeconds)}; peak RSS ${a.peakRssMB} MB vs ${b.peakRssMB} MB; ${a.lost} lost`,
		);
	}
	if (has('brevoBatch10k', 'noOpBaseline10k')) {
		const r = byKey.brevoBatch10k;
		const noOp = byKey.noOpBaseline10k;
		lines.push(
			`- (expression path, for comparison) peak RSS ${r.peakRssMB} MB = ${ratio(r.peakRssMB, noOp.peakRssMB)} No Operation; the Set node with the same expressions: ${byKey.setBaseline10k ? ratio(byKey.setBaseline10k.peakRssMB, noOp.peakRssMB) : '—'}`,
		);
	}
	return lines.length > 0 ? lines.join('\n') : '(no target has all its scenarios in this run)';
}

const loadAtStart = require('node:os')
	.loadavg()
	.map((x) => x.toFixed(1))
	.join(', ');

async function main() {
	const sandbox = await new BrevoSandbox({
		apiKey: API_KEY,
		latencyMs: 30,
		rateLimits: { 'POST /events': LIMITS, 'POST /events/batch': LIMITS, 'GET /events': LIMITS },
	}).start();
	const baseUrl = `${sandbox.url}/v3`;
	// Info level: n8n logs the run's result at info, which is where it is read from.
	const n8n = new N8nCli();
	n8n.installPackage();
	await n8n.importCredentials([
		{ ...BENCH_CREDENTIAL, type: 'brevoApi', data: { apiKey: API_KEY, baseUrl } },
		{
			id: 'benchHeader00001',
			name: 'Brevo api-key header',
			type: 'httpHeaderAuth',
			data: { name: 'api-key', value: API_KEY },
		},
	]);
	const list = scenarios(baseUrl).filter(
		(s) => !process.argv[2] || process.argv[2].split(',').includes(s.key),
	);
	await n8n.importWorkflows(list.map((s) => s.workflow));

	// The 10,000-item runs (whose ratios are the targets) run REPEATS times, interleaved, and are
	// summarised by their median: back-to-back runs of the same workflow vary by ~15 % on 2 cores.
	const runs = new Map(list.map((s) => [s.key, []]));
	for (let round = 0; round < REPEATS; round++) {
		for (const scenario of list) {
			if (round > 0 && !scenario.repeated) continue;
			process.stdout.write(`${scenario.key} #${round + 1}… `);
			const result = await runScenario(n8n, sandbox, scenario);
			console.log(JSON.stringify(result));
			runs.get(scenario.key).push(result);
		}
	}
	const results = list.map((s) => summarise(runs.get(s.key)));
	await sandbox.stop();
	n8n.cleanup();

	const byKey = Object.fromEntries(results.map((r) => [r.key, r]));
	const when = new Date().toISOString();
	const machine = `${require('node:os').cpus().length} cores, ${Math.round(require('node:os').totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
	const summary = targets(byKey);
	const load = require('node:os')
		.loadavg()
		.map((x) => x.toFixed(1))
		.join(', ');
	const partial =
		list.length === scenarios(baseUrl).length ? '' : ' Partial run: only the scenarios listed.';
	const scale = SCALE === 1 ? '' : ` Item counts scaled by ${SCALE}.`;
	fs.mkdirSync(OUTPUT, { recursive: true });
	fs.writeFileSync(
		path.join(OUTPUT, 'results.json'),
		JSON.stringify(
			{
				when,
				machine,
				loadAverageAtEnd: load,
				loadAverageAtStart: loadAtStart,
				scale: SCALE,
				repeats: REPEATS,
				sandbox: '10 requests/s per endpoint, 30 ms latency',
				results,
			},
			null,
			2,
		) + '\n',
	);
	fs.writeFileSync(
		path.join(OUTPUT, 'RESULTS.md'),
		`# Benchmark results\n\nRun ${when} on ${machine}; load average (1, 5, 15 min) ${loadAtStart} at the start, ${load} at the end; n8n 2.41.1; sandbox at 10 requests/s per endpoint, 30 ms latency. ` +
			`The workflows of 10,000 items or more ran ${REPEATS} times each, interleaved; times and memory are medians, delivery counts the worst run.${scale}${partial} ` +
			`Rerun: \`npm run benchmark\` (\`BENCHMARK_REPEATS\` changes the repeats).\n\n${table(results)}\n\n## Targets\n\n${summary}\n`,
	);
	console.log(`\n${table(results)}\n\n${summary}`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
