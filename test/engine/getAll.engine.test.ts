import { runBrevoEventNode } from '../helpers/n8n-engine';
import { useSandbox } from '../helpers/sandbox';

/** Get Many in n8n-core's engine, reading back what Create stored in the sandbox. */
describe('Get Many against the sandbox', () => {
	// No reset between tests: they all read the events stored once below.
	const sandbox = useSandbox({ reset: false });
	// Brevo (and the sandbox) return the last 6 months by default: date the events yesterday.
	const base = Math.floor(Date.now() / 3_600_000) * 3600 - 86_400;
	const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

	beforeAll(async () => {
		// 1,200 events: 2 names × 600, one contact per ext_id, dated one minute apart.
		const { error } = await runBrevoEventNode({
			parameters: {
				resource: 'event',
				operation: 'create',
				eventName: '={{ $json.name }}',
				identifiers: { extId: '={{ $json.user }}' },
				specifyEventProperties: 'keypair',
				eventProperties: { property: [{ name: 'seq', type: 'number', value: '={{ $json.seq }}' }] },
				additionalFields: { eventDate: '={{ $json.at }}' },
				options: { sendMode: 'batch', requestsPerSecond: 100 },
			},
			items: Array.from({ length: 1200 }, (_, seq) => ({
				json: {
					seq,
					at: base + seq * 60,
					name: seq % 2 ? 'video_played' : 'order_created',
					user: `u-${seq % 3}`,
				},
			})),
			credentials: sandbox.credentials,
		});
		expect(error).toBeUndefined();
	}, 30_000);

	const getMany = async (
		parameters: Record<string, unknown>,
		items = [{ json: {} }],
		continueOnFail = false,
	) =>
		await runBrevoEventNode({
			parameters: { resource: 'event', operation: 'getAll', ...parameters },
			items,
			credentials: sandbox.credentials,
			continueOnFail,
			timezone: 'UTC',
		});
	const seqOf = (item: { json: Record<string, unknown> }) =>
		(item.json.event_properties as { seq: number }).seq;
	const eventRequests = () => sandbox.requests().filter((r) => r.route === 'GET /events');

	test('Limit: the newest events first, one item each, paired with the input item', async () => {
		const { output } = await getMany({
			returnAll: false,
			limit: 5,
			filters: { eventNames: 'order_created' },
		});
		expect(output!.map(seqOf)).toEqual([1198, 1196, 1194, 1192, 1190]);
		expect(output!.every((item) => item.json.event_name === 'order_created')).toBe(true);
		expect(output!.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	test('Return All pages through limit/offset until every match is read', async () => {
		const before = eventRequests().length;
		const { output } = await getMany({ returnAll: true, filters: {} });
		expect(output).toHaveLength(1200);
		expect(new Set(output!.map(seqOf)).size).toBe(1200);
		expect(eventRequests().length - before).toBe(3);
	});

	test('filters by several event names, contact IDs and a date range, sent as Brevo expects', async () => {
		const { output } = await getMany({
			returnAll: true,
			filters: {
				eventNames: 'order_created, video_played',
				contactIds: '1',
				startDate: iso(base),
				endDate: iso(base + 59 * 60),
			},
		});
		// seq 0–59 fall in the hour; contact 1 is ext_id u-0 (seq % 3 === 0).
		expect(output!.map(seqOf).sort((a, b) => a - b)).toEqual(
			[...Array(60).keys()].filter((s) => s % 3 === 0),
		);
		const query = eventRequests().at(-1)!.query as unknown as string;
		expect(query).toContain('event_name=order_created&event_name=video_played');
		expect(query).toContain(
			`startDate=${encodeURIComponent(iso(base).replace('.000Z', '+00:00'))}`,
		);
	});

	test('each input item runs its own query; outputs are paired with their item', async () => {
		const { output } = await getMany(
			{ returnAll: false, limit: 2, filters: { eventNames: '={{ $json.name }}' } },
			[{ json: { name: 'video_played' } }, { json: { name: 'order_created' } }],
		);
		expect(output!.map((item) => [item.pairedItem, item.json.event_name])).toEqual([
			[{ item: 0 }, 'video_played'],
			[{ item: 0 }, 'video_played'],
			[{ item: 1 }, 'order_created'],
			[{ item: 1 }, 'order_created'],
		]);
	});

	test('a start date without end date is refused before asking Brevo; with Continue On Fail it is an error item', async () => {
		const before = eventRequests().length;
		const { output } = await getMany(
			{ returnAll: true, filters: { startDate: '2024-01-01' } },
			[{ json: {} }],
			true,
		);
		expect(output).toEqual([
			{
				json: {
					error:
						'Invalid Filters › End Date in item 0: is needed too: Brevo takes a start and an end date together, or neither',
					details: { itemIndex: 0 },
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(eventRequests().length).toBe(before);
	});
});
