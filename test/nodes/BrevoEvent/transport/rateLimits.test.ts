import { Cancelled, HeldTooLong } from '../../../../nodes/BrevoEvent/transport/pacer';
import { RateLimits } from '../../../../nodes/BrevoEvent/transport/rateLimits';
import { FakeClock, seededRandom } from '../../../helpers/fake-clock';

/** A busy machine: each timer fires 0–20 ms late, so two waits for the same moment end either way round. */
class LateClock extends FakeClock {
	private readonly random = seededRandom(7);

	async sleep(ms: number): Promise<void> {
		return await super.sleep(ms + this.random() * 20);
	}
}

/** Brevo's answer with a per-second window that has room: the pacer's "alone" signal. */
const roomy = {
	statusCode: 204,
	headers: {
		'x-sib-ratelimit-limit': '10',
		'x-sib-ratelimit-remaining': '9',
		'x-sib-ratelimit-reset': '1',
	},
};

describe('BucketLimits: starts in the order they were asked for', () => {
	test('40 concurrent callers start in call order, with late timers and answers out of order', async () => {
		const clock = new LateClock();
		const bucket = new RateLimits(clock).account('key').bucket('POST /events', 10);
		const started: number[] = [];
		const callers = Array.from({ length: 40 }, async (_, index) => {
			const ticket = await bucket.start({ ceiling: 10, maxWaitMs: 60_000 });
			started.push(index);
			// Answers come back in a different order than the requests went out.
			await clock.sleep(30 + ((index * 37) % 200));
			bucket.finish(ticket, roomy);
		});
		await clock.run();
		await Promise.all(callers);
		expect(started).toEqual(Array.from({ length: 40 }, (_, index) => index));
	});

	test('a retry after a 429 waits behind the callers already queued; a cancelled caller frees its place', async () => {
		const clock = new FakeClock();
		const bucket = new RateLimits(clock).account('key').bucket('POST /events', 10);
		const started: string[] = [];
		const controller = new AbortController();
		const run = async (name: string, signal?: AbortSignal) => {
			const ticket = await bucket.start({ ceiling: 10, maxWaitMs: 60_000, signal });
			started.push(name);
			await clock.sleep(30);
			return ticket;
		};
		// 'a' is answered 429 after 30 ms, while 'b', 'c' and 'd' wait for their starts: its retry
		// goes behind them.
		const first = run('a').then(async (ticket) => {
			const verdict = bucket.finish(ticket, {
				statusCode: 429,
				headers: { ...roomy.headers, 'x-sib-ratelimit-remaining': '0' },
			});
			expect(verdict.kind).toBe('retry');
			bucket.finish(await run('a again'), roomy);
		});
		const others = ['b', 'c', 'd'].map(async (name) => {
			const ticket = await run(name, name === 'c' ? controller.signal : undefined);
			bucket.finish(ticket, roomy);
		});
		const cancelled = expect(others[1]).rejects.toBeInstanceOf(Cancelled);
		controller.abort();
		await clock.run();
		await Promise.all([first, others[0], others[2], cancelled]);
		expect(started).toEqual(['a', 'b', 'd', 'a again']);
	});

	test('time queued behind a quota wait counts against Max Rate-Limit Wait, for every caller in the queue', async () => {
		const clock = new FakeClock();
		const bucket = new RateLimits(clock).account('key').bucket('POST /events', 10);
		const first = await bucket.start({ ceiling: 10, maxWaitMs: 120_000 });
		// Brevo: the hourly quota is used up and resets in 100 s.
		const verdict = bucket.finish(first, {
			statusCode: 429,
			headers: {
				'x-sib-ratelimit-limit': '10',
				'x-sib-ratelimit-remaining': '0',
				'x-sib-ratelimit-reset': '100',
			},
		});
		expect(verdict.kind).toBe('quota');
		const tickets = Array.from({ length: 3 }, async () => {
			const ticket = await bucket.start({ ceiling: 10, maxWaitMs: 120_000 });
			bucket.finish(ticket, roomy);
			return ticket;
		});
		await clock.run();
		const waited = (await Promise.all(tickets)).map((ticket) => ticket.quotaWaitMs);
		// Each waited for the reset (plus its pacing turn), and each is charged for it.
		for (const ms of waited) {
			expect(ms).toBeGreaterThanOrEqual(100_000);
			expect(ms).toBeLessThan(101_000);
		}
	});

	test('a window answered full on every success: the hold counts against Max Rate-Limit Wait, and a start it would exceed fails at once', async () => {
		const clock = new FakeClock();
		const bucket = new RateLimits(clock).account('key').bucket('POST /events', 10);
		// Brevo accepts every request yet says the window is full (issue 17, invariant 10): the
		// pacer reads other senders and slows down, towards 0.1 request/s.
		const full = {
			statusCode: 204,
			headers: { ...roomy.headers, 'x-sib-ratelimit-remaining': '0' },
		};
		const sent = async (maxWaitMs: number) => {
			const ticket = await bucket.start({ ceiling: 10, maxWaitMs });
			await clock.sleep(30);
			bucket.finish(ticket, full);
			return ticket;
		};
		const first = (async () => {
			for (let i = 0; i < 40; i++) await sent(120_000);
		})();
		await clock.run();
		await first;
		// Well below half the limit (5/s): what a start waits beyond 200 ms is the account's doing.
		expect(bucket.rate).toBeLessThan(2);
		const held = sent(120_000);
		const refused = bucket.start({ ceiling: 10, maxWaitMs: 100 });
		const failed = expect(refused).rejects.toBeInstanceOf(HeldTooLong);
		await clock.run();
		await failed;
		const ticket = await held;
		expect(ticket.heldMs).toBeGreaterThan(100);
		// A start the account does not slow (alone, roomy answers) is never charged.
		const alone = new RateLimits(clock).account('key').bucket('POST /events', 10);
		const tickets: Array<Promise<{ heldMs: number }>> = [];
		for (let i = 0; i < 20; i++) {
			tickets.push(
				alone.start({ ceiling: 10, maxWaitMs: 0 }).then(async (t) => {
					await clock.sleep(30);
					alone.finish(t, roomy);
					return t;
				}),
			);
		}
		await clock.run();
		expect((await Promise.all(tickets)).map((t) => t.heldMs)).toEqual(Array(20).fill(0));
	});
});
