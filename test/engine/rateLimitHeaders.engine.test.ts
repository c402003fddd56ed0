import type { ServerResponse } from 'node:http';

import { useHostileServer } from '../helpers/hostile-server';
import { runBrevoEventNode } from '../helpers/n8n-engine';

/**
 * Rate-limit headers Brevo cannot mean, from a local server answering as a broken or hostile
 * Brevo, inside n8n-core's real engine: each is ignored (treated as absent), never a crash, a wait
 * of years or a block of the executions that follow on the same credential.
 */
describe('rate-limit headers with bounded trust', () => {
	jest.setTimeout(30_000);
	const server = useHostileServer();

	const parameters = (options: Record<string, unknown> = {}) => ({
		resource: 'event',
		operation: 'create',
		eventName: 'order_created',
		identifiers: { extId: '={{ $json.user }}' },
		options: { maxRateLimitWait: 10, ...options },
	});
	const run = async (baseUrl = `${server.url}/v3`, options: Record<string, unknown> = {}) =>
		await runBrevoEventNode({
			parameters: parameters(options),
			items: [{ json: { user: 'u-1' } }],
			credentials: { ...server.credentials, baseUrl },
			continueOnFail: true,
		});
	const answer = (res: ServerResponse, status: number, headers: Record<string, string>) =>
		void res.writeHead(status, headers).end();
	const limits = (remaining: string, reset: string) => ({
		'x-sib-ratelimit-limit': '10',
		'x-sib-ratelimit-remaining': remaining,
		'x-sib-ratelimit-reset': reset,
	});
	const posts = () => server.received.filter((r) => r.method === 'POST');

	test.each([
		['a reset of 1e20 s on a 429', 429, limits('0', '1e20')],
		['a reset of one year on a 429', 429, limits('0', '31536000')],
		['a negative reset on a 429', 429, limits('0', '-5')],
		['a remaining above the limit on a 429', 429, limits('99', '1')],
	])(
		'%s: retried after a short pause and stored; the next execution is unaffected',
		async (_, status, headers) => {
			server.answerWith((_req, res, index) =>
				index === 0 ? answer(res, status, headers) : answer(res, 204, limits('9', '1')),
			);
			const first = await run();
			expect(first.output?.[0].json).toMatchObject({ success: true });
			expect(posts()).toHaveLength(2);
			const second = await run();
			expect(second.output?.[0].json).toMatchObject({ success: true });
			expect(posts()).toHaveLength(3);
		},
	);

	test('a 204 saying remaining 0 and a reset of 1e20 s does not block the next execution', async () => {
		server.answerWith((_req, res, index) =>
			index === 0 ? answer(res, 204, limits('0', '1e20')) : answer(res, 204, limits('9', '1')),
		);
		expect((await run()).output?.[0].json).toMatchObject({ success: true });
		const next = await run();
		expect(next.output?.[0].json).toMatchObject({ success: true });
		expect(posts()).toHaveLength(2);
	});

	test('a 204 saying remaining 0 and a reset of one year does not block the next execution', async () => {
		server.answerWith((_req, res, index) =>
			index === 0 ? answer(res, 204, limits('0', '31536000')) : answer(res, 204, limits('9', '1')),
		);
		expect((await run()).output?.[0].json).toMatchObject({ success: true });
		expect((await run()).output?.[0].json).toMatchObject({ success: true });
		expect(posts()).toHaveLength(2);
	});

	test('Retry-After in seconds on a 429 is honoured: the retry waits at least that long', async () => {
		const at: number[] = [];
		server.answerWith((_req, res, index) => {
			at.push(Date.now());
			if (index === 0) answer(res, 429, { 'retry-after': '2' });
			else answer(res, 204, {});
		});
		expect((await run(`${server.url}/retry-after/v3`)).output?.[0].json).toMatchObject({
			success: true,
		});
		expect(at).toHaveLength(2);
		expect(at[1] - at[0]).toBeGreaterThanOrEqual(1_950);
	});

	test('Retry-After as an HTTP date is honoured the same way', async () => {
		const at: number[] = [];
		server.answerWith((_req, res, index) => {
			at.push(Date.now());
			// Whole seconds: 3 s from now is at least 2 s away.
			const date = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3_000).toUTCString();
			if (index === 0) answer(res, 429, { 'retry-after': date });
			else answer(res, 204, {});
		});
		expect((await run(`${server.url}/retry-date/v3`)).output?.[0].json).toMatchObject({
			success: true,
		});
		expect(at[1] - at[0]).toBeGreaterThanOrEqual(1_950);
	});

	test('a Retry-After beyond Max Rate-Limit Wait fails the item at once, saying so; nothing is stored', async () => {
		server.answerWith((_req, res) => answer(res, 429, { 'retry-after': '180' }));
		const started = Date.now();
		const { output } = await run(`${server.url}/retry-long/v3`);
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(output?.[0].json.error).toMatch(
			/^Brevo asked to retry POST \/events later \(Retry-After\): in 3 min, at .*Nothing was sent/,
		);
		expect(posts()).toHaveLength(1);
	});

	test('a Retry-After of one year or of text is ignored, not a wait of a year', async () => {
		for (const value of ['31536000', 'soon', 'Fri, 01 Jan 2100 00:00:00 GMT']) {
			server.answerWith((_req, res, index) =>
				index === server.received.length - 1 && server.received.length % 2 === 1
					? answer(res, 429, { 'retry-after': value })
					: answer(res, 204, {}),
			);
			const { output } = await run(`${server.url}/retry-odd/v3`);
			expect(output?.[0].json).toMatchObject({ success: true });
		}
		expect(posts()).toHaveLength(6);
	});

	test('a 429 whose only headers are out of range, until Max Rate-Limit Wait: the error says they were ignored', async () => {
		server.answerWith((_req, res) => answer(res, 429, limits('0', '1e20')));
		const { output } = await run(`${server.url}/always-429/v3`, { maxRateLimitWait: 2 });
		expect(output?.[0].json.error).toMatch(/^Brevo answered 429/);
		expect(JSON.stringify(output?.[0].json)).toContain(
			'x-sib-ratelimit-reset: 1e20 is outside what Brevo can mean',
		);
	});
});

describe('Retry-After on a 503', () => {
	jest.setTimeout(30_000);
	const server = useHostileServer();
	const run = async (options: Record<string, unknown> = {}) =>
		await runBrevoEventNode({
			parameters: {
				resource: 'event',
				operation: 'create',
				eventName: 'order_created',
				identifiers: { extId: 'u-1' },
				options: { maxRateLimitWait: 10, ...options },
			},
			items: [{ json: {} }],
			credentials: server.credentials,
			continueOnFail: true,
		});

	test('the retry of a 5xx waits at least Retry-After', async () => {
		const at: number[] = [];
		server.answerWith((_req, res, index) => {
			at.push(Date.now());
			if (index === 0) res.writeHead(503, { 'retry-after': '3' }).end();
			else res.writeHead(204).end();
		});
		expect((await run()).output?.[0].json).toMatchObject({ success: true });
		// Without it, the first retry comes after 1 s.
		expect(at[1] - at[0]).toBeGreaterThanOrEqual(2_950);
	});

	test('a Retry-After beyond Max Rate-Limit Wait ends the retries at once', async () => {
		server.answerWith((_req, res) => void res.writeHead(503, { 'retry-after': '600' }).end());
		const { output } = await run();
		expect(output?.[0].json.error).toMatch(/^Brevo answered 503/);
		expect(server.received).toHaveLength(1);
	});
});
