import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { AdaptivePacer, Cancelled, systemClock, Turns, wait, type Clock } from './pacer';
import { readRateLimitHeaders } from './rateLimitHeaders';

/**
 * Brevo's rate limits, per endpoint bucket: POST /events (10/s and 36,000/h on the general plan),
 * POST /events/batch and GET /events (not documented: each gets its own bucket), and "all other
 * endpoints" (100/h, e.g. GET /contacts/attributes, GET /account). A pause of one bucket never
 * holds up another.
 */
export type BucketName = 'POST /events' | 'POST /events/batch' | 'GET /events' | 'other';

export function bucketOf(method: IHttpRequestMethods, path: string): BucketName {
	const route = `${method} ${path.split('?')[0].replace(/\/+$/, '')}`;
	if (route === 'POST /events' || route === 'POST /events/batch' || route === 'GET /events')
		return route;
	return 'other';
}

/**
 * A window that resets in more than this many seconds is a quota (Brevo's hourly limits), not the
 * per-second window: when it runs out the bucket waits for its reset instead of pacing.
 */
const SHORT_WINDOW_MAX_RESET_S = 1;

/** A bucket unused this long starts afresh (what it learned about other senders is stale). */
const IDLE_RESET_MS = 5_000;

/** A long window (quota) that ran out: nothing of this bucket may start before `resetAt`. */
export class QuotaExhausted extends Error {
	constructor(
		readonly bucket: BucketName,
		readonly limit: number | undefined,
		readonly resetAt: number,
		/** What set the pause: Brevo's x-sib-ratelimit-reset, or a Retry-After header. */
		readonly source: 'reset' | 'retry-after' = 'reset',
	) {
		super(`Brevo's quota for ${bucket} is used up`);
	}
}

/** What the caller of `finish` should do with an answer: go on, retry after a pause, or wait for a quota. */
export type Verdict =
	| { kind: 'ok'; ignored?: string[] }
	/** Retry after this pause (the bucket is paused; the wait counts against Max Rate-Limit Wait). */
	| { kind: 'retry'; waitMs: number; ignored: string[] }
	/** A quota ran out: retry after its reset if the caller may wait that long, else fail. */
	| { kind: 'quota'; quota: QuotaExhausted; ignored: string[] };

export interface Ticket {
	sentAt: number;
	/** Time spent waiting for a quota's reset before this start (counts against Max Rate-Limit Wait). */
	quotaWaitMs: number;
	/** Time the pacer held this start back for the account's sake (counts against it too). */
	heldMs: number;
}

/** One bucket of one account in this process: its adaptive pacer and its long-window quota. */
export class BucketLimits {
	private pacer: AdaptivePacer;

	/** Requests started (or about to be) and not yet answered. */
	private inFlight = 0;

	private waiting = 0;

	/** Starts are handed out in the order they were asked for: events reach Brevo in item order. */
	private readonly turns = new Turns();

	/** Callers waiting for an in-flight request to end. */
	private readonly released: Array<() => void> = [];

	/** Recent start → answer times (the last 50). */
	private readonly latencies: number[] = [];

	private lastActivity: number;

	/** The last long window Brevo reported for this bucket. */
	private quota: { limit?: number; remaining: number; resetAt: number } | undefined;

	constructor(
		readonly name: BucketName,
		ceiling: number,
		private readonly clock: Clock = systemClock,
	) {
		this.pacer = new AdaptivePacer(ceiling, clock);
		this.lastActivity = clock.now();
	}

	/** Requests per second the bucket allows right now (for tests and diagnostics). */
	get rate(): number {
		return this.pacer.rate;
	}

	/** The highest Requests per Second among the executions using the bucket. */
	get ceiling(): number {
		return this.pacer.ceiling;
	}

	/**
	 * Waits for a start slot. Throws QuotaExhausted at once if a quota of this bucket ran out and
	 * resets later than `maxWaitMs` from now (a pause never exceeds Max Rate-Limit Wait),
	 * HeldTooLong when the pacer would hold the start back longer than what is left of
	 * `maxWaitMs`, and Cancelled when `signal` aborts.
	 */
	async start(options: {
		ceiling: number;
		maxWaitMs: number;
		signal?: AbortSignal;
	}): Promise<Ticket> {
		const now = this.clock.now();
		if (this.inFlight === 0 && this.waiting === 0 && now - this.lastActivity > IDLE_RESET_MS)
			this.pacer = new AdaptivePacer(options.ceiling, this.clock);
		this.pacer.allow(options.ceiling);
		// A quota this caller may not wait for fails it at once, not after the callers ahead of it.
		const blocked = this.quotaBlock();
		if (blocked && blocked.resetAt - now > options.maxWaitMs) throw blocked;
		// Held back while queued behind others counts too: the pacer's clock of held time, from now.
		const heldAtCall = this.pacer.heldMs;
		this.waiting++;
		try {
			return await this.turns.take(
				options.signal,
				async () => await this.claimStart(options, now, heldAtCall, blocked !== undefined),
			);
		} finally {
			this.waiting--;
		}
	}

	/**
	 * `calledAt`: when the caller asked. Time queued behind callers that waited out a quota is quota
	 * time too, so it is measured from then and counts against Max Rate-Limit Wait.
	 */
	private async claimStart(
		options: { maxWaitMs: number; signal?: AbortSignal },
		calledAt: number,
		heldAtCall: number,
		blockedWhenCalled: boolean,
	): Promise<Ticket> {
		const blocked = this.quotaBlock();
		if (blocked) {
			if (blocked.resetAt - calledAt > options.maxWaitMs) throw blocked;
			await wait(this.clock, Math.max(blocked.resetAt - this.clock.now(), 0), options.signal);
		}
		const quotaWaitMs = blocked || blockedWhenCalled ? this.clock.now() - calledAt : 0;
		// Time held while waiting for a quota's reset is already in quotaWaitMs.
		const budget = {
			calledAt,
			heldAtCall: quotaWaitMs > 0 ? this.pacer.heldMs : heldAtCall,
			maxMs: options.maxWaitMs - quotaWaitMs,
		};
		await this.roomInFlight(options.signal);
		this.inFlight++;
		let started = false;
		try {
			const sentAt = await this.pacer.acquire(options.signal, budget);
			started = true;
			this.lastActivity = sentAt;
			return { sentAt, quotaWaitMs, heldMs: this.pacer.heldMs - budget.heldAtCall };
		} finally {
			// Cancelled while waiting for its turn: the place it held is free again.
			if (!started) this.release();
		}
	}

	/**
	 * Requests of this bucket on their way at once, at most. n8n's request helper can hold requests
	 * before sending them (it reads the credential for each; a busy worker or database delays
	 * that): without a cap, the requests paced during such a stall would all reach Brevo together
	 * and overflow its window. Enough for the rate at the latency Brevo answers with, plus room.
	 */
	private inFlightCap(): number {
		// The median start → answer time: a busy n8n lengthens it for every request, and a cap
		// from the fastest answers alone would then hold the rate below what Brevo allows.
		const sorted = [...this.latencies].sort((a, b) => a - b);
		const latency = sorted.length > 0 ? sorted[Math.floor(sorted.length / 2)] : 0;
		return Math.max(2, Math.ceil((1.5 * this.pacer.rate * latency) / 1000) + 2);
	}

	private async roomInFlight(signal?: AbortSignal): Promise<void> {
		while (this.inFlight >= this.inFlightCap()) {
			if (signal?.aborted) throw new Cancelled();
			let onAbort = () => {};
			await new Promise<void>((resolve) => {
				this.released.push(resolve);
				// Cancelled: leave the queue, so the next release wakes someone still waiting.
				onAbort = () => {
					this.released.splice(this.released.indexOf(resolve) >>> 0, 1);
					resolve();
				};
				signal?.addEventListener('abort', onAbort, { once: true });
			});
			signal?.removeEventListener('abort', onAbort);
		}
	}

	private release(): void {
		this.inFlight--;
		this.released.shift()?.();
	}

	/**
	 * Records the answer to a started request (none: the connection failed) and says what a 429
	 * means: a short pause of the per-second window, or a quota that ran out.
	 */
	finish(ticket: Ticket, answer?: { statusCode: number; headers: IDataObject }): Verdict {
		this.release();
		const now = this.clock.now();
		this.lastActivity = now;
		if (!answer) return { kind: 'ok' };
		this.latencies.push(now - ticket.sentAt);
		if (this.latencies.length > 50) this.latencies.shift();
		const limited = answer.statusCode === 429;
		// Bounded: a value Brevo cannot mean is treated as absent (and named in `ignored`).
		const { limit, remaining, reset, retryAfter, ignored } = readRateLimitHeaders(answer.headers);
		if (limited && retryAfter !== undefined && retryAfter > SHORT_WINDOW_MAX_RESET_S) {
			// A Retry-After longer than the per-second window: nothing of this bucket starts before it.
			const resetAt = now + retryAfter * 1000;
			this.quota = { limit, remaining: 0, resetAt };
			const quota = new QuotaExhausted(this.name, limit, resetAt, 'retry-after');
			return { kind: 'quota', quota, ignored };
		}
		if (reset !== undefined && reset > SHORT_WINDOW_MAX_RESET_S) {
			// A long window: remember it; pausing for it is decided at the next start.
			const resetAt = now + reset * 1000;
			this.quota = { limit, remaining: limited ? 0 : (remaining ?? Infinity), resetAt };
			if (limited)
				return { kind: 'quota', quota: new QuotaExhausted(this.name, limit, resetAt), ignored };
			return { kind: 'ok', ignored };
		}
		let waitMs: number;
		if (limit !== undefined && remaining !== undefined) {
			waitMs = this.pacer.observe({ limited, limit, remaining, sentAt: ticket.sentAt });
		} else {
			waitMs = this.pacer.observeBlind(limited);
		}
		if (!limited) return { kind: 'ok', ignored };
		if (retryAfter !== undefined) {
			// A short Retry-After: at least that long, for every caller of the bucket.
			waitMs = Math.max(waitMs, retryAfter * 1000);
			this.pacer.pauseFor(waitMs);
		}
		return { kind: 'retry', waitMs: Math.max(waitMs, 1), ignored };
	}

	/**
	 * The quota that stops new starts, if any: it ran out, or what is left of it will be used up by
	 * the requests already on their way.
	 */
	private quotaBlock(): QuotaExhausted | undefined {
		const quota = this.quota;
		if (!quota) return undefined;
		if (this.clock.now() >= quota.resetAt) {
			this.quota = undefined;
			return undefined;
		}
		if (quota.remaining > this.inFlight) return undefined;
		return new QuotaExhausted(this.name, quota.limit, quota.resetAt);
	}
}

/** The buckets of one Brevo account (one credential and base URL) in this process. */
export class AccountLimits {
	private readonly buckets = new Map<BucketName, BucketLimits>();

	constructor(private readonly clock: Clock = systemClock) {}

	bucket(name: BucketName, ceiling: number): BucketLimits {
		let bucket = this.buckets.get(name);
		if (!bucket) {
			bucket = new BucketLimits(name, ceiling, this.clock);
			this.buckets.set(name, bucket);
		}
		return bucket;
	}
}

/**
 * Accounts by key. One registry per process (`processRateLimits`) lets every execution of this
 * process that uses the same credential share one pacer per bucket, so they never compete with
 * each other; other processes are met only through Brevo's answers.
 */
export class RateLimits {
	private readonly accounts = new Map<string, AccountLimits>();

	constructor(private readonly clock: Clock = systemClock) {}

	account(key: string): AccountLimits {
		let account = this.accounts.get(key);
		if (!account) {
			account = new AccountLimits(this.clock);
			this.accounts.set(key, account);
		}
		return account;
	}
}

/** Shared by every execution of the node in this n8n process (main or worker). */
export const processRateLimits = new RateLimits();
