import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runBrevoEventNode } from '../helpers/n8n-engine';
import { TEST_KEYS } from '../helpers/keys';

/**
 * What Brevo confirmed is never sent again and never reported otherwise than Brevo said: n8n's
 * Retry On Fail under many executions at once, long tries and per-try values; Stop Workflow; batch
 * answers whose counts disagree. In n8n-core's real engine, against a local server on 127.0.0.1
 * that stores what it accepts and answers as each test scripts it.
 */
describe('delivery: nothing sent twice, nothing believed that does not add up', () => {
	jest.setTimeout(120_000);

	type Answer = { status: number; body?: unknown };
	/** Stored events (single and batch), and the requests received, in order. */
	let stored: IDataObject[] = [];
	let requests: Array<{ route: string; events: IDataObject[] }> = [];
	/** Decides each answer; `accept` stores the events and gives Brevo's own answer. */
	let answer: (route: string, events: IDataObject[], accept: () => Answer) => Answer;
	let server: Server;
	let credentials: { apiKey: string; baseUrl: string };

	function brevoAnswer(route: string, events: IDataObject[]): Answer {
		stored.push(...events);
		return route.endsWith('/events')
			? { status: 204 }
			: {
					status: 202,
					body: { message: 'Batch accepted.', count: events.length },
				};
	}

	function handle(req: IncomingMessage, res: ServerResponse) {
		let raw = '';
		req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
		req.on('end', () => {
			const route = `${req.method} ${req.url?.split('?')[0]}`;
			const body = raw ? (JSON.parse(raw) as IDataObject) : {};
			const events = route.endsWith('/batch') ? (body.events as IDataObject[]) : [body];
			requests.push({ route, events });
			const { status, body: reply } = answer(route, events, () => brevoAnswer(route, events));
			if (reply === undefined) res.writeHead(status).end();
			else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
		});
	}

	beforeAll(async () => {
		server = createServer(handle);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		credentials = { apiKey: TEST_KEYS.sandbox, baseUrl: `http://127.0.0.1:${port}/v3` };
	});
	afterAll(() => new Promise((resolve) => server.close(resolve)));
	beforeEach(() => {
		stored = [];
		requests = [];
		answer = (_route, _events, accept) => accept();
	});

	const user = (event: IDataObject) => (event.identifiers as { ext_id: string }).ext_id;
	const storedUsers = () => stored.map(user).sort();
	const usersOf = (items: INodeExecutionData[]) =>
		items.map((item) => item.json.user as string).sort();

	/** Refuses (400) the first request carrying one of `users`' events, once per user. */
	function refuseOnce(users: (id: string) => boolean) {
		const refused = new Set<string>();
		answer = (_route, events, accept) => {
			const first = events.map(user).find((id) => users(id) && !refused.has(id));
			if (first === undefined) return accept();
			refused.add(first);
			return { status: 400, body: { code: 'invalid_parameter', message: 'try again' } };
		};
	}

	const parameters = (options: IDataObject = {}, extra: IDataObject = {}) => ({
		resource: 'event',
		operation: 'create',
		eventName: 'order_created',
		identifiers: { extId: '={{ $json.user }}' },
		options: { requestsPerSecond: 100, retryServerErrors: false, ...options },
		...extra,
	});
	const items = (n: number, prefix = 'u'): INodeExecutionData[] =>
		Array.from({ length: n }, (_, i) => ({ json: { user: `${prefix}-${i}` } }));
	const retryOnFail = { maxTries: 3, waitBetweenTries: 100 };

	describe("n8n's Retry On Fail", () => {
		test('30 executions at once, each with one item refused once: every event stored exactly once', async () => {
			refuseOnce((id) => id.endsWith('-1'));
			const inputs = Array.from({ length: 30 }, (_, e) => items(2, `e${e}`));
			const runs = await Promise.all(
				inputs.map(
					async (input) =>
						await runBrevoEventNode({
							parameters: parameters(),
							items: input,
							credentials,
							retryOnFail,
						}),
				),
			);
			for (const run of runs) expect(run.error).toBeUndefined();
			expect(storedUsers()).toEqual(inputs.flatMap(usersOf).sort());
		});

		test.each(['single', 'batch'])(
			'%s mode: Event Date {{ $now }} differs on the retry: what Brevo confirmed is not sent again',
			async (sendMode) => {
				// Batch: 250 items are 2 batches; the second is refused once, the first confirmed.
				const input = items(sendMode === 'batch' ? 250 : 5);
				const last = `u-${input.length - 1}`;
				refuseOnce((id) => id === last);
				const { output, error } = await runBrevoEventNode({
					parameters: parameters({ sendMode }, { additionalFields: { eventDate: '={{ $now }}' } }),
					items: input,
					credentials,
					retryOnFail,
				});
				expect(error).toBeUndefined();
				expect(storedUsers()).toEqual(usersOf(input));
				expect(output).toHaveLength(input.length);
				expect(output!.every((item) => item.json.success === true)).toBe(true);
			},
		);

		test('a first try longer than an hour: its confirmations survive until the retry', async () => {
			const realNow = Date.now.bind(Date);
			let offset = 0;
			const clock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
			try {
				// Item 0 is stored; then, two hours later by the clock, item 1 is refused once.
				answer = (_route, events, accept) => {
					if (user(events[0]) !== 'u-1' || offset > 0) return accept();
					offset = 2 * 60 * 60 * 1000;
					return { status: 400, body: { code: 'invalid_parameter', message: 'try again' } };
				};
				const { error } = await runBrevoEventNode({
					parameters: parameters({ requestsPerSecond: 10 }),
					items: items(2),
					// Another account (Base URL) for the process-wide pacers, which see the jump too.
					credentials: { ...credentials, baseUrl: credentials.baseUrl.replace('/v3', '/long/v3') },
					retryOnFail,
				});
				expect(error).toBeUndefined();
				expect(storedUsers()).toEqual(['u-0', 'u-1']);
			} finally {
				clock.mockRestore();
			}
		});
	});

	describe('Stop Workflow', () => {
		test('after the first failure no further request leaves; the error names the stored items', async () => {
			// One request per second: items 0–1 stored, item 2 refused, items 3–7 still waiting.
			answer = (_route, events, accept) =>
				user(events[0]) === 'u-2'
					? { status: 400, body: { code: 'invalid_parameter', message: 'contact is blocked' } }
					: accept();
			const { error } = await runBrevoEventNode({
				parameters: parameters({ requestsPerSecond: 1 }),
				items: items(8),
				credentials,
			});
			expect(error?.message).toMatch(/contact is blocked \[item 2\]/);
			expect(requests.map((r) => user(r.events[0]))).toEqual(['u-0', 'u-1', 'u-2']);
			expect(storedUsers()).toEqual(['u-0', 'u-1']);
			expect(error?.description).toMatch(/Brevo stored items 0–1: do not send them again\./);
			expect(error?.description).toMatch(/5 not sent/);
		});
	});

	describe('batch answers are believed only when their counts add up', () => {
		type Case = { what: string; reply: (events: IDataObject[]) => Answer };
		const cases: Case[] = [
			{
				what: '202 whose count is not the number of events sent',
				reply: (events) => ({ status: 202, body: { count: events.length - 3 } }),
			},
			{
				what: '207 whose failed_events is not the number of events listed',
				reply: (events) => ({
					status: 207,
					body: {
						total_events: events.length,
						successful_events: events.length - 5,
						failed_events: 5,
						errors: [{ eventIndex: [0, 1, 2], message: 'blocked' }],
					},
				}),
			},
			{
				what: '207 that lists no event but counts failures',
				reply: (events) => ({
					status: 207,
					body: {
						total_events: events.length,
						successful_events: 0,
						failed_events: events.length,
						errors: [],
					},
				}),
			},
			{
				what: '207 whose successful and failed events do not add up to the total',
				reply: (events) => ({
					status: 207,
					body: {
						total_events: events.length,
						successful_events: events.length,
						failed_events: 1,
						errors: [{ eventIndex: [3], message: 'blocked' }],
					},
				}),
			},
			{
				what: '207 naming one event twice',
				reply: (events) => ({
					status: 207,
					body: {
						total_events: events.length,
						successful_events: events.length - 2,
						failed_events: 2,
						errors: [
							{ eventIndex: [3], message: 'blocked' },
							{ eventIndex: [3], message: 'invalid' },
						],
					},
				}),
			},
		];

		test.each(cases)(
			'$what: every event of the batch is an error, stored "unknown", saying so',
			async ({ reply }) => {
				answer = (_route, events) => reply(events);
				const { output } = await runBrevoEventNode({
					parameters: parameters({ sendMode: 'batch' }),
					items: items(10),
					credentials,
					continueOnFail: true,
				});
				expect(output).toHaveLength(10);
				for (const item of output!) {
					expect(item.json.success).toBeUndefined();
					expect(item.json.error).toMatch(/does not add up/);
					expect((item.json.details as IDataObject).stored).toBe('unknown');
				}
			},
		);

		test('with Retry On Fail, such an answer is not remembered as confirmed: the retry sends again', async () => {
			let batches = 0;
			answer = (_route, events, accept) =>
				++batches === 1 ? { status: 202, body: { count: events.length + 1 } } : accept();
			const { output, error } = await runBrevoEventNode({
				parameters: parameters({ sendMode: 'batch' }),
				items: items(10),
				credentials,
				retryOnFail,
			});
			expect(error).toBeUndefined();
			expect(batches).toBe(2);
			expect(output!.every((item) => item.json.status === 'queued')).toBe(true);
		});
	});
});
