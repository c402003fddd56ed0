import type { ServerResponse } from 'node:http';

import { useHostileServer } from '../helpers/hostile-server';
import { runBrevoEventNode } from '../helpers/n8n-engine';

/**
 * Get Many against a local server that pages unlike Brevo, in n8n-core's real engine: nothing of
 * its answers is trusted beyond what was asked, and no answer makes the run loop or grow.
 */
describe('Get Many paging with bounded trust', () => {
	jest.setTimeout(60_000);
	const server = useHostileServer();

	const events = (from: number, n: number) =>
		Array.from({ length: n }, (_, i) => ({
			event_name: 'order_created',
			event_date: '2026-12-01T10:00:00Z',
			contact_id: from + i,
		}));
	const page = (res: ServerResponse, count: number, list: unknown[]) =>
		void res
			.writeHead(200, { 'content-type': 'application/json' })
			.end(JSON.stringify({ count, events: list }));
	const getMany = async (parameters: Record<string, unknown>, continueOnFail = true) =>
		await runBrevoEventNode({
			parameters: { resource: 'event', operation: 'getAll', ...parameters },
			items: [{ json: {} }],
			credentials: server.credentials,
			continueOnFail,
		});
	const offsets = () =>
		server.received.map((r) => new URL(r.url, 'http://x').searchParams.get('offset'));

	test('a page longer than Limit is cut to Limit', async () => {
		server.answerWith((_req, res) => page(res, 20, events(0, 20)));
		const { output } = await getMany({ returnAll: false, limit: 5 });
		expect(output!.map((item) => item.json.contact_id)).toEqual([0, 1, 2, 3, 4]);
		expect(server.received).toHaveLength(1);
	});

	test('Return All against a server that ignores offset and alternates two pages: stops at the first repeat, with what was read', async () => {
		// Guard for the old behaviour (an endless loop): after 40 pages the server runs dry.
		server.answerWith((_req, res, index) =>
			page(res, 1_000_000, index >= 40 ? [] : events(index % 2 === 0 ? 0 : 500, 500)),
		);
		const { output } = await getMany({ returnAll: true });
		expect(offsets()).toEqual(['0', '500', '1000']);
		const error = output!.find((item) => item.json.error !== undefined);
		expect(error?.json.error).toMatch(
			/^GET \/events returned the same 500 events for offset 1000 as for offset 0: the server ignores "offset", so Return All stopped/,
		);
		// The two distinct pages read before the repeat are kept.
		expect(output!.filter((item) => item.json.error === undefined)).toHaveLength(1_000);
	});

	test('more events than the answer’s own count says exist: stops, saying so', async () => {
		server.answerWith((_req, res, index) => page(res, 600, events(index * 500, 500)));
		const { output } = await getMany({ returnAll: true });
		expect(output!.at(-1)!.json.error).toMatch(
			/returned 1000 events by offset 500, more than the 600 its own count says exist/,
		);
		expect(server.received).toHaveLength(2);
	});

	// Found by a hostile-server probe: a null entry crashed the whole execution in n8n's own code
	// (no item, no field), and numbers or lists became items whose json is not an object.
	test('an entry that is not an object stops with an error naming it; the page is not output', async () => {
		server.answerWith((_req, res) => page(res, 3, [...events(0, 1), null, ...events(2, 1)]));
		const { output, error } = await getMany({ returnAll: false, limit: 10 });
		expect(error).toBeUndefined();
		expect(output).toEqual([
			{
				json: expect.objectContaining({
					error:
						'The answer to GET /events lists null among its events (at 1), not an object: Get Many stopped',
				}),
				pairedItem: { item: 0 },
			},
		]);
	});

	// Found by the same probe: Return All ended at the first short page, 100 of 1,000, silently.
	test('a server that lists fewer per page than asked: Return All pages on to its count', async () => {
		server.answerWith((req, res) => {
			const offset = Number(new URL(req.url, 'http://x').searchParams.get('offset'));
			page(res, 1_000, events(offset, Math.max(0, Math.min(100, 1_000 - offset))));
		});
		const { output } = await getMany({ returnAll: true });
		expect(output!.map((item) => item.json.contact_id)).toEqual([...Array(1_000).keys()]);
		expect(offsets()).toEqual([...Array(10).keys()].map((page) => String(page * 100)));
	});
});
