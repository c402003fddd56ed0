import { sleep } from 'n8n-workflow';

import seedEvent from '../fixtures/seed-event.json';
import { SANDBOX_API_KEY, TOKEN_ROUTE, useSandbox } from '../helpers/sandbox';
import { TEST_KEYS as testKeys } from '../helpers/keys';
import { N8nCli, nodeOutput } from './n8n/cli';
import { N8nServer } from './n8n/server';
import * as workflows from './n8n/workflows';

/**
 * Compatibility: the seed example in the last n8n 1.x (1.123.81), installed the same way. n8n 1.x
 * runs expressions in isolated-vm 6, which has prebuilt binaries for Node 22 and 24 only, so this
 * runs on the same Node 24 as n8n 2.x (see README "Compatibility").
 */
describe('Brevo Event in n8n 1.x', () => {
	const sandbox = useSandbox();
	let n8n: N8nCli;
	let server: N8nServer;

	beforeAll(async () => {
		n8n = new N8nCli({ variant: 'n8n-1' });
		n8n.installPackage();
		server = await N8nServer.start(n8n, { ownerPassword: testKeys.ownerPassword });
		await server.importCredentials([
			...workflows.credentials(sandbox.baseUrl, SANDBOX_API_KEY, testKeys.wrong),
			...workflows.authCredentials(sandbox.server.url, {
				clientId: testKeys.oauthClientId,
				clientSecret: testKeys.oauthClientSecret,
				eventsOnlyKey: testKeys.eventsOnly,
				expiredKey: testKeys.expired,
			}),
		]);
		await server.importWorkflows([
			workflows.seedExample(),
			workflows.mixedWithContinueOnFail(),
			workflows.seedExampleOAuth2(),
		]);
	}, 15 * 60_000);
	afterAll(async () => {
		await server?.stop();
		n8n?.cleanup();
	});

	test('the seed example is stored exactly as Brevo documents it', async () => {
		const { code, run, stderr } = await server.execute('brevoSeedExample');
		expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
		expect(JSON.stringify(sandbox.stored()[0]?.event)).toBe(JSON.stringify(seedEvent));
		expect(nodeOutput(run, 'Brevo Event')).toEqual([
			{
				json: { success: true, status: 'stored', statusCode: 204, event: seedEvent },
				pairedItem: { item: 0 },
			},
		]);
	});

	test('bad items with Continue On Fail become paired error items there too', async () => {
		const { code, run } = await server.execute('brevoContinueFail');
		expect(code).toBe(0);
		const output = nodeOutput(run, 'Brevo Event') as Array<{ json: Record<string, unknown> }>;
		expect(output.map((item) => item.json.success ?? 'error')).toEqual([
			true,
			'error',
			true,
			'error',
			'error',
			true,
		]);
		expect(sandbox.stored()).toHaveLength(3);
	});

	test('OAuth2: the seed example is stored with a Bearer token, renewed once it expired', async () => {
		await sandbox.configure({ tokenTtlMs: 1500 });
		expect((await server.execute('brevoSeedOAuth2')).code).toBe(0);
		const first = sandbox.requests().length;
		await sleep(2000);
		expect((await server.execute('brevoSeedOAuth2')).code).toBe(0);
		expect(
			sandbox
				.requests()
				.slice(first)
				.map((r) => `${r.route} ${r.status} ${r.auth ?? ''}`.trim()),
		).toEqual(['POST /events 401 bearer', `${TOKEN_ROUTE} 200`, 'POST /events 204 bearer']);
		expect(sandbox.stored().map(({ event }) => JSON.stringify(event))).toEqual([
			JSON.stringify(seedEvent),
			JSON.stringify(seedEvent),
		]);
	});
});
