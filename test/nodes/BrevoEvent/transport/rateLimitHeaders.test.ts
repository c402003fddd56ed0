import {
	LONGEST_WINDOW_S,
	readRateLimitHeaders,
} from '../../../../nodes/BrevoEvent/transport/rateLimitHeaders';
import { RateLimits } from '../../../../nodes/BrevoEvent/transport/rateLimits';
import { FakeClock } from '../../../helpers/fake-clock';

const limits = (limit: string, remaining: string, reset: string) => ({
	'x-sib-ratelimit-limit': limit,
	'x-sib-ratelimit-remaining': remaining,
	'x-sib-ratelimit-reset': reset,
});

describe('readRateLimitHeaders: every number from outside is bounded', () => {
	test("Brevo's own values pass through", () => {
		expect(readRateLimitHeaders(limits('36000', '35999', '3600'))).toEqual({
			limit: 36000,
			remaining: 35999,
			reset: 3600,
			retryAfter: undefined,
			ignored: [],
		});
		expect(readRateLimitHeaders({ ...limits('10', '0', '1'), 'retry-after': '0.5' })).toMatchObject(
			{ limit: 10, remaining: 0, reset: 1, retryAfter: 0.5 },
		);
	});

	test.each([
		['x-sib-ratelimit-reset', limits('10', '0', '1e20')],
		['x-sib-ratelimit-reset', limits('10', '0', String(365 * 86_400))],
		['x-sib-ratelimit-reset', limits('10', '0', String(LONGEST_WINDOW_S + 1))],
		['x-sib-ratelimit-reset', limits('10', '0', '-1')],
		['x-sib-ratelimit-reset', limits('10', '0', 'NaN')],
		['x-sib-ratelimit-limit', limits('0', '0', '1')],
		['x-sib-ratelimit-limit', limits('2.5', '0', '1')],
		['x-sib-ratelimit-limit', limits('1e9', '0', '1')],
		['x-sib-ratelimit-remaining', limits('10', '11', '1')],
		['x-sib-ratelimit-remaining', limits('10', '-1', '1')],
	])('%s out of range is ignored and named: %j', (name, headers) => {
		const read = readRateLimitHeaders(headers);
		const field = {
			'x-sib-ratelimit-limit': 'limit',
			'x-sib-ratelimit-remaining': 'remaining',
			'x-sib-ratelimit-reset': 'reset',
		}[name] as 'limit' | 'remaining' | 'reset';
		expect(read[field]).toBeUndefined();
		expect(read.ignored).toEqual([`${name}: ${headers[name as keyof typeof headers]}`]);
	});

	test('Retry-After: seconds or an HTTP date, at most an hour; anything else ignored', () => {
		const now = Date.parse('2026-12-03T12:00:00Z');
		const read = (value: string) => readRateLimitHeaders({ 'retry-after': value }, now);
		expect(read('30').retryAfter).toBe(30);
		expect(read('Thu, 03 Dec 2026 12:01:00 GMT').retryAfter).toBe(60);
		// A date already past means now.
		expect(read('Thu, 03 Dec 2026 11:00:00 GMT').retryAfter).toBe(0);
		for (const odd of ['3601', '1e3', '-5', 'soon', 'Fri, 01 Jan 2100 00:00:00 GMT']) {
			expect(read(odd)).toMatchObject({ retryAfter: undefined, ignored: [`retry-after: ${odd}`] });
		}
	});
});

describe('BucketLimits: an answer Brevo cannot mean leaves no state behind', () => {
	test.each([
		['a 429', 429],
		['a 204 with remaining 0', 204],
	])(
		'%s with a reset of 1e20 s: no quota, the next start is not blocked',
		async (_, statusCode) => {
			const clock = new FakeClock();
			const bucket = new RateLimits(clock).account('key').bucket('POST /events', 10);
			const ticket = await bucket.start({ ceiling: 10, maxWaitMs: 1_000 });
			const verdict = bucket.finish(ticket, { statusCode, headers: limits('10', '0', '1e20') });
			expect(verdict.kind).toBe(statusCode === 429 ? 'retry' : 'ok');
			const next = bucket.start({ ceiling: 10, maxWaitMs: 1_000 });
			await clock.run();
			await expect(next).resolves.toMatchObject({ quotaWaitMs: 0 });
		},
	);

	test('a 429 with a Retry-After of 30 s pauses the bucket for 30 s, named as Retry-After', async () => {
		const clock = new FakeClock();
		const bucket = new RateLimits(clock).account('key').bucket('POST /events', 10);
		const ticket = await bucket.start({ ceiling: 10, maxWaitMs: 60_000 });
		const verdict = bucket.finish(ticket, { statusCode: 429, headers: { 'retry-after': '30' } });
		expect(verdict).toMatchObject({
			kind: 'quota',
			quota: { source: 'retry-after', resetAt: 30_000 },
		});
		// A caller that may not wait 30 s fails at once; one that may, waits them out.
		await expect(bucket.start({ ceiling: 10, maxWaitMs: 10_000 })).rejects.toMatchObject({
			resetAt: 30_000,
		});
		const next = bucket.start({ ceiling: 10, maxWaitMs: 60_000 });
		await clock.run();
		expect((await next).quotaWaitMs).toBe(30_000);
	});

	test('a short Retry-After lengthens the pause of a 429 to at least its value', async () => {
		const clock = new FakeClock();
		const bucket = new RateLimits(clock).account('key').bucket('POST /events', 10);
		const ticket = await bucket.start({ ceiling: 10, maxWaitMs: 60_000 });
		const verdict = bucket.finish(ticket, {
			statusCode: 429,
			headers: { ...limits('10', '0', '1'), 'retry-after': '1' },
		});
		expect(verdict).toMatchObject({ kind: 'retry', waitMs: 1_000 });
	});
});
