import { request } from 'node:http';

import { useSandbox } from '../helpers/sandbox';

/** The sandbox stays up whatever a client sends, and only local programs may steer it. */
describe('the Brevo sandbox', () => {
	const sandbox = useSandbox();

	const alive = async () => (await fetch(`${sandbox.server.url}/__sandbox/stats`)).status;

	test('invalid JSON to the control API is a 400, and the sandbox keeps serving', async () => {
		const response = await fetch(`${sandbox.server.url}/__sandbox/config`, {
			method: 'POST',
			body: '{not json',
		});
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({
			code: 'invalid_parameter',
			message: 'config is not valid JSON',
		});
		expect(await alive()).toBe(200);
	});

	test('a client that aborts in the middle of its body does not take the sandbox down', async () => {
		await new Promise<void>((resolve) => {
			const req = request(`${sandbox.baseUrl}/events`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'content-length': '1000' },
			});
			req.on('error', () => resolve());
			req.write('{"event_name": "half');
			setTimeout(() => {
				req.destroy();
				resolve();
			}, 50);
		});
		expect(await alive()).toBe(200);
		expect(sandbox.stored()).toEqual([]);
	});

	test('the control API refuses cross-origin requests (a web page always sends Origin)', async () => {
		const response = await fetch(`${sandbox.server.url}/__sandbox/reset`, {
			method: 'POST',
			headers: { origin: 'https://evil.example' },
		});
		expect(response.status).toBe(403);
		const events = await fetch(`${sandbox.server.url}/__sandbox/events`, {
			headers: { origin: 'https://evil.example' },
		});
		expect(events.status).toBe(403);
	});
});

interface Listed {
	count: number;
	events: Array<{ event_name: string; event_date: string }>;
}

/** GET /events as Brevo documents it, and events scheduled by tests (the trigger's source). */
describe('the Brevo sandbox: GET /events and scheduled events', () => {
	const sandbox = useSandbox();

	const list = async (query: string) => {
		const response = await fetch(`${sandbox.baseUrl}/events?${query}`, {
			headers: { 'api-key': sandbox.credentials.apiKey },
		});
		return { status: response.status, body: (await response.json()) as Listed };
	};
	const schedule = async (body: object) =>
		await fetch(`${sandbox.server.url}/__sandbox/events`, {
			method: 'POST',
			body: JSON.stringify(body),
		});
	/** A time `seconds` after a base one hour ago, in Brevo's format (within the default 6 months). */
	const ago = (seconds: number, offset = '+00:00') => {
		const iso = new Date(Math.floor(Date.now() / 3600_000) * 3600_000 - 3600_000 + seconds * 1000)
			.toISOString()
			.replace(/\.\d{3}Z$/, '');
		if (offset === '+00:00') return `${iso}+00:00`;
		const shifted = new Date(Date.parse(`${iso}Z`) + 2 * 3600_000).toISOString().slice(0, 19);
		return `${shifted}${offset}`;
	};
	const event = (name: string, date: string, contact = 1) => ({
		event_name: name,
		identifiers: { contact_id: contact },
		event_date: date,
	});

	test('newest event_date first whatever the arrival order; offset/limit pages; count is the total', async () => {
		expect(
			(
				await schedule({
					events: [
						event('b', ago(2)),
						event('a', ago(1)),
						event('c', ago(3, '+02:00')), // the latest, in another zone
					],
				})
			).status,
		).toBe(202);
		const all = await list('limit=10');
		expect(all.body.count).toBe(3);
		expect(all.body.events.map((e) => e.event_name)).toEqual(['c', 'b', 'a']);
		const second = await list('limit=2&offset=2');
		expect(second.body.events.map((e) => e.event_name)).toEqual(['a']);
		expect(second.body.count).toBe(3);
	});

	test('startDate/endDate: both or neither, YYYY-MM-DD or RFC3339, inclusive bounds', async () => {
		await schedule({
			events: [
				event('a', '2026-01-01T10:00:00+00:00'),
				event('b', '2026-01-01T10:00:05+00:00'),
				event('c', '2026-01-02T00:00:00+00:00'),
			],
		});
		expect((await list('startDate=2026-01-01')).status).toBe(400);
		expect((await list('endDate=2026-01-01')).status).toBe(400);
		// A "+" sent unencoded arrives as a space: not RFC3339, refused rather than read as no date.
		expect(
			(await list('startDate=2026-01-01T10:00:00+00:00&endDate=2026-01-01T10:00:05+00:00')).status,
		).toBe(400);
		expect((await list('startDate=yesterday&endDate=today')).status).toBe(400);
		const window = await list(
			`startDate=${encodeURIComponent('2026-01-01T10:00:00+00:00')}&endDate=${encodeURIComponent('2026-01-01T10:00:05Z')}`,
		);
		expect(window.body.events.map((e) => e.event_name)).toEqual(['b', 'a']);
		const days = await list('startDate=2026-01-01&endDate=2026-01-01');
		expect(days.body.events.map((e) => e.event_name)).toEqual(['b', 'a']);
	});

	test('limit 1–10000, filters repeat', async () => {
		await schedule({
			events: [event('a', ago(0), 1), event('b', ago(1), 2), event('c', ago(2), 3)],
		});
		expect((await list('limit=0')).status).toBe(400);
		expect((await list('limit=10001')).status).toBe(400);
		expect((await list('limit=10000')).status).toBe(200);
		const named = await list('event_name=a&event_name=c');
		expect(named.body.events.map((e) => e.event_name)).toEqual(['c', 'a']);
		const byContact = await list('contact_id=2');
		expect(byContact.body.events.map((e) => e.event_name)).toEqual(['b']);
	});

	test('scheduled events arrive later (inMs) or on the n-th next GET /events, before its answer', async () => {
		const past = new Date(Date.now() - 5 * 60_000).toISOString();
		await schedule({
			schedule: [
				{ events: [event('later', past)], inMs: 150 },
				{ events: [event('on-second-list', past)], onListCall: 2 },
			],
		});
		expect((await list('limit=10')).body.count).toBe(0);
		const second = await list('limit=10');
		expect(second.body.events.map((e) => e.event_name)).toEqual(['on-second-list']);
		await new Promise((resolve) => setTimeout(resolve, 300));
		const third = await list('limit=10');
		expect(third.body.events.map((e) => e.event_name).sort()).toEqual(['later', 'on-second-list']);
		// Back-dated: listed with the date it was sent with.
		expect(third.body.events[0].event_date).toBe(past);
		// Brevo's rules apply to scheduled events too.
		expect((await schedule({ events: [{ event_name: 'x y', identifiers: {} }] })).status).toBe(400);
	});

	test('reset cancels scheduled events', async () => {
		await schedule({ events: [event('never', '2026-01-01T10:00:00Z')], inMs: 100 });
		sandbox.server.reset();
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(sandbox.stored()).toEqual([]);
	});
});
