import fc from 'fast-check';
import type { ICredentialDataDecryptedObject, INodeExecutionData } from 'n8n-workflow';

import { runBrevoEventNode, type EngineRun } from '../helpers/n8n-engine';
import { PARTIALS, RESETS, type Answer, type Exchange, type HostileBrevo } from './hostile-brevo';

/**
 * One round of the fuzz test: many executions of the Brevo Event node at once in n8n-core's real
 * engine, all on one credential, against the hostile server; then one more execution on the same
 * credential against a healed server. `invariants` says what a round must never show.
 */

/** Short node settings so that every run is short: Timeout 1 s, Max Rate-Limit Wait 2 s. */
export const TIMEOUT_S = 1;
export const MAX_RATE_LIMIT_WAIT_S = 2;
/** What a shared, loaded 2-core machine adds to a run's duration, at most. */
const LOAD_SLACK_S = 4;
/** A healthy answer after a bad round: the next execution must get it within this. */
const NEXT_EXECUTION_BOUND_MS = 5_000;

export interface ExecutionPlan {
	mode: 'single' | 'batch';
	items: number;
	/** n8n's Retry On Fail (null: off). */
	retryOnFail: { maxTries: number; waitBetweenTries: number } | null;
	/** n8n's On Error setting ('stopWorkflow' is n8n's default). */
	onError: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	retryServerErrors: boolean;
	/** Event Date `{{ $now }}`: a value evaluated anew on each try of the node. */
	perTryDate: boolean;
	requestsPerSecond: number;
	/** The answers this execution's requests draw from (see `chooser`). */
	answers: Answer[];
	/** The node's Timeout, when not TIMEOUT_S (regressions only). */
	timeoutS?: number;
}

export interface RoundPlan {
	executions: ExecutionPlan[];
}

const reset = fc.constantFrom(...RESETS);
const common: Array<fc.WeightedArbitrary<Answer>> = [
	{ weight: 14, arbitrary: fc.constant({ kind: 'ok' as const }) },
	{ weight: 2, arbitrary: reset.map((r) => ({ kind: 'okLastSlot' as const, reset: r })) },
	{
		weight: 2,
		arbitrary: fc.constantFrom(400, 401, 403).map((status) => ({
			kind: 'error' as const,
			status: status as 400 | 401 | 403,
		})),
	},
	{
		weight: 2,
		arbitrary: fc
			.record({
				reset: fc.option(reset, { nil: undefined }),
				retryAfter: fc.option(fc.constant(1), { nil: undefined }),
			})
			.map(({ reset, retryAfter }) => ({
				kind: 'tooMany' as const,
				...(reset === undefined ? {} : { reset }),
				...(retryAfter === undefined ? {} : { retryAfter }),
			})),
	},
	{
		weight: 1,
		arbitrary: fc
			.record({ status: fc.constantFrom(500, 502, 503), stored: fc.boolean() })
			.map(({ status, stored }) => ({
				kind: 'serverError' as const,
				status: status as 500 | 502 | 503,
				stored,
			})),
	},
	{ weight: 1, arbitrary: fc.constant({ kind: 'html' as const }) },
	{
		weight: 1,
		arbitrary: fc
			.constantFrom(301, 302, 307)
			.map((status) => ({ kind: 'redirect' as const, status: status as 301 | 302 | 307 })),
	},
	{
		weight: 1,
		arbitrary: fc.constantFrom(150, 2_500).map((ms) => ({ kind: 'delay' as const, ms })),
	},
	{ weight: 1, arbitrary: fc.constant({ kind: 'trickle' as const, everyMs: 100 }) },
	{
		weight: 1,
		arbitrary: fc
			.constantFrom('before', 'after')
			.map((when) => ({ kind: 'drop' as const, when: when as 'before' | 'after' })),
	},
];
const batchOnly: Array<fc.WeightedArbitrary<Answer>> = [
	{
		weight: 2,
		arbitrary: fc
			.constantFrom('missing', 'short', 'over')
			.map((count) => ({ kind: 'count' as const, count: count as 'missing' | 'short' | 'over' })),
	},
	{
		weight: 4,
		arbitrary: fc
			.record({ variant: fc.constantFrom(...PARTIALS), mask: fc.integer({ min: 1, max: 255 }) })
			.map(({ variant, mask }) => ({ kind: 'partial' as const, variant, mask })),
	},
	{
		weight: 1,
		arbitrary: fc
			.constantFrom('all', 'first')
			.map((names) => ({ kind: 'batch400' as const, names: names as 'all' | 'first' })),
	},
];

const executionPlan: fc.Arbitrary<ExecutionPlan> = fc
	.constantFrom<ExecutionPlan['mode']>('single', 'batch')
	.chain((mode) =>
		fc.record({
			mode: fc.constant(mode),
			items: fc.integer({ min: 1, max: 8 }),
			retryOnFail: fc.option(
				fc.record({
					maxTries: fc.integer({ min: 2, max: 3 }),
					waitBetweenTries: fc.constantFrom(100, 300),
				}),
				{ nil: null, freq: 3 },
			),
			onError: fc.constantFrom<ExecutionPlan['onError']>(
				'stopWorkflow',
				'continueRegularOutput',
				'continueErrorOutput',
			),
			retryServerErrors: fc.boolean(),
			perTryDate: fc.boolean(),
			// 3/s: requests still queued when an early answer stops the run.
			requestsPerSecond: fc.constantFrom(3, 20, 100),
			answers: fc.array(fc.oneof(...common, ...(mode === 'batch' ? batchOnly : [])), {
				minLength: 1,
				maxLength: 12,
			}),
		}),
	);

/** 5 to 30 executions at once. */
export const roundPlan: fc.Arbitrary<RoundPlan> = fc
	.integer({ min: 5, max: 30 })
	.chain((n) => fc.array(executionPlan, { minLength: n, maxLength: n }))
	.map((executions) => ({ executions }));

/** The unique id of an item's event, sent as its ext_id. */
const eventId = (round: number, execution: number, item: number) =>
	`r${round}e${execution}i${item}`;

/**
 * The answer to a request: picked from the execution's answers by the item of its first event
 * and by how often that event was sent before, so that a retry meets another answer. From the 4th
 * send on, a healthy answer, so that the node's own retries always can end well.
 */
function chooser(plan: RoundPlan) {
	return (ids: string[], attempt: number): Answer => {
		const match = /^r\d+e(\d+)i(\d+)$/.exec(ids[0] ?? '');
		const execution = match && plan.executions[Number(match[1])];
		if (!execution || attempt >= 3) return { kind: 'ok' };
		const { answers } = execution;
		// Item i meets answers 3i, 3i+1, 3i+2 (modulo their number) on its 1st, 2nd and 3rd send.
		return answers[(Number(match[2]) * 3 + attempt) % answers.length];
	};
}

export interface ExecutionReport {
	plan: ExecutionPlan;
	run: EngineRun;
	ms: number;
}

export interface RoundReport {
	round: number;
	plan: RoundPlan;
	apiKey: string;
	executions: ExecutionReport[];
	next: ExecutionReport;
	exchanges: Exchange[];
	trapped: number;
	/** What n8n's logger received during the round. */
	logs: string[];
}

function parameters(
	plan: Pick<
		ExecutionPlan,
		'mode' | 'perTryDate' | 'retryServerErrors' | 'requestsPerSecond' | 'timeoutS'
	>,
) {
	return {
		resource: 'event',
		operation: 'create',
		eventName: 'fuzz_event',
		identifiers: { extId: '={{ $json.fuzz_id }}' },
		additionalFields: plan.perTryDate ? { eventDate: '={{ $now.toISO() }}' } : {},
		options: {
			sendMode: plan.mode,
			timeout: plan.timeoutS ?? TIMEOUT_S,
			maxRateLimitWait: MAX_RATE_LIMIT_WAIT_S,
			requestsPerSecond: plan.requestsPerSecond,
			retryServerErrors: plan.retryServerErrors,
		},
	};
}

async function execute(
	plan: ExecutionPlan,
	items: INodeExecutionData[],
	credentials: ICredentialDataDecryptedObject,
): Promise<ExecutionReport> {
	const started = Date.now();
	const run = await runBrevoEventNode({
		parameters: parameters(plan),
		items,
		credentials,
		onError: plan.onError === 'stopWorkflow' ? undefined : plan.onError,
		...(plan.retryOnFail ? { retryOnFail: plan.retryOnFail } : {}),
	});
	return { plan, run, ms: Date.now() - started };
}

/** Plays one round: every execution at once, then one on the same credential, healed. */
export async function playRound(
	server: HostileBrevo,
	round: number,
	plan: RoundPlan,
	logs: string[] = [],
): Promise<RoundReport> {
	const logsBefore = logs.length;
	const prefix = `/r${round}`;
	const apiKey = `xkeysib-fuzz-secret-${round}-5b1d9e`;
	// Its own Base URL: a new account for the node's process-wide rate-limit state.
	const credentials = { apiKey, baseUrl: `${server.url}${prefix}/v3` };
	server.serve(prefix, apiKey, chooser(plan));
	const trappedBefore = server.trapped.length;
	const executions = await Promise.all(
		plan.executions.map((execution, e) =>
			execute(
				execution,
				Array.from({ length: execution.items }, (_, i) => ({
					json: { fuzz_id: eventId(round, e, i) },
				})),
				credentials,
			),
		),
	);
	server.heal(prefix);
	const next = await execute(
		{
			mode: 'single',
			items: 1,
			retryOnFail: null,
			onError: 'continueRegularOutput',
			retryServerErrors: false,
			perTryDate: false,
			requestsPerSecond: 10,
			answers: [],
		},
		[{ json: { fuzz_id: `r${round}next` } }],
		credentials,
	);
	return {
		round,
		plan,
		apiKey,
		executions,
		next,
		exchanges: server.of(prefix),
		trapped: server.trapped.length - trappedBefore,
		logs: logs.slice(logsBefore),
	};
}

export interface Violation {
	invariant: Invariant;
	round: number;
	execution?: number;
	/** The settings of that execution. */
	settings?: string;
	what: string;
	/** The answers involved, for the report. */
	answers?: Answer[];
}

export const INVARIANTS = [
	'one output item per input item',
	'nothing stored twice',
	'nothing reported taken that the server did not take',
	'no API key in any output, error or log',
	'nothing reaches another server',
	'no request leaves after a stop',
	'a stopped run names the items Brevo took',
	'the next execution is unaffected',
	'Retry-After is honoured',
	'every run ends within its bound',
] as const;
export type Invariant = (typeof INVARIANTS)[number];

/**
 * What every execution of a round waits for together on the shared account: the round's requests,
 * one after the other, at the slowest pace the node's pacer keeps without counting it against Max
 * Rate-Limit Wait — half its aim, the round's highest Requests per Second within the window's limit
 * (10 once a 429 has said "x-sib-ratelimit-limit: 10", else 1,000). Any pause or slowdown beyond
 * that pace (429s, Retry-After, windows answered full) counts against each waiting item's Max
 * Rate-Limit Wait, which `boundMs` already allows.
 */
export function sharedPacingS(plan: RoundPlan, exchanges: Exchange[]): number {
	const highest = Math.max(...plan.executions.map((e) => e.requestsPerSecond));
	const limited = exchanges.some((x) => x.answer.kind === 'tooMany' && x.answer.reset);
	const aim = Math.min(highest, limited ? 10 : 1000);
	return exchanges.length / (0.5 * aim);
}

/** Requests of one execution on their way at once (the node's default). */
const MAX_IN_FLIGHT = 10;

/**
 * The most a run of this plan may take: every try, every wait its settings allow — each request's
 * Max Rate-Limit Wait, sends and backoffs, for MAX_IN_FLIGHT requests at once — the round's
 * requests at the shared pace (`sharedPacingS`), plus load.
 */
export function boundMs(plan: ExecutionPlan, sharedS: number): number {
	const tries = plan.retryOnFail?.maxTries ?? 1;
	const sends = plan.retryServerErrors ? 4 : 1;
	const backoffs = plan.retryServerErrors ? 1 + 2 + 4 : 0;
	const requests = plan.mode === 'single' ? plan.items : Math.ceil(plan.items / 200);
	const perRequest = MAX_RATE_LIMIT_WAIT_S + sends * (TIMEOUT_S + 0.5) + backoffs;
	const perTry =
		Math.ceil(requests / MAX_IN_FLIGHT) * perRequest + plan.items / plan.requestsPerSecond;
	const betweenTries = (tries - 1) * ((plan.retryOnFail?.waitBetweenTries ?? 0) / 1000);
	return Math.round((tries * perTry + betweenTries + sharedS + LOAD_SLACK_S) * 1000);
}

function safeJson(value: unknown): string {
	const seen = new WeakSet();
	return JSON.stringify(value, (_key, v: unknown) => {
		if (typeof v === 'object' && v !== null) {
			if (seen.has(v)) return '[circular]';
			seen.add(v);
			if (v instanceof Error) {
				const own: Record<string, unknown> = { message: v.message, stack: v.stack };
				for (const key of Object.getOwnPropertyNames(v)) own[key] = (v as never)[key];
				return own;
			}
		}
		return v;
	});
}

/** How late a request may arrive after the answer that stopped its run: it may have left before. */
const STOP_MARGIN_MS = 500;

/**
 * Under Stop Workflow without Retry On Fail: the requests of execution `e` that reached the server
 * more than STOP_MARGIN_MS after the run stopped on an item (its last answer, or when its rate-limit
 * wait ran out), other than that item's own retries.
 */
function requestsAfterStop(report: RoundReport, e: number): Array<Exchange & { late: number }> {
	const { plan, run } = report.executions[e];
	const stoppedOn = run.error?.context?.itemIndex;
	if (plan.onError !== 'stopWorkflow' || plan.retryOnFail || typeof stoppedOn !== 'number')
		return [];
	const failedId = eventId(report.round, e, stoppedOn);
	const mine = report.exchanges.filter((x) => x.ids[0]?.startsWith(`r${report.round}e${e}i`));
	const answered = mine
		.filter((x) => x.ids.includes(failedId))
		.map((x) => x.finishedAt ?? x.arrivedAt);
	if (answered.length === 0) return [];
	// An item the pacer held back past Max Rate-Limit Wait stops the run when its wait runs out,
	// after its last answer by the wait its error states (requests ahead of it may leave meanwhile).
	const held = /kept this item waiting (\d+(?:\.\d+)?) s/.exec(run.error?.message ?? '');
	const stop = Math.max(...answered) + (held ? Number(held[1]) * 1000 : 0);
	return mine
		.filter((x) => !x.ids.includes(failedId) && x.arrivedAt - stop > STOP_MARGIN_MS)
		.map((x) => ({ ...x, late: x.arrivedAt - stop }));
}

/** The item numbers a text names: "item 3", "items 1, 2 and 5", "items 0–4". */
export function namedItems(text: string): Set<number> {
	const named = new Set<number>();
	for (const [, list] of text.matchAll(
		/\bitems?\s+((?:\d+(?:\s*[–-]\s*\d+)?(?:\s*(?:,|and)\s*)?)+)/g,
	)) {
		for (const [, from, to] of list.matchAll(/(\d+)(?:\s*[–-]\s*(\d+))?/g)) {
			for (let k = Number(from); k <= Number(to ?? from); k++) named.add(k);
		}
	}
	return named;
}

/**
 * Under Stop Workflow, the items of execution `e` whose events Brevo confirmed but which the
 * run's error does not name: a user who fixes the failing item and runs again would send them
 * a second time.
 */
function takenButUnnamed(
	report: RoundReport,
	e: number,
	stores: Map<string, Exchange[]>,
): number[] {
	const { plan, run } = report.executions[e];
	if (plan.onError !== 'stopWorkflow' || !run.error) return [];
	const named = namedItems(`${run.error.message}\n${run.error.description ?? ''}`);
	return [...Array(plan.items).keys()].filter((k) => {
		const confirmed = (stores.get(eventId(report.round, e, k)) ?? []).some(
			(x) => x.consistent && x.finishedAt !== undefined,
		);
		return confirmed && !named.has(k);
	});
}

/** An execution's settings in a few words, for a failure message. */
export function settingsOf(plan: ExecutionPlan): string {
	const retry = plan.retryOnFail
		? `Retry On Fail ${plan.retryOnFail.maxTries}× ${plan.retryOnFail.waitBetweenTries} ms`
		: 'no Retry On Fail';
	return `${plan.mode}, ${plan.items} items, ${retry}, On Error ${plan.onError}, Retry on Server Errors ${plan.retryServerErrors ? 'on' : 'off'}, ${plan.perTryDate ? 'Event Date {{ $now }}, ' : ''}${plan.requestsPerSecond}/s`;
}

const itemOf = (item: INodeExecutionData) =>
	(item.pairedItem as { item?: number } | undefined)?.item;

/** Everything a round shows that it must not. */
export function violations(report: RoundReport): Violation[] {
	const found: Violation[] = [];
	const { round, exchanges } = report;
	const answersFor = (ids: string[]) =>
		exchanges.filter((x) => x.ids.some((id) => ids.includes(id))).map((x) => x.answer);
	const sharedS = sharedPacingS(report.plan, exchanges);

	// Per event: the exchanges that stored it, in order of arrival.
	const stores = new Map<string, Exchange[]>();
	for (const x of exchanges)
		for (const id of x.stored) stores.set(id, [...(stores.get(id) ?? []), x]);

	for (const [id, list] of stores) {
		const e = Number(/e(\d+)i/.exec(id)?.[1]);
		const plan = report.plan.executions[e];
		const confirmed = list.find((x) => x.consistent && x.finishedAt !== undefined);
		const after =
			confirmed && list.find((x) => x !== confirmed && x.arrivedAt >= confirmed.finishedAt!);
		if (confirmed && after) {
			found.push({
				invariant: 'nothing stored twice',
				round,
				execution: e,
				settings: plan && settingsOf(plan),
				what: `${id} stored ${list.length}×: confirmed by request #${confirmed.no} (${confirmed.answer.kind}), then sent again and stored by #${after.no}`,
				answers: answersFor([id]),
			});
		}
	}

	report.executions.forEach(({ plan, run, ms }, e) => {
		const ids = Array.from({ length: plan.items }, (_, i) => eventId(round, e, i));
		const all = [...(run.output ?? []), ...(run.errorOutput ?? [])];
		const where = { round, execution: e, settings: settingsOf(plan) };
		if (run.error) {
			const namesItem =
				/\bitems? \d+|\[item \d+\]/.test(run.error.message) ||
				typeof run.error.context?.itemIndex === 'number';
			if (plan.onError !== 'stopWorkflow' || !namesItem) {
				found.push({
					...where,
					invariant: 'one output item per input item',
					what: `the run failed (${plan.onError}): ${run.error.message}`,
					answers: answersFor(ids),
				});
			}
		} else {
			const paired = all.map(itemOf).sort((a, b) => (a ?? -1) - (b ?? -1));
			if (paired.join() !== [...Array(plan.items).keys()].join()) {
				found.push({
					...where,
					invariant: 'one output item per input item',
					what: `${plan.items} items in, out paired with [${paired.join(', ')}]`,
					answers: answersFor(ids),
				});
			}
		}
		for (const item of all) {
			const i = itemOf(item);
			if (i === undefined || item.json.success !== true) continue;
			const id = eventId(round, e, i);
			if (!stores.has(id)) {
				found.push({
					...where,
					invariant: 'nothing reported taken that the server did not take',
					what: `item ${i} reported ${String(item.json.status)}, the server did not take ${id}`,
					answers: answersFor([id]),
				});
			}
		}
		const text = safeJson({ output: all, error: run.error, resultData: run.run.data.resultData });
		if (text.includes(report.apiKey)) {
			found.push({
				...where,
				invariant: 'no API key in any output, error or log',
				what: `the API key is in the run's data: …${text.slice(Math.max(0, text.indexOf(report.apiKey) - 120), text.indexOf(report.apiKey) + 40)}…`,
				answers: answersFor(ids),
			});
		}
		const late = requestsAfterStop(report, e);
		if (late.length > 0) {
			found.push({
				...where,
				invariant: 'no request leaves after a stop',
				what: `Stop Workflow on item ${String(run.error?.context?.itemIndex)} (${run.error?.message}), yet ${late.length} request(s) arrived later: ${late.map((x) => `#${x.no} ${x.ids.join(',')} +${x.late} ms`).join('; ')}`,
				answers: answersFor(ids),
			});
		}
		const unnamed = takenButUnnamed(report, e, stores);
		if (unnamed.length > 0) {
			found.push({
				...where,
				invariant: 'a stopped run names the items Brevo took',
				what: `stopped (${run.error?.message}); Brevo confirmed item(s) ${unnamed.join(', ')}, which the error does not name: ${JSON.stringify(run.error?.description ?? '')}`,
				answers: answersFor(ids),
			});
		}
		const bound = boundMs(plan, sharedS);
		if (ms > bound) {
			found.push({
				...where,
				invariant: 'every run ends within its bound',
				what: `took ${ms} ms, bound ${bound} ms`,
				answers: answersFor(ids),
			});
		}
	});

	// A 429's Retry-After: the same request is not sent again sooner (100 ms for timer slack).
	for (const x of exchanges) {
		if (x.answer.kind !== 'tooMany' || x.answer.retryAfter === undefined) continue;
		const answeredAt = x.finishedAt ?? x.arrivedAt;
		const again = exchanges.find((y) => y.arrivedAt > x.arrivedAt && y.ids[0] === x.ids[0]);
		if (again && again.arrivedAt - answeredAt < x.answer.retryAfter * 1000 - 100) {
			found.push({
				invariant: 'Retry-After is honoured',
				round,
				what: `request #${x.no} (${x.ids.join(',')}) answered 429 with Retry-After: ${x.answer.retryAfter}, sent again ${again.arrivedAt - answeredAt} ms later`,
				answers: [x.answer],
			});
		}
	}

	// Timeout is a deadline: no answer may still be read in full long after the request arrived.
	for (const x of exchanges) {
		if (x.finishedAt !== undefined && x.finishedAt - x.arrivedAt > (TIMEOUT_S + 0.75) * 1000) {
			found.push({
				invariant: 'every run ends within its bound',
				round,
				what: `request #${x.no} (${x.ids.join(',')}) was still read ${x.finishedAt - x.arrivedAt} ms after it arrived; Timeout ${TIMEOUT_S} s`,
				answers: [x.answer],
			});
		}
	}

	const keyIn = report.logs.find((line) => line.includes(report.apiKey));
	if (keyIn) {
		found.push({
			invariant: 'no API key in any output, error or log',
			round,
			what: `the API key is in n8n's log: ${keyIn.slice(0, 300)}`,
		});
	}

	if (report.trapped > 0) {
		found.push({
			invariant: 'nothing reaches another server',
			round,
			what: `${report.trapped} request(s) followed a redirect to another server`,
		});
	}

	const { run, ms } = report.next;
	const ok = !run.error && run.output?.[0]?.json.success === true;
	if (!ok || ms > NEXT_EXECUTION_BOUND_MS) {
		found.push({
			invariant: 'the next execution is unaffected',
			round,
			what: `after the round, a healthy Brevo: ${ok ? `took ${ms} ms` : `failed: ${String(run.output?.[0]?.json.error ?? run.error?.message)}`}`,
			answers: exchanges.map((x) => x.answer).filter((a) => a.kind !== 'ok'),
		});
	}
	return found;
}
