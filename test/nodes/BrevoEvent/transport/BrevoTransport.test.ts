import { NodeApiError } from 'n8n-workflow';

import {
	BrevoTransport,
	type TransportOptions,
} from '../../../../nodes/BrevoEvent/transport/BrevoTransport';
import { RateLimits } from '../../../../nodes/BrevoEvent/transport/rateLimits';
import { fetchContext } from '../../../helpers/fetch-context';
import { useSandbox } from '../../../helpers/sandbox';

/** The transport against the sandbox's rate limits and injected faults, over real HTTP. */
describe('BrevoTransport', () => {
	const sandbox = useSandbox();

	const event = (n: number) => ({
		event_name: 'tick',
		identifiers: { ext_id: `u-${n}` },
		event_properties: { n },
	});

	// Each test gets its own pacers: what one test taught them must not slow the next.
	let rateLimits: RateLimits;
	beforeEach(() => (rateLimits = new RateLimits()));

	async function transport(
		options: Partial<TransportOptions> = {},
		ctx = fetchContext(sandbox.credentials),
	) {
		return await BrevoTransport.create(ctx, { requestsPerSecond: 50, rateLimits, ...options });
	}

	async function post(t: BrevoTransport, n: number) {
		return await t.request({
			method: 'POST',
			path: '/events',
			body: event(n),
			expect: [204],
			itemIndex: n,
		});
	}

	const statuses = () => sandbox.requests().map((r) => r.status);
	const storedNumbers = () =>
		sandbox.stored().map((s) => (s.event.event_properties as { n: number }).n);

	test('a 429 of the per-second window is waited out and retried; the event is stored once', async () => {
		await sandbox.configure({ throttle: { 'POST /events': 800 } });
		const response = await post(await transport(), 1);
		expect(response.statusCode).toBe(204);
		// Retried a fraction of a second apart until the window opens: some 429s, then one 204.
		expect(statuses().at(-1)).toBe(204);
		expect(
			statuses()
				.slice(0, -1)
				.every((status) => status === 429),
		).toBe(true);
		expect(statuses().length).toBeGreaterThan(1);
		expect(storedNumbers()).toEqual([1]);
	});

	test('5xx answers are retried with backoff until one succeeds', async () => {
		await sandbox.configure({ faults: { 'POST /events': ['500', '503'] } });
		const response = await post(await transport(), 2);
		expect(response.statusCode).toBe(204);
		expect(statuses()).toEqual([500, 503, 204]);
		expect(storedNumbers()).toEqual([2]);
	});

	test('a dropped connection is retried', async () => {
		await sandbox.configure({ faults: { 'POST /events': ['drop'] } });
		await post(await transport(), 3);
		expect(statuses()).toEqual([-1, 204]);
		expect(storedNumbers()).toEqual([3]);
	});

	test('with server retries off, a 5xx fails at once with a NodeApiError', async () => {
		await sandbox.configure({ faults: { 'POST /events': ['502'] } });
		const t = await transport({ retryServerErrors: false });
		await expect(post(t, 4)).rejects.toThrow(NodeApiError);
		await expect(post(t, 5)).resolves.toMatchObject({ statusCode: 204 });
		expect(statuses()).toEqual([502, 204]);
	});

	test('retries of 5xx stop after 3, and the last answer is reported', async () => {
		await sandbox.configure({ faults: { 'POST /events': ['500', '500', '500', '500', '500'] } });
		const error = await post(await transport(), 6).catch((e: NodeApiError) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).toBe('500');
		expect((error as NodeApiError).message).toBe(
			'Brevo answered 500 internal_error: Injected fault 500 [item 6]',
		);
		expect(statuses()).toEqual([500, 500, 500, 500]);
	}, 20_000);

	test('a 429 that outlasts Max Rate-Limit Wait is reported at once, and nothing stored', async () => {
		await sandbox.configure({ throttle: { 'POST /events': 5000 } });
		const started = Date.now();
		const error = await post(await transport({ maxRateLimitWaitMs: 0 }), 7).catch(
			(e: NodeApiError) => e,
		);
		expect((error as NodeApiError).httpCode).toBe('429');
		expect((error as NodeApiError).message).toMatch(
			/^Brevo's rate-limit quota for POST \/events is used up \(10 requests per window\): it resets in [45] s, at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\. Nothing was sent for this item\.$/,
		);
		expect((error as NodeApiError).description).toMatch(/Max Rate-Limit Wait \(0 s\)/);
		expect(Date.now() - started).toBeLessThan(1000);
		expect(sandbox.stored()).toHaveLength(0);
	});

	test('requests are paced: 12 requests at 4/s take 11 intervals of 250 ms, none closer than half of one', async () => {
		const starts: number[] = [];
		const t = await transport({ requestsPerSecond: 4 }, fetchContext(sandbox.credentials, starts));
		await Promise.all(Array.from({ length: 12 }, (_, n) => post(t, n)));
		const gaps = starts.slice(1).map((at, i) => at - starts[i]);
		// The pacer keeps its schedule when a timer fires late, catching up at most half an interval.
		// Measured where the helper is called, a little after each start is claimed: one interval of slack.
		expect(starts[11] - starts[0]).toBeGreaterThanOrEqual(10 * 250);
		expect(Math.min(...gaps)).toBeGreaterThanOrEqual(124);
		expect(storedNumbers().sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, n) => n));
	});

	function cancellable() {
		const controller = new AbortController();
		const ctx = Object.assign(fetchContext(sandbox.credentials), {
			getExecutionCancelSignal: () => controller.signal,
		});
		return { controller, ctx };
	}

	test('after the execution is cancelled, waiting requests are not sent, and fail at once', async () => {
		const { controller, ctx } = cancellable();
		// 0.5 requests per second: the second request waits 2 s for its turn.
		const t = await transport({ requestsPerSecond: 0.5 }, ctx);
		await post(t, 1);
		const second = post(t, 2).catch((e: Error) => e);
		await new Promise((resolve) => setTimeout(resolve, 100));
		const abortedAt = Date.now();
		controller.abort();
		expect(((await second) as Error).message).toBe(
			'The execution was cancelled before this request was sent',
		);
		expect(Date.now() - abortedAt).toBeLessThan(200);
		// The items after it spend no pacing slot: 100 of them fail within a fraction of a second.
		const rest = await Promise.all(
			Array.from({ length: 100 }, (_, n) => post(t, 3 + n).catch((e: Error) => e)),
		);
		expect(Date.now() - abortedAt).toBeLessThan(1000);
		expect(rest.every((e) => e instanceof Error)).toBe(true);
		expect(storedNumbers()).toEqual([1]);
	});

	test('a cancelled execution does not wait out a quota pause', async () => {
		// A quota of 1 request per 10 s: the second request must wait ~10 s for the reset.
		await sandbox.configure({ rateLimits: { 'POST /events': { limit: 1, windowMs: 10_000 } } });
		const { controller, ctx } = cancellable();
		const t = await transport({}, ctx);
		await post(t, 1);
		const second = post(t, 2).catch((e: Error) => e);
		await new Promise((resolve) => setTimeout(resolve, 300));
		const abortedAt = Date.now();
		controller.abort();
		expect(((await second) as Error).message).toBe(
			'The execution was cancelled before this request was sent',
		);
		expect(Date.now() - abortedAt).toBeLessThan(200);
		expect(storedNumbers()).toEqual([1]);
	});

	test('several requests are in flight at once, so latency does not cap throughput', async () => {
		await sandbox.configure({
			latencyMs: 300,
			rateLimits: { 'POST /events': { limit: 100, windowMs: 1000 } },
		});
		const t = await transport({ requestsPerSecond: 50, maxInFlight: 10 });
		await Promise.all(Array.from({ length: 20 }, (_, n) => post(t, n)));
		const stats = (await (await fetch(`${sandbox.server.url}/__sandbox/stats`)).json()) as {
			peakInFlight: number;
		};
		expect(stats.peakInFlight).toBeGreaterThan(5);
		expect(stats.peakInFlight).toBeLessThanOrEqual(10);
	});

	const batch = async (t: BrevoTransport, n: number) =>
		await t.request({
			method: 'POST',
			path: '/events/batch',
			body: { events: [event(n)] },
			expect: [202, 207],
			itemIndex: n,
		});

	test('an hourly quota that ran out fails the next request at once, saying when it resets; nothing is sent', async () => {
		await sandbox.configure({
			rateLimits: { 'POST /events/batch': { limit: 2, windowMs: 3_600_000 } },
		});
		const t = await transport({ maxRateLimitWaitMs: 120_000 });
		await batch(t, 1);
		await batch(t, 2);
		const started = Date.now();
		const error = (await batch(t, 3).catch((e: NodeApiError) => e)) as NodeApiError;
		expect(Date.now() - started).toBeLessThan(500);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(
			/^Brevo's rate-limit quota for POST \/events\/batch is used up \(2 requests per window\): it resets in 60 min, at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\. Nothing was sent for this item\.$/,
		);
		expect(error.description).toMatch(/Max Rate-Limit Wait \(120 s\)/);
		expect(error.httpCode).toBe('429');
		// The third batch never left: the second answer said the quota was used up.
		expect(statuses()).toEqual([202, 202]);
	});

	test('a quota that resets within Max Rate-Limit Wait is waited for, without a 429', async () => {
		await sandbox.configure({ rateLimits: { 'POST /events/batch': { limit: 2, windowMs: 3000 } } });
		const t = await transport();
		const started = Date.now();
		await batch(t, 1);
		await batch(t, 2);
		await batch(t, 3);
		expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
		expect(statuses()).toEqual([202, 202, 202]);
	});

	test('an exhausted GET /contacts/attributes hour does not hold up POST /events', async () => {
		await sandbox.configure({
			rateLimits: { 'GET /contacts/attributes': { limit: 1, windowMs: 3_600_000 } },
		});
		const t = await transport();
		await t.request({ method: 'GET', path: '/contacts/attributes', expect: [200] });
		const error = (await t
			.request({ method: 'GET', path: '/contacts/attributes', expect: [200] })
			.catch((e: NodeApiError) => e)) as NodeApiError;
		expect(error.message).toMatch(
			/^Brevo's rate-limit quota for GET \/contacts\/attributes is used up \(1 request per window\): it resets in 60 min/,
		);
		const started = Date.now();
		await post(t, 1);
		await post(t, 2);
		expect(Date.now() - started).toBeLessThan(1000);
		expect(storedNumbers()).toEqual([1, 2]);
	});

	test.each([[Number.NaN], [0], [-5], [Number.POSITIVE_INFINITY]])(
		'Requests per Second %p is refused with a clear error',
		async (requestsPerSecond) => {
			await expect(transport({ requestsPerSecond })).rejects.toThrow(
				`Requests per Second must be a number above 0, not ${String(requestsPerSecond)}`,
			);
		},
	);

	test('executions of one process share the account: 2 × 15 requests at 10/s take ~3 s, not 1.5', async () => {
		const [a, b] = [
			await transport({ requestsPerSecond: 10 }),
			await transport({ requestsPerSecond: 10 }),
		];
		const started = Date.now();
		await Promise.all(Array.from({ length: 30 }, (_, n) => post(n % 2 === 0 ? a : b, n)));
		// Two pacers of 10/s each would collect a 429 for every third request; one shared pacer
		// stays within the window but for latency jitter at its edges.
		expect(statuses().filter((status) => status === 429).length).toBeLessThanOrEqual(2);
		// 30 requests at 10/s over both: at least ~2.5 s, as one pacer spaces them.
		expect(Date.now() - started).toBeGreaterThanOrEqual(2400);
		expect(storedNumbers()).toHaveLength(30);
	});
});
