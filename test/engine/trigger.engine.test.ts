import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { TriggerHarness } from '../helpers/poll-engine';
import { useSandbox, type LoggedRequest } from '../helpers/sandbox';

const MINUTE = 60_000;
/** Brevo's format as senders write it: seconds and a numeric offset. */
const brevoDate = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The trigger in n8n-core's PollContext, talking HTTP to the sandbox, while the sandbox receives
 * events between polls and during them: every event must come out exactly once.
 */
describe('Brevo Event Trigger: polls against the sandbox', () => {
	const sandbox = useSandbox();

	const addEvents = async (body: object) => {
		const response = await fetch(`${sandbox.server.url}/__sandbox/events`, {
			method: 'POST',
			body: JSON.stringify(body),
		});
		expect(response.status).toBe(202);
	};
	const emittedOf = (output: INodeExecutionData[][] | null) =>
		(output?.[0] ?? []).map((i) => i.json);
	const seqOf = (event: IDataObject) =>
		String((event.event_properties as IDataObject | undefined)?.seq ?? '?');

	test('10 polls, 1,000 new events per interval, 5 % back-dated up to 10 min, identical pairs, arrivals while paging: 0 lost, 0 twice', async () => {
		const started = Date.now();
		let seq = 0;
		const event = (date?: number, name = 'order_created'): IDataObject => ({
			event_name: name,
			identifiers: { contact_id: 1 + (seq % 50) },
			event_properties: { seq: seq++, shop: 'sandbox' },
			...(date === undefined ? {} : { event_date: brevoDate(date) }),
		});
		/** Every event stored in the sandbox, by seq, with how many copies were stored. */
		const sent = new Map<string, number>();
		const record = (events: IDataObject[]) => {
			for (const e of events) sent.set(seqOf(e), (sent.get(seqOf(e)) ?? 0) + 1);
			return events;
		};

		// A backlog of 15,000 events over the last 30 minutes, emitted by the first poll (Include
		// Events Since) and inside every later poll's window: each poll reads two or three pages.
		const since = Date.now() - 30 * MINUTE;
		const backlog = Array.from({ length: 15_000 }, (_, i) => event(since + 1000 + i * 110));
		await addEvents({ events: record(backlog) });

		const trigger = new TriggerHarness({
			parameters: {
				authentication: 'apiKey',
				filters: { eventNames: 'order_created, cart_abandoned' },
				options: { includeEventsSince: new Date(since).toISOString(), lookBackMinutes: 60 },
			},
			credentials: sandbox.credentials,
		});
		// Events of another name are never emitted.
		await addEvents({ events: [event(undefined, 'page_viewed')] });

		const emitted = new Map<string, number>();
		const perPoll: Array<{ emitted: number; requests: number; rereads: number }> = [];
		const poll = async () => {
			const before = sandbox.requests().length;
			const items = emittedOf(await trigger.poll());
			for (const e of items) emitted.set(seqOf(e), (emitted.get(seqOf(e)) ?? 0) + 1);
			// Oldest first within a poll.
			const dates = items.map((e) => Date.parse(e.event_date as string));
			expect(dates).toEqual([...dates].sort((a, b) => a - b));
			const requests = sandbox.requests().slice(before) as LoggedRequest[];
			// Every request of a poll reads the same fixed window, with both dates.
			const windows = new Set(
				requests.map((r) => {
					const q = new URLSearchParams(r.query);
					expect(q.get('startDate')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
					expect(q.get('endDate')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
					expect(q.getAll('event_name')).toEqual(['order_created', 'cart_abandoned']);
					return `${q.get('startDate')} ${q.get('endDate')}`;
				}),
			);
			expect(windows.size).toBeLessThanOrEqual(1);
			const offsets = requests.map((r) => Number(new URLSearchParams(r.query).get('offset')));
			perPoll.push({
				emitted: items.length,
				requests: requests.length,
				rereads: offsets.filter((o, i) => i > 0 && o === 0).length,
			});
		};

		await poll(); // the backlog
		for (let interval = 1; interval <= 10; interval++) {
			const now = Date.now();
			const fresh = Array.from({ length: 930 }, () => event());
			// 5 %: back-dated by up to 10 minutes (a retry, an import).
			const late = Array.from({ length: 50 }, (_, i) =>
				event(now - ((i * 11_987) % (10 * MINUTE))),
			);
			// 10 identical pairs, recorded separately: both copies must come out.
			const pairs = Array.from({ length: 10 }, () => event(now - 5_000));
			await addEvents({ events: record([...fresh, ...late, ...pairs, ...pairs]) });
			// 10 arrive while the poll pages, between its first and second request: half back-dated
			// into the window being read (its pages shift), half fresh.
			const whilePaging = Array.from({ length: 10 }, (_, i) =>
				event(i < 5 ? now - (i + 1) * 60_000 : undefined),
			);
			await addEvents({ events: record(whilePaging), onListCall: 2 });
			await poll();
		}
		// One more poll a second later catches those dated in the last poll's final second.
		await sleep(1100);
		await poll();

		const lost = [...sent].filter(([s, n]) => (emitted.get(s) ?? 0) < n);
		const twice = [...emitted].filter(([s, n]) => n > (sent.get(s) ?? 0));
		const bytes = Buffer.byteLength(JSON.stringify(trigger.staticData));
		const total = [...sent.values()].reduce((a, b) => a + b, 0);
		console.log(
			`trigger: ${total} events sent (15,000 backlog + 10 × 1,000 + 10 × 10 while paging), ` +
				`lost ${lost.length}, emitted twice ${twice.length}; per poll: ${perPoll
					.map(
						(p) =>
							`${p.emitted} items/${p.requests} req${p.rereads ? ` (${p.rereads} re-read)` : ''}`,
					)
					.join(
						', ',
					)}; static data ${bytes} bytes; ${((Date.now() - started) / 1000).toFixed(1)} s`,
		);
		expect(lost).toEqual([]);
		expect(twice).toEqual([]);
		expect([...emitted.values()].reduce((a, b) => a + b, 0)).toBe(total);
		// Arrivals during paging really shifted pages: the window was read again.
		expect(perPoll.slice(1, 11).every((p) => p.rereads >= 1)).toBe(true);
		expect(bytes).toBeLessThanOrEqual(256_000);
	}, 120_000);

	test('first activation starts from now: nothing from before, no request; then only new events', async () => {
		await addEvents({ events: [{ event_name: 'old', identifiers: { contact_id: 1 } }] });
		const trigger = new TriggerHarness({
			parameters: { authentication: 'apiKey' },
			credentials: sandbox.credentials,
		});
		await sleep(1000); // the old event's second is over
		expect(await trigger.poll()).toBeNull();
		expect(sandbox.requests()).toEqual([]);
		await addEvents({ events: [{ event_name: 'new', identifiers: { contact_id: 1 } }] });
		await sleep(1100);
		expect(emittedOf(await trigger.poll()).map((e) => e.event_name)).toEqual(['new']);
		expect(await trigger.poll()).toBeNull();
	});

	test('Fetch Test Event (manual): the newest match, static data untouched', async () => {
		const trigger = new TriggerHarness({
			parameters: { authentication: 'apiKey', filters: { eventNames: 'cart_abandoned' } },
			credentials: sandbox.credentials,
		});
		await trigger.poll(); // an active workflow's state
		await sleep(1100); // events dated after its start
		const state = JSON.parse(JSON.stringify(trigger.staticData));
		const at = (ms: number) => new Date(ms).toISOString();
		await addEvents({
			events: [
				{
					event_name: 'cart_abandoned',
					identifiers: { contact_id: 1 },
					event_date: at(Date.now() - 300),
				},
				{
					event_name: 'cart_abandoned',
					identifiers: { contact_id: 2 },
					event_date: at(Date.now() - 100),
				},
				{ event_name: 'order_created', identifiers: { contact_id: 3 } },
			],
		});
		const items = emittedOf(await trigger.poll('manual'));
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ event_name: 'cart_abandoned', contact_id: 2 });
		expect(trigger.staticData).toEqual(state);
		// Without dates: Brevo's default range, newest first, one event.
		const query = new URLSearchParams(sandbox.requests().at(-1)!.query);
		expect(query.get('limit')).toBe('1');
		expect(query.get('startDate')).toBeNull();
		// The active workflow still emits both events later.
		await sleep(1100);
		const later = emittedOf(await trigger.poll());
		expect(later).toHaveLength(2);
	});

	test('Fetch Test Event with no match says so', async () => {
		const trigger = new TriggerHarness({
			parameters: { authentication: 'apiKey', filters: { eventNames: 'never_sent' } },
			credentials: sandbox.credentials,
		});
		await expect(trigger.poll('manual')).rejects.toThrow(/No event matches the filters/);
	});

	test('OAuth2: the same polls with a Bearer token', async () => {
		const trigger = new TriggerHarness({
			parameters: { authentication: 'oAuth2' },
			credentials: sandbox.oauth2Credentials(),
		});
		expect(await trigger.poll()).toBeNull();
		await addEvents({ events: [{ event_name: 'trial_started', identifiers: { contact_id: 9 } }] });
		await sleep(1100);
		expect(emittedOf(await trigger.poll()).map((e) => e.event_name)).toEqual(['trial_started']);
		const reads = sandbox.requests().filter((r) => r.route === 'GET /events');
		expect(reads.map((r) => r.auth)).toEqual(['bearer']);
	});

	test('invalid filters name the field', async () => {
		const trigger = new TriggerHarness({
			parameters: { authentication: 'apiKey', filters: { contactIds: '12, abc' } },
			credentials: sandbox.credentials,
		});
		await expect(trigger.poll('manual')).rejects.toThrow(/Invalid Filters › Contact IDs: "abc"/);
	});
});

describe('Brevo Event Trigger: rate limits', () => {
	// A sandbox of its own: the quota it reports is remembered for its address.
	const sandbox = useSandbox();

	test('a used-up hourly quota ends the poll with a 429 error; the position is kept', async () => {
		const trigger = new TriggerHarness({
			parameters: { authentication: 'apiKey', options: { lookBackMinutes: 60 } },
			credentials: sandbox.credentials,
		});
		expect(await trigger.poll()).toBeNull();
		await fetch(`${sandbox.server.url}/__sandbox/events`, {
			method: 'POST',
			body: JSON.stringify({ events: [{ event_name: 'kept', identifiers: { contact_id: 1 } }] }),
		});
		await sleep(1100);
		const state = JSON.parse(JSON.stringify(trigger.staticData));
		// Every GET /events answers 429 with x-sib-ratelimit-reset an hour away.
		await sandbox.configure({ throttle: { 'GET /events': 3600_000 } });
		const error = await trigger
			.poll()
			.catch((e: Error & { httpCode?: string; description?: string }) => e);
		expect(error).toBeInstanceOf(Error);
		expect((error as { httpCode?: string }).httpCode).toBe('429');
		expect((error as Error).message).toMatch(
			/^Brevo's rate limit for GET \/events stopped this poll/,
		);
		// A poll has no items: the transport's wording for a request without one.
		expect((error as Error).message).toMatch(/ Nothing was sent\.$/);
		expect((error as { description?: string }).description).toMatch(/position is unchanged/);
		expect(trigger.staticData).toEqual(state);
		// One request, not a wait: the quota resets in an hour.
		expect(sandbox.requests().filter((r) => r.route === 'GET /events')).toHaveLength(1);
	});
});
