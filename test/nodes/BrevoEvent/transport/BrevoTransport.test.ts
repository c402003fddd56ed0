import { NodeApiError } from 'n8n-workflow';

import {
	BrevoTransport,
	type TransportOptions,
} from '../../../../nodes/BrevoEvent/transport/BrevoTransport';
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

	async function transport(options: Partial<TransportOptions> = {}) {
		return await BrevoTransport.create(fetchContext(sandbox.credentials), {
			requestsPerSecond: 50,
			...options,
		});
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

	test('a 429 is waited out and retried; the event is stored once', async () => {
		await sandbox.configure({ throttle: { 'POST /events': 800 } });
		const response = await post(await transport(), 1);
		expect(response.statusCode).toBe(204);
		expect(statuses()).toEqual([429, 204]);
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

	test('a 429 that outlasts Max Rate-Limit Wait is reported, with the hint, and nothing stored', async () => {
		await sandbox.configure({ throttle: { 'POST /events': 5000 } });
		const error = await post(await transport({ maxRateLimitWaitMs: 0 }), 7).catch(
			(e: NodeApiError) => e,
		);
		expect((error as NodeApiError).httpCode).toBe('429');
		expect((error as NodeApiError).description).toMatch(/Brevo rate limit/);
		expect(sandbox.stored()).toHaveLength(0);
	});

	test('requests are paced: 12 requests at 4/s start at least 250 ms apart', async () => {
		const starts: number[] = [];
		const t = await BrevoTransport.create(fetchContext(sandbox.credentials, starts), {
			requestsPerSecond: 4,
		});
		await Promise.all(Array.from({ length: 12 }, (_, n) => post(t, n)));
		const gaps = starts.slice(1).map((at, i) => at - starts[i]);
		// A lower bound only: a busy machine makes gaps longer, never shorter (1 ms of timer rounding).
		expect(Math.min(...gaps)).toBeGreaterThanOrEqual(249);
		expect(storedNumbers().sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, n) => n));
	});

	test('after the execution is cancelled, waiting requests are not sent', async () => {
		const controller = new AbortController();
		const ctx = Object.assign(fetchContext(sandbox.credentials), {
			getExecutionCancelSignal: () => controller.signal,
		});
		const t = await BrevoTransport.create(ctx, { requestsPerSecond: 5 });
		const first = post(t, 1);
		const second = post(t, 2).catch((e: Error) => e);
		await first;
		controller.abort();
		expect(((await second) as Error).message).toBe(
			'The execution was cancelled before this request was sent',
		);
		expect(storedNumbers()).toEqual([1]);
	});

	test('several requests are in flight at once, so latency does not cap throughput', async () => {
		await sandbox.configure({ latencyMs: 300 });
		const t = await transport({ requestsPerSecond: 50, maxInFlight: 10 });
		await Promise.all(Array.from({ length: 20 }, (_, n) => post(t, n)));
		const stats = (await (await fetch(`${sandbox.server.url}/__sandbox/stats`)).json()) as {
			peakInFlight: number;
		};
		expect(stats.peakInFlight).toBeGreaterThan(5);
		expect(stats.peakInFlight).toBeLessThanOrEqual(10);
	});
});
