import seedEvent from '../fixtures/seed-event.json';
import { TEST_KEYS as testKeys } from '../helpers/keys';
import { runBrevoEventNode } from '../helpers/n8n-engine';
import { SANDBOX_API_KEY, useSandbox } from '../helpers/sandbox';

/**
 * The node inside n8n-core's real execution engine, posting over real HTTP to the Brevo sandbox on
 * 127.0.0.1, which validates every request against Brevo's documented contract.
 */
describe('Create in the n8n engine against the Brevo sandbox', () => {
	const sandbox = useSandbox();

	/** The seed example with every value mapped from the input item by an expression. */
	const mappedSeedParameters = {
		resource: 'event',
		operation: 'create',
		eventName: '={{ $json.event }}',
		identifiers: {
			emailId: '={{ $json.email }}',
			extId: '={{ $json.externalId }}',
			phoneId: '={{ $json.phone }}',
		},
		specifyContactProperties: 'keypair',
		contactProperties: {
			property: [
				{ name: 'FIRSTNAME', type: 'string', value: '={{ $json.firstName }}' },
				{ name: 'LASTNAME', type: 'string', value: '={{ $json.lastName }}' },
				{ name: 'AGE', type: 'number', value: '={{ $json.age }}' },
				{ name: 'GENDER', type: 'string', value: '={{ $json.gender.toUpperCase() }}' },
			],
		},
		specifyEventProperties: 'keypair',
		eventProperties: {
			property: [
				{ name: 'video_title', type: 'string', value: '={{ $json.video.title }}' },
				{ name: 'video_description', type: 'string', value: '={{ $json.video.description }}' },
				{ name: 'duration', type: 'number', value: '={{ $json.video.seconds }}' },
				{ name: 'autoplayed', type: 'boolean', value: '={{ $json.video.autoplay }}' },
				{ name: 'upload_date', type: 'date', value: '={{ $json.video.uploaded }}' },
			],
		},
	};

	const seedItem = (overrides: Record<string, unknown> = {}) => ({
		json: {
			event: 'video_played',
			email: 'jane.doe@example.com',
			externalId: 'ext_09887',
			phone: '',
			firstName: 'Jane',
			lastName: 'Doe',
			age: '32',
			gender: 'female',
			video: {
				title: 'Brevo — The most approachable CRM suite',
				description: 'Create your free account today!',
				seconds: 142,
				autoplay: false,
				uploaded: '2023-11-24T12:09:10+01:00',
			},
			...overrides,
		},
	});

	test('the seed example, mapped by expressions, is stored exactly as the seed body', async () => {
		const { output, error } = await runBrevoEventNode({
			parameters: mappedSeedParameters,
			items: [seedItem()],
			credentials: sandbox.credentials,
		});

		expect(error).toBeUndefined();
		expect(sandbox.stored()).toHaveLength(1);
		expect(JSON.stringify(sandbox.stored()[0].event)).toBe(JSON.stringify(seedEvent));
		expect(sandbox.requests().every((request) => request.apiKey)).toBe(true);
		expect(output).toEqual([
			{
				json: { success: true, status: 'stored', statusCode: 204, event: seedEvent },
				pairedItem: { item: 0 },
			},
		]);
	});

	test('each event carries its own item values; a bad item becomes a paired error item and is not sent', async () => {
		const items = [
			seedItem({ email: 'a@example.com', age: 30 }),
			seedItem({ email: 'b@example.com', age: 'thirty-one' }),
			seedItem({ email: 'c@example.com', age: 32, event: 'video_paused' }),
		];
		const { output, error } = await runBrevoEventNode({
			parameters: mappedSeedParameters,
			items,
			credentials: sandbox.credentials,
			continueOnFail: true,
		});

		expect(error).toBeUndefined();
		expect(output).toHaveLength(3);
		expect(output!.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output![1].json.error).toBe(
			'Invalid Contact Properties › AGE in item 1: "thirty-one" is not a number',
		);
		const stored = sandbox
			.stored()
			.map(({ event }) => [
				event.event_name,
				(event.identifiers as { email_id: string }).email_id,
				(event.contact_properties as { AGE: number }).AGE,
			]);
		expect(stored).toEqual([
			['video_played', 'a@example.com', 30],
			['video_paused', 'c@example.com', 32],
		]);
		expect(sandbox.requests()).toHaveLength(2);
	});

	test("one contact's events reach Brevo in item order, several requests on their way at once", async () => {
		// Room for 100 requests per second and 40 ms per answer: about four requests in flight, and no
		// 429 (a request retried after a 429 goes after those already started: see the README).
		await sandbox.configure({
			latencyMs: 40,
			rateLimits: { 'POST /events': { limit: 1000, windowMs: 1000 } },
		});
		const steps = Array.from({ length: 24 }, (_, index) => `step_${index}`);
		const { output, error } = await runBrevoEventNode({
			parameters: { ...mappedSeedParameters, options: { requestsPerSecond: 100 } },
			items: steps.map((event) => seedItem({ event })),
			credentials: sandbox.credentials,
		});

		expect(error).toBeUndefined();
		expect(output!.every((item) => item.json.status === 'stored')).toBe(true);
		expect(sandbox.requests().map((request) => request.status)).toEqual(steps.map(() => 204));
		expect(sandbox.stored().map(({ event }) => event.event_name)).toEqual(steps);
	});

	test('a wrong API key fails with a clear error, and the key is not echoed', async () => {
		const wrongKey = testKeys.wrong;
		const { error, run } = await runBrevoEventNode({
			parameters: mappedSeedParameters,
			items: [seedItem()],
			credentials: { ...sandbox.credentials, apiKey: wrongKey },
		});

		expect(error?.message).toBe('Brevo answered 401 unauthorized: Key not found [item 0]');
		expect(error?.description).toMatch(/Brevo refused the API key .*wrong, expired or revoked/);
		expect(sandbox.stored()).toHaveLength(0);
		const everything = JSON.stringify(run);
		expect(everything).not.toContain(wrongKey);
		expect(everything).not.toContain(SANDBOX_API_KEY);
	});

	test('through 429 bursts, 5xx answers and dropped connections: one output per item, each event stored once', async () => {
		await sandbox.configure({
			faults: { 'POST /events': ['500', 'ok', 'drop', 'ok', '503', 'ok', 'ok', '502'] },
			throttle: { 'POST /events': 1200 },
		});
		const items = Array.from({ length: 20 }, (_, i) =>
			seedItem({ email: `fault${i}@example.com` }),
		);
		const { output, error } = await runBrevoEventNode({
			parameters: { ...mappedSeedParameters, options: { requestsPerSecond: 50 } },
			items,
			credentials: sandbox.credentials,
		});

		expect(error).toBeUndefined();
		const statuses = sandbox.requests().map((r) => r.status);
		expect(statuses).toEqual(expect.arrayContaining([429, 500, 503, 502, -1]));
		expect(output!.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		expect(output!.every((item) => item.json.success === true)).toBe(true);
		const emails = sandbox
			.stored()
			.map(({ event }) => (event.identifiers as { email_id: string }).email_id);
		expect(emails.sort()).toEqual(items.map((item) => item.json.email as string).sort());
	}, 30_000);

	test('n8n dates from expressions ($now-style luxon values) are sent as ISO 8601 with offset', async () => {
		const { output } = await runBrevoEventNode({
			parameters: {
				...mappedSeedParameters,
				specifyContactProperties: 'none',
				specifyEventProperties: 'none',
				additionalFields: {
					eventDate: "={{ DateTime.fromISO('2024-01-24T17:39:57', { zone: 'Asia/Tokyo' }) }}",
				},
			},
			items: [seedItem()],
			credentials: sandbox.credentials,
		});
		expect(output![0].json.success).toBe(true);
		expect(sandbox.stored()[0].event.event_date).toBe('2024-01-24T17:39:57+09:00');
	});
});
