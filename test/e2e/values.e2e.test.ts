import { TEST_KEYS as testKeys } from '../helpers/keys';
import { SANDBOX_API_KEY, useSandbox } from '../helpers/sandbox';
import { N8nCli, nodeOutput } from './n8n/cli';
import { N8nServer } from './n8n/server';
import * as workflows from './n8n/workflows';

/**
 * A few unusual values in a real n8n 2.41.1: NaN from an expression, a yyyyMMdd date, and a
 * category attribute in Brevo's 2026 shape (valueStr). Exact on the wire, or an error item.
 */
describe('unusual values in a real n8n', () => {
	const sandbox = useSandbox({ logBodies: true });
	let n8n: N8nCli;
	let server: N8nServer;

	const items = [
		{ email: 'ok@example.com', age: '30', language: 'French', day: '20240124' },
		{ email: 'nan@example.com', age: 'thirty', language: 'French', day: '20240124' },
		{ email: 'de@example.com', age: '30', language: 'de', day: '20240124' },
		{ email: 'year@example.com', age: '30', language: 'en', day: '2024' },
	];

	beforeAll(async () => {
		n8n = new N8nCli();
		n8n.installPackage();
		server = await N8nServer.start(n8n, { ownerPassword: testKeys.ownerPassword });
		await server.importCredentials(
			workflows.credentials(sandbox.baseUrl, SANDBOX_API_KEY, testKeys.wrong),
		);
		await server.importWorkflows([
			workflows.workflow('brevoValues', 'Brevo Event: unusual values', [
				workflows.trigger(),
				workflows.code(`return ${JSON.stringify(items)}.map((json) => ({ json }));`),
				workflows.brevoEvent(
					{
						resource: 'event',
						operation: 'create',
						eventName: 'profile_updated',
						identifiers: { emailId: '={{ $json.email }}' },
						specifyContactProperties: 'keypair',
						contactProperties: {
							property: [
								{ name: 'AGE', type: 'number', value: '={{ Number($json.age) }}' },
								{ name: 'LANGUAGE', type: 'attribute', value: '={{ $json.language }}' },
							],
						},
						additionalFields: { eventDate: '={{ $json.day }}' },
						options: {},
					},
					{ continueOnFail: true },
				),
			]),
		]);
	}, 15 * 60_000);
	afterAll(async () => {
		await server?.stop();
		n8n?.cleanup();
	});

	test('NaN refused, yyyyMMdd read as a day, a category sent as its valueStr', async () => {
		const { code, run } = await server.execute('brevoValues');
		expect(code).toBe(0);
		const output = nodeOutput(run, 'Brevo Event') as Array<{
			json: Record<string, unknown>;
			pairedItem: { item: number };
		}>;
		expect(output.map((item) => item.pairedItem.item)).toEqual([0, 1, 2, 3]);
		expect(output.map((item) => item.json.success ?? item.json.error)).toEqual([
			true,
			'Invalid Contact Properties › AGE in item 1: is NaN ("not a number"), which JSON cannot carry: Brevo would receive null',
			'Invalid Contact Properties › LANGUAGE in item 2: "de" is not one of the options of category attribute LANGUAGE',
			'Invalid Event Date in item 3: "2024" is a year alone, not a date',
		]);
		const posts = sandbox.requests().filter((request) => request.route === 'POST /events');
		expect(posts).toHaveLength(1);
		// The instance's time zone decides the offset of midnight; the day is the one given.
		expect(posts[0].body).toMatch(
			/^\{"event_name":"profile_updated","identifiers":\{"email_id":"ok@example\.com"\},"event_date":"2024-01-24T00:00:00[+-]\d{2}:\d{2}","contact_properties":\{"AGE":30,"LANGUAGE":"fr"\}\}$/,
		);
		expect(JSON.stringify(output[0].json.event)).toBe(posts[0].body);
	});
});
