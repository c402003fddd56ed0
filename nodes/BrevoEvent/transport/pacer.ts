import { sleep } from 'n8n-workflow';

/** Time, injectable so that the pacing logic can be tested on a fake clock. */
export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now(), sleep };

/** Thrown by a wait when the execution was cancelled: nothing more is sent. */
export class Cancelled extends Error {
	constructor() {
		super('The execution was cancelled');
	}
}

/** Longest single timer while waiting, so a cancelled wait leaves no long timer behind. */
const WAIT_SLICE_MS = 1_000;

/** Waits `ms`, or less if `signal` aborts (then throws Cancelled). */
export async function wait(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
	const until = clock.now() + ms;
	for (;;) {
		if (signal?.aborted) throw new Cancelled();
		const left = until - clock.now();
		if (left <= 0) return;
		const slice = clock.sleep(Math.min(left, WAIT_SLICE_MS));
		if (!signal) {
			await slice;
			continue;
		}
		let onAbort = () => {};
		const aborted = new Promise<void>((resolve) => (onAbort = resolve));
		signal.addEventListener('abort', onAbort, { once: true });
		try {
			await Promise.race([slice, aborted]);
		} finally {
			signal.removeEventListener('abort', onAbort);
		}
	}
}

/**
 * Lets callers through one at a time, in the order they asked: whoever asks for a start first gets
 * it first, so the events of one item list leave in item order (a contact's "trial_started" before
 * its "trial_converted"; requests in flight at once can still overtake each other on the way).
 * Timers alone would not keep that order: two waits for the same moment can fire either way round.
 */
export class Turns {
	private last: Promise<void> = Promise.resolve();

	/** Runs `section` once every earlier caller's section has ended; Cancelled if `signal` aborts first. */
	async take<T>(signal: AbortSignal | undefined, section: () => Promise<T>): Promise<T> {
		const earlier = this.last;
		let done = () => {};
		const mine = new Promise<void>((resolve) => (done = resolve));
		// Chained, not replaced: a caller cancelled while queued does not let the next overtake `earlier`.
		this.last = earlier.then(async () => await mine);
		try {
			await untilSettled(earlier, signal);
			return await section();
		} finally {
			done();
		}
	}
}

async function untilSettled(promise: Promise<void>, signal?: AbortSignal): Promise<void> {
	if (!signal) return await promise;
	if (signal.aborted) throw new Cancelled();
	let onAbort = () => {};
	const aborted = new Promise<'aborted'>((resolve) => (onAbort = () => resolve('aborted')));
	signal.addEventListener('abort', onAbort, { once: true });
	try {
		if ((await Promise.race([promise, aborted])) === 'aborted') throw new Cancelled();
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}

/**
 * Spaces request starts at least 1/rate apart: the user's "Requests per Second", per execution. A
 * start is claimed only when it happens, not reserved ahead: after a stall (a busy event loop)
 * requests do not burst to catch up.
 */
export class Spacing {
	private nextStart = 0;

	private readonly interval: number;

	private readonly turns = new Turns();

	constructor(
		requestsPerSecond: number,
		private readonly clock: Clock = systemClock,
	) {
		this.interval = 1000 / requestsPerSecond;
	}

	async next(signal?: AbortSignal): Promise<void> {
		await this.turns.take(signal, async () => await this.claim(signal));
	}

	private async claim(signal?: AbortSignal): Promise<void> {
		for (;;) {
			const now = this.clock.now();
			if (now >= this.nextStart) {
				this.nextStart = now + this.interval;
				return;
			}
			await wait(this.clock, this.nextStart - now, signal);
		}
	}
}

/**
 * Thrown by a start the account's limits would hold back longer than the caller may wait (Max
 * Rate-Limit Wait): nothing was sent.
 */
export class HeldTooLong extends Error {
	constructor(
		/** How long the caller had waited for its start, in all. */
		readonly waitedMs: number,
	) {
		super('The rate limit would hold this request back too long');
	}
}

/** How much a caller may be held back: its Max Rate-Limit Wait left, from a point of the pacer's `heldMs`. */
export interface HoldBudget {
	calledAt: number;
	heldAtCall: number;
	maxMs: number;
}

/** What one answer of Brevo's per-second window says, for the adaptive pacer. */
export interface WindowAnswer {
	/** The answer was a 429: the window was full when the request arrived. */
	limited: boolean;
	/** x-sib-ratelimit-limit: requests per window. */
	limit: number;
	/** x-sib-ratelimit-remaining after this request. */
	remaining: number;
	/** When the request was started (clock time). */
	sentAt: number;
}

/**
 * Tuning of the adaptive pacer. Chosen by simulating 1–16 n8n processes sharing a 10/s window
 * (test/nodes/BrevoEvent/transport/pacer.simulation.test.ts) and checked in real queue mode.
 */
export const PACER_TUNING = {
	/** A new pacer starts at this share of the ceiling: several processes starting together do not flood the window. */
	startShare: 0.5,
	/** Growth per answer while nothing but this process uses the window. */
	aloneGrowth: 1.5,
	/** No sign of other senders for this long: this process is alone. */
	aloneAfterMs: 2_000,
	/** How late a request of ours may reach Brevo and still count in the window after the one it started in. */
	ownLateMs: 150,
	/**
	 * How strongly one answer moves the rate toward the target (noisy signal: small steps). 0.08
	 * rather than 0.15: 2–4 processes sharing a window oscillate less and finish 3–6 % sooner
	 * (simulated), for more 429s when 16 separate processes share it (13 % instead of 10 %).
	 */
	gain: 0.08,
	/** Target load as a share of the window's limit; adapted between the bounds from the 429 share. */
	target: 0.95,
	minTarget: 0.85,
	maxTarget: 1.05,
	targetStep: 0.004,
	/** Share of 429 answers (moving average over ~50 answers) above which the target goes down… */
	high429Share: 0.035,
	/** …and below which it goes back up. */
	low429Share: 0.015,
	answersAveraged: 50,
	/** Multiplicative decrease on a 429. */
	decreaseOn429: 0.95,
	/** Brevo gives the reset in whole seconds, so a per-second window's "1" means "within the second". */
	retryAfter429Ms: 300,
	minRate: 0.1,
	/**
	 * Below this share of its aim (the window's limit, or Requests per Second) the pacer holds
	 * requests back for the account's sake — sharing it, waiting out a 429's pause — and that time
	 * counts against each waiting request's Max Rate-Limit Wait: a window that stays full (other
	 * senders, or answers saying remaining 0) cannot slow a run down without bound. Half: a new
	 * pacer starts there (startShare), and two processes sharing the account each run there.
	 */
	freeShare: 0.5,
	/** Without x-sib headers: additive-increase / multiplicative-decrease on 429s alone. */
	blindIncrease: 0.02,
	blindDecrease: 0.75,
} as const;

/**
 * Paces the requests of one Brevo rate-limit bucket (e.g. POST /events) for everything in this
 * n8n process that uses the same account: executions running at once in one process share it.
 * Other processes (queue-mode workers) cannot be seen; what they do shows in Brevo's answers:
 * every answer says how much of the current window is used (x-sib-ratelimit-limit - remaining).
 *
 * - Alone (the window holds nothing but our own requests): run at the ceiling, as fast as the user
 *   allows, and get back there quickly (×1.5 per answer) after sharing ends.
 * - Sharing: each answer is a sample of how full the window is when our request lands. At a random
 *   moment of a window filled at rate A, `used - 1` averages A × window / 2: compare it with the
 *   value the target rate would give, and move the rate proportionally (up when the window drains
 *   slower than the target, down when faster). Every process does the same with the same signal,
 *   so together they converge on the target without knowing each other, like TCP flows on a link.
 * - A 429: slow down a little, pause this bucket briefly, and lower the target if 429s are more
 *   than a few percent of answers (raise it again when they are rare).
 */
export class AdaptivePacer {
	/** Requests per second this bucket currently allows. */
	rate: number;

	private maxRate: number;

	private lastStart = -Infinity;

	private pausedUntil = 0;

	/** Recent start times: how fast we actually send. */
	private readonly starts: number[] = [];

	/** Recent answer times: how many of the window's requests were ours. */
	private readonly answers: number[] = [];

	private othersSeenAt: number | undefined;

	private target: number = PACER_TUNING.target;

	private share429 = 0;

	private headersSeen = false;

	private blindLimited = false;

	/** The window's limit, from the last answer with rate-limit headers. */
	private limit: number | undefined;

	/** Time this bucket's starts were held back in total, below `freeShare` of the aim. */
	heldMs = 0;

	constructor(
		ceiling: number,
		private readonly clock: Clock = systemClock,
	) {
		this.maxRate = ceiling;
		this.rate = ceiling * PACER_TUNING.startShare;
	}

	/** The highest Requests per Second of the executions using this pacer. */
	get ceiling(): number {
		return this.maxRate;
	}

	/** Raises the ceiling when a caller allows more (several executions with different settings). */
	allow(ceiling: number): void {
		if (ceiling > this.maxRate) this.maxRate = ceiling;
	}

	/**
	 * Resolves when the next request may start, claims that start and returns its time. Throws
	 * HeldTooLong at once when the start would be held back beyond `budget`.
	 */
	async acquire(signal?: AbortSignal, budget?: HoldBudget): Promise<number> {
		const since = this.clock.now();
		for (;;) {
			const now = this.clock.now();
			const interval = 1000 / this.rate;
			const at = Math.max(this.lastStart + interval, this.pausedUntil);
			// The part of this wait beyond the pace of `freeShare` × the aim is the account's doing.
			const freeInterval = 1000 / (PACER_TUNING.freeShare * this.aim());
			const held = Math.max(0, at - Math.max(since, this.lastStart + freeInterval));
			if (now >= at) {
				this.heldMs += held;
				// The schedule, not the wake-up, sets the next start: on a busy machine timers fire late,
				// and starting the next interval from the late wake-up would lose that time every time.
				// At most half an interval is caught up, so a long stall never ends in a burst.
				this.lastStart = Math.max(at, now - interval / 2);
				this.starts.push(now);
				return now;
			}
			if (budget && this.heldMs + held - budget.heldAtCall > budget.maxMs)
				throw new HeldTooLong(now - budget.calledAt);
			await wait(this.clock, at - now, signal);
		}
	}

	/** The rate this bucket runs at alone: Requests per Second, within the window's limit. */
	private aim(): number {
		return Math.min(this.maxRate, this.limit ?? this.maxRate);
	}

	/** No request of this bucket starts within the next `ms`. */
	pauseFor(ms: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
	}

	/** Learns from one answer of the per-second window; returns how long to wait before a retry after a 429. */
	observe(answer: WindowAnswer): number {
		const t = PACER_TUNING;
		const now = this.clock.now();
		this.headersSeen = true;
		this.limit = answer.limit;
		while (this.starts.length > 0 && this.starts[0] <= now - 2_000) this.starts.shift();
		const ownRate = this.starts.length / 2;
		// Our requests that can be in the window this answer counts, by when Brevo answered them
		// (requests can reach Brevo later than they were started, and together): those answered in
		// the last second, with some slack for latency.
		this.answers.push(now);
		while (this.answers.length > 0 && this.answers[0] <= now - 1_000 - t.ownLateMs)
			this.answers.shift();
		const ownInWindow = this.answers.length;
		this.share429 += (Number(answer.limited) - this.share429) / t.answersAveraged;
		if (this.share429 > t.high429Share)
			this.target = Math.max(t.minTarget, this.target - t.targetStep);
		else if (this.share429 < t.low429Share)
			this.target = Math.min(t.maxTarget, this.target + t.targetStep / 2);

		// Alone, the aim is the window's limit, lowered if our own bursts draw 429s.
		const cap = Math.min(this.maxRate, answer.limit * Math.min(1, this.target));
		if (answer.limited) {
			// A full window we filled ourselves says nothing about other senders.
			if (ownInWindow <= answer.limit) this.othersSeenAt = now;
			this.rate = Math.max(t.minRate, this.rate * t.decreaseOn429);
			this.pauseFor(t.retryAfter429Ms);
			return t.retryAfter429Ms;
		}
		const used = answer.limit - answer.remaining;
		if (used > ownInWindow) this.othersSeenAt = now;
		if (this.othersSeenAt === undefined || now - this.othersSeenAt > t.aloneAfterMs) {
			this.rate = Math.min(cap, Math.max(this.rate, t.minRate) * t.aloneGrowth);
			return 0;
		}
		const expected = (this.target * answer.limit - 1) / 2;
		const error = Math.max(-1, Math.min(1, (expected - (used - 1)) / expected));
		// Never far above what this process actually sends, so an idle stretch does not end in a burst.
		this.rate = Math.min(
			cap,
			Math.max(2 * ownRate, 1),
			Math.max(t.minRate, this.rate * (1 + t.gain * error)),
		);
		return 0;
	}

	/**
	 * Learns from an answer without rate-limit headers (a proxy may strip them): only 429s say
	 * anything. Until the first 429 the pacer runs at the ceiling, as if alone; then additive
	 * increase, multiplicative decrease.
	 */
	observeBlind(limited: boolean): number {
		const t = PACER_TUNING;
		if (this.headersSeen) return limited ? t.retryAfter429Ms : 0;
		if (limited) {
			this.blindLimited = true;
			this.rate = Math.max(t.minRate, this.rate * t.blindDecrease);
			this.pauseFor(1_000);
			return 1_000;
		}
		this.rate = this.blindLimited
			? Math.min(this.maxRate, this.rate + t.blindIncrease * this.maxRate)
			: this.maxRate;
		return 0;
	}
}
