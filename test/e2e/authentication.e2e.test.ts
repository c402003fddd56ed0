import { sleep } from 'n8n-workflow';

import seedEvent from '../fixtures/seed-event.json';
import { TEST_KEYS as testKeys } from '../helpers/keys';
import { SANDBOX_API_KEY, TOKEN_ROUTE, useSandbox } from '../helpers/sandbox';
import { N8nCli, nodeOutput } from './n8n/cli';
import { N8nServer } from './n8n/server';
import * as workflows from './n8n/workflows';

/**
 * Both authentications in a real n8n 2.41.1 (workflows run as the editor runs them), against the sandbox: OAuth2 client
 * credentials through n8n's own OAuth2 handling (token fetched from the sandbox's token endpoint,
 * stored in the credential, sent as Bearer, renewed when Brevo answers 401), a key restricted to
 * events, an expired key.
 */
describe('authentication in a real n8n', () => {
	const sandbox = useSandbox();
	let n8n: N8nCli;
	let server: N8nServer;

	beforeAll(async () => {
		n8n = new N8nCli();
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
			workflows.seedExampleOAuth2(),
			workflows.seedExampleEventsOnlyKey(),
			workflows.seedExampleExpiredKey(),
			workflows.mappedOrdersOAuth2(20, 5),
		]);
	}, 15 * 60_000);
	afterAll(async () => {
		await server?.stop();
		n8n?.cleanup();
	});

	/** Requests from index `from` on, as "route status auth [error]". */
	const trail = (from = 0) =>
		sandbox
			.requests()
			.slice(from)
			.map((r) => [r.route, r.status, r.auth, r.error].filter(Boolean).join(' '));

	const succeeded = async (id: string) => {
		const result = await server.execute(id);
		expect({ code: result.code, stderr: result.code === 0 ? '' : result.stderr }).toEqual({
			code: 0,
			stderr: '',
		});
		return result;
	};

	test('OAuth2: the seed example fetches a token, sends it as Bearer and is stored exactly', async () => {
		const { run } = await succeeded('brevoSeedOAuth2');
		// The token n8n stored in an earlier test is unknown to the reset sandbox: n8n renews it first.
		const fromTokenRequest = trail().slice(trail().indexOf(`${TOKEN_ROUTE} 200`));
		expect(fromTokenRequest).toEqual([`${TOKEN_ROUTE} 200`, 'POST /events 204 bearer']);
		expect(sandbox.stored()).toHaveLength(1);
		expect(JSON.stringify(sandbox.stored()[0].event)).toBe(JSON.stringify(seedEvent));
		expect(nodeOutput(run, 'Brevo Event')).toEqual([
			{
				json: { success: true, status: 'stored', statusCode: 204, event: seedEvent },
				pairedItem: { item: 0 },
			},
		]);
	});

	test('OAuth2: a token that expires between two executions is renewed on Brevo’s 401', async () => {
		await sandbox.configure({ tokenTtlMs: 1500 });
		await succeeded('brevoSeedOAuth2');
		const first = sandbox.requests().length;
		expect(trail().at(-1)).toBe('POST /events 204 bearer');
		await sleep(2000);
		await succeeded('brevoSeedOAuth2');
		expect(trail(first)).toEqual([
			'POST /events 401 bearer Access token expired',
			`${TOKEN_ROUTE} 200`,
			'POST /events 204 bearer',
		]);
		expect(sandbox.stored()).toHaveLength(2);
		for (const { event } of sandbox.stored())
			expect(JSON.stringify(event)).toBe(JSON.stringify(seedEvent));
	});

	test('OAuth2: a run that outlives its token (20 events at 5/s, 1.5 s tokens) renews it and stores every event once', async () => {
		await sandbox.configure({ tokenTtlMs: 1500 });
		const { run } = await succeeded('brevoMappedOAuth2');
		const seqs = sandbox
			.stored()
			.map(({ event }) => (event.event_properties as { seq: number }).seq)
			.sort((a, b) => a - b);
		expect(seqs).toEqual([...Array(20).keys()]);
		const tokenRequests = trail().filter((t) => t.startsWith(TOKEN_ROUTE));
		expect(tokenRequests.length).toBeGreaterThanOrEqual(2);
		expect(tokenRequests.every((t) => t === `${TOKEN_ROUTE} 200`)).toBe(true);
		expect(trail()).toContain('POST /events 401 bearer Access token expired');
		const output = nodeOutput(run, 'Brevo Event') as Array<{ json: { success?: boolean } }>;
		expect(output.filter((item) => item.json.success)).toHaveLength(20);
	});

	test('an API key restricted to events stores the seed example', async () => {
		await succeeded('brevoSeedEventsOnly');
		expect(trail()).toEqual(['POST /events 204 api-key']);
		expect(JSON.stringify(sandbox.stored()[0]?.event)).toBe(JSON.stringify(seedEvent));
	});

	test('an expired API key: the workflow fails with an error that says so, no key anywhere', async () => {
		const { code, run, stdout, stderr } = await server.execute('brevoSeedExpiredKey');
		expect(code).toBe(1);
		const error = run?.data?.resultData?.error as { message?: string; description?: string };
		expect(error?.message).toBe('Brevo answered 401 unauthorized: API key expired [item 0]');
		expect(error?.description).toContain('wrong, expired or revoked');
		for (const text of [stdout, stderr, JSON.stringify(run)]) {
			expect(text).not.toContain(testKeys.expired);
		}
		expect(sandbox.stored()).toHaveLength(0);
	});

	// Last, so that it reads every run above, and n8n's boot and imports too.
	test('nothing n8n logged from its start to here shows a key, a client secret or a token', () => {
		const log = server.wholeLog();
		expect(log).toContain('API key expired'); // the expired key's run is in it
		for (const secret of [
			SANDBOX_API_KEY,
			testKeys.wrong,
			testKeys.eventsOnly,
			testKeys.expired,
			testKeys.oauthClientSecret,
		])
			expect(log).not.toContain(secret);
		expect(log).not.toMatch(/sandbox-token-[0-9a-f]{24}/);
	});
});
