import { Spacing, type Clock } from '../../../../nodes/BrevoEvent/transport/pacer';
import { RateLimits, type BucketLimits } from '../../../../nodes/BrevoEvent/transport/rateLimits';
import { FakeClock, seededRandom } from '../../../helpers/fake-clock';

/**
 * Many n8n processes sharing one Brevo account, simulated on a virtual clock with the node's real
 * pacing code (RateLimits → BucketLimits → AdaptivePacer). The server is the sandbox's model of
 * Brevo's per-second window: fixed 1 s windows of `limit` requests, shared by all, answering
 * x-sib-ratelimit-limit / -remaining / -reset (whole seconds, at least 1) and 429 when full.
 * Executions are spread over processes; executions in one process share its pacer (as in n8n,
 * where the node's module is loaded once per process), processes only see Brevo's answers.
 */

interface Answer {
	statusCode: number;
	headers: Record<string, string>;
}

class FixedWindowServer {
	requests = 0;

	limited = 0;

	stored = 0;

	lastStoredAt = 0;

	private window: { start: number; used: number } | undefined;

	constructor(
		private readonly clock: FakeClock,
		private readonly limit: number,
		private readonly windowMs = 1000,
	) {}

	hit(): Answer {
		const now = this.clock.now();
		if (!this.window || now >= this.window.start + this.windowMs) {
			const start = this.window ? now - ((now - this.window.start) % this.windowMs) : now;
			this.window = { start, used: 0 };
		}
		this.window.used++;
		this.requests++;
		const headers = {
			'x-sib-ratelimit-limit': String(this.limit),
			'x-sib-ratelimit-remaining': String(Math.max(this.limit - this.window.used, 0)),
			'x-sib-ratelimit-reset': String(
				Math.max(Math.ceil((this.window.start + this.windowMs - now) / 1000), 1),
			),
		};
		if (this.window.used > this.limit) {
			this.limited++;
			return { statusCode: 429, headers };
		}
		this.stored++;
		this.lastStoredAt = now;
		return { statusCode: 204, headers };
	}
}

interface Scenario {
	processes: number;
	executions: number;
	events: number;
	requestsPerSecond?: number;
	limit?: number;
	seed?: number;
	/** Timers fire up to this late, at random (a busy machine: other processes hold the CPU). */
	lateMs?: number;
	/** …and at least this late (Node's timers never fire early; a loaded machine adds a few ms). */
	minLateMs?: number;
	/**
	 * Stalls of a process's request pipeline (n8n's helper reads the credential from the database
	 * for each request; a busy worker or database holds requests back, then lets them go together):
	 * on average one every `stallEveryMs`, 50–400 ms long.
	 */
	stallEveryMs?: number;
}

/** When a request started at `t` actually leaves, given the stalls of its process. */
function stalls(random: () => number, everyMs: number, horizonMs = 3_600_000) {
	const periods: Array<[number, number]> = [];
	for (let t = 0; everyMs > 0 && t < horizonMs; ) {
		t += -Math.log(1 - random()) * everyMs;
		periods.push([t, t + 50 + random() * 350]);
	}
	return (t: number) => {
		for (const [from, to] of periods) if (from <= t && t < to) return to;
		return t;
	};
}

/** One execution: up to 10 requests in flight, each paced, sent, and retried after a 429. */
async function execution(
	clock: Clock,
	server: FixedWindowServer,
	bucket: BucketLimits,
	events: number,
	rate: number,
	random: () => number,
	leaves: (t: number) => number,
) {
	const spacing = new Spacing(rate, clock);
	const send = async () => {
		for (;;) {
			if (rate < bucket.ceiling) await spacing.next();
			const ticket = await bucket.start({ ceiling: rate, maxWaitMs: 120_000 });
			await clock.sleep(leaves(clock.now()) - clock.now());
			await clock.sleep(30 + random() * 3); // latency to Brevo, where the request is counted
			const answer = server.hit();
			await clock.sleep(1 + random() * 3);
			bucket.finish(ticket, answer);
			if (answer.statusCode !== 429) return;
		}
	};
	const pending = new Set<Promise<void>>();
	for (let i = 0; i < events; i++) {
		const request: Promise<void> = send().finally(() => pending.delete(request));
		pending.add(request);
		if (pending.size >= 10) await Promise.race(pending);
	}
	await Promise.all(pending);
}

async function simulate({
	processes,
	executions,
	events,
	requestsPerSecond = 10,
	limit = 10,
	seed = 1,
	lateMs = 0,
	minLateMs = 0,
	stallEveryMs = 0,
}: Scenario) {
	const clock = new FakeClock();
	const random = seededRandom(seed);
	const server = new FixedWindowServer(clock, limit);
	// Each process sees the shared time, but its timers may fire late.
	const processClock: Clock = {
		now: () => clock.now(),
		sleep: async (ms) => await clock.sleep(ms + minLateMs + random() * (lateMs - minLateMs)),
	};
	const buckets = Array.from({ length: processes }, () =>
		new RateLimits(processClock).account('brevo').bucket('POST /events', requestsPerSecond),
	);
	const pipelines = Array.from({ length: processes }, () => stalls(random, stallEveryMs));
	const runs: Array<Promise<void>> = [];
	for (let i = 0; i < executions; i++) {
		const bucket = buckets[i % processes];
		const leaves = pipelines[i % processes];
		// Executions started "at once" reach the node within 1.5 s of each other.
		runs.push(
			clock
				.sleep(random() * 1500)
				.then(
					async () =>
						await execution(
							processClock,
							server,
							bucket,
							events,
							requestsPerSecond,
							random,
							leaves,
						),
				),
		);
	}
	const done = Promise.all(runs);
	await clock.run();
	await done;
	const floorMs = ((executions * events) / limit) * 1000;
	return {
		stored: server.stored,
		requests: server.requests,
		share429: server.limited / server.requests,
		timeVsFloor: server.lastStoredAt / floorMs,
	};
}

// Each scenario replays a few minutes of traffic; on a loaded 2-core machine that takes seconds.
jest.setTimeout(60_000);

describe('adaptive pacing, simulated: processes sharing one account converge on its limit', () => {
	const report: string[] = [];
	afterAll(() => {
		if (process.env.PACER_REPORT) console.log(report.join('\n'));
	});

	async function check(scenario: Scenario) {
		const result = await simulate(scenario);
		report.push(
			`${scenario.processes} processes × ${scenario.executions} executions × ${scenario.events}` +
				`${scenario.lateMs ? ` (timers ${scenario.minLateMs ?? 0}–${scenario.lateMs} ms late)` : ''}` +
				`${scenario.stallEveryMs ? ` (stalls every ${scenario.stallEveryMs} ms)` : ''}: ` +
				`${result.requests} requests, 429 ${(result.share429 * 100).toFixed(1)} %, ` +
				`time ${result.timeVsFloor.toFixed(3)} × floor`,
		);
		expect(result.stored).toBe(scenario.executions * scenario.events);
		return result;
	}

	test('one execution alone keeps the full rate: 1,000 events in ≤ 1.05 × N / rate, 429s ≤ 0.2 %', async () => {
		const result = await check({ processes: 1, executions: 1, events: 1000 });
		expect(result.timeVsFloor).toBeLessThanOrEqual(1.05);
		// Alone, a 429 comes only from latency jitter moving a request into the next window.
		expect(result.share429).toBeLessThanOrEqual(0.002);
	});

	// Issue 20: alone on a loaded machine every timer fires a little late; that lateness must not
	// cost a share of the account (1.014 × the floor here). Timers 40–100 ms late (beyond half an
	// interval, which is all the pacer catches up) cost 1.21 × with no 429, like the issue's 1.20 ×;
	// catching up a whole interval made that 1.08 × here, but drew 3× more 429s in the real
	// benchmark (npm run benchmark:pacing, BENCH_BUSY_MS=30), so it was not kept.
	test('alone, timers late by 1–5 ms: 500 requests at 10/s within 1.05 × the floor', async () => {
		const result = await check({
			processes: 1,
			executions: 1,
			events: 500,
			minLateMs: 1,
			lateMs: 5,
		});
		expect(result.timeVsFloor).toBeLessThanOrEqual(1.05);
		expect(result.share429).toBeLessThanOrEqual(0.002);
	});

	test('16 executions in one process share its pacer: no 429, ≤ 1.1 × the floor', async () => {
		const result = await check({ processes: 1, executions: 16, events: 125 });
		expect(result.share429).toBe(0);
		expect(result.timeVsFloor).toBeLessThanOrEqual(1.1);
	});

	test.each([
		[2, 8, 250, 1],
		[2, 8, 250, 2],
		[2, 16, 125, 1],
	])(
		'%i processes, %i executions × %i events (seed %i): 429 ≤ 5 %, all stored within 1.15 × the floor',
		async (processes, executions, events, seed) => {
			const result = await check({ processes, executions, events, seed });
			expect(result.share429).toBeLessThanOrEqual(0.05);
			expect(result.timeVsFloor).toBeLessThanOrEqual(1.15);
		},
	);

	test.each([
		[4, 16, 125],
		[8, 8, 250],
	])(
		'%i processes, %i executions × %i events: 429 ≤ 5 %, within 1.25 × the floor',
		async (processes, executions, events) => {
			const result = await check({ processes, executions, events });
			expect(result.share429).toBeLessThanOrEqual(0.05);
			expect(result.timeVsFloor).toBeLessThanOrEqual(1.25);
		},
	);

	test.each([
		[1, 1, 1000],
		[2, 8, 250],
	])(
		'on a busy machine (timers up to 40 ms late): %i processes, %i executions × %i events within 1.15 × the floor, 429 ≤ 5 %',
		async (processes, executions, events) => {
			const result = await check({ processes, executions, events, lateMs: 40 });
			expect(result.share429).toBeLessThanOrEqual(0.05);
			expect(result.timeVsFloor).toBeLessThanOrEqual(1.15);
		},
	);

	test.each([
		[1, 1, 500],
		[2, 8, 250],
	])(
		'with stalls of the request pipeline (every 2 s, up to 0.4 s): %i processes, %i × %i within 1.15 × the floor, 429 ≤ 5 %',
		async (processes, executions, events) => {
			const result = await check({ processes, executions, events, stallEveryMs: 2000 });
			expect(result.share429).toBeLessThanOrEqual(0.05);
			expect(result.timeVsFloor).toBeLessThanOrEqual(1.15);
		},
	);

	test('16 separate processes (the worst case): about one 429 in eight (fixed pacing: six in ten)', async () => {
		const result = await check({ processes: 16, executions: 16, events: 125 });
		expect(result.share429).toBeLessThanOrEqual(0.14);
		expect(result.timeVsFloor).toBeLessThanOrEqual(1.4);
	});

	test('a user limit below the account limit is kept: 4 requests per second alone', async () => {
		const result = await check({ processes: 1, executions: 1, events: 100, requestsPerSecond: 4 });
		// 100 events at 4/s take 25 s = 2.5 × the account's floor (10 s): never less.
		expect(result.timeVsFloor).toBeGreaterThanOrEqual(2.47);
		expect(result.timeVsFloor).toBeLessThanOrEqual(2.6);
		expect(result.share429).toBe(0);
	});
});
