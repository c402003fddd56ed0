import { sleep } from 'n8n-workflow';

import seedEvent from '../fixtures/seed-event.json';
import seedParameters from '../fixtures/seed-parameters.json';
import { TEST_KEYS as testKeys } from '../helpers/keys';
import { runBrevoEventNode, TestCredentialsHelper } from '../helpers/n8n-engine';
import { TOKEN_ROUTE, useSandbox } from '../helpers/sandbox';

/**
 * Both authentications inside n8n-core's real engine: for OAuth2, n8n-core's own OAuth2 helper
 * (requestOAuth2 + @n8n/client-oauth2) fetches the token from the sandbox's token endpoint, signs
 * requests with it and renews it on a 401; restricted and expired API keys get Brevo's refusals.
 */
describe('authentication, in n8n-core', () => {
	const sandbox = useSandbox();
	const oauth2 = { ...seedParameters, authentication: 'oAuth2' };
	const seedItem = [{ json: {} }];
	const trail = () =>
		sandbox.requests().map((r) => `${r.route} ${r.status} ${r.auth ?? ''}`.trim());

	test('OAuth2: the token is fetched once, sent as Bearer, and the seed event stored exactly', async () => {
		const helper = new TestCredentialsHelper(sandbox.oauth2Credentials());
		const { output, error } = await runBrevoEventNode({
			parameters: oauth2,
			items: seedItem,
			credentials: {},
			credentialsHelper: helper,
		});
		expect(error).toBeUndefined();
		expect(output?.[0].json).toMatchObject({ success: true, status: 'stored' });
		expect(JSON.stringify(sandbox.stored()[0].event)).toBe(JSON.stringify(seedEvent));
		expect(trail()).toEqual([`${TOKEN_ROUTE} 200`, 'POST /events 204 bearer']);
		// n8n keeps the token in the credential for the next run.
		expect(helper.storedTokens).toHaveLength(1);
		expect(helper.storedTokens[0]).toMatchObject({
			token_type: 'Bearer',
			scope: 'events:write events:read contacts:read',
		});
	});

	test('OAuth2: a token that expired between two runs is renewed on Brevo’s 401 and the event resent', async () => {
		await sandbox.configure({ tokenTtlMs: 400 });
		const helper = new TestCredentialsHelper(sandbox.oauth2Credentials());
		const run = () =>
			runBrevoEventNode({
				parameters: oauth2,
				items: seedItem,
				credentials: {},
				credentialsHelper: helper,
			});
		expect((await run()).error).toBeUndefined();
		await sleep(500);
		const second = await run();
		expect(second.error).toBeUndefined();
		expect(second.output?.[0].json).toMatchObject({ success: true, status: 'stored' });
		expect(trail()).toEqual([
			`${TOKEN_ROUTE} 200`,
			'POST /events 204 bearer',
			'POST /events 401 bearer',
			`${TOKEN_ROUTE} 200`,
			'POST /events 204 bearer',
		]);
		expect(sandbox.stored()).toHaveLength(2);
		expect(helper.storedTokens).toHaveLength(2);
		expect(helper.storedTokens[1].access_token).not.toBe(helper.storedTokens[0].access_token);
	});

	test('OAuth2: a revoked token is replaced the same way', async () => {
		const helper = new TestCredentialsHelper(sandbox.oauth2Credentials());
		const run = () =>
			runBrevoEventNode({
				parameters: oauth2,
				items: seedItem,
				credentials: {},
				credentialsHelper: helper,
			});
		await run();
		await sandbox.configure({ revokeTokens: true });
		expect((await run()).error).toBeUndefined();
		expect(trail().slice(2)).toEqual([
			'POST /events 401 bearer',
			`${TOKEN_ROUTE} 200`,
			'POST /events 204 bearer',
		]);
		expect(sandbox.stored()).toHaveLength(2);
	});

	test('OAuth2: a token Brevo refuses even when fresh is a clear 401 error, sent once more at most', async () => {
		// Every token is expired on arrival: n8n renews once, then gives up.
		await sandbox.configure({ tokenTtlMs: 0 });
		const { error } = await runBrevoEventNode({
			parameters: oauth2,
			items: seedItem,
			credentials: {},
			credentialsHelper: new TestCredentialsHelper(sandbox.oauth2Credentials()),
		});
		expect(error?.message).toBe('Brevo answered 401 unauthorized: Access token expired [item 0]');
		expect(error?.description).toContain('even after n8n fetched a new one');
		expect(trail()).toEqual([
			`${TOKEN_ROUTE} 200`,
			'POST /events 401 bearer',
			`${TOKEN_ROUTE} 200`,
			'POST /events 401 bearer',
		]);
		expect(sandbox.stored()).toHaveLength(0);
	});

	test('OAuth2: Brevo’s other answers read as with a key: a 429 is waited out, a 400 is a clear error', async () => {
		const helper = new TestCredentialsHelper(sandbox.oauth2Credentials());
		const run = () =>
			runBrevoEventNode({
				parameters: oauth2,
				items: seedItem,
				credentials: {},
				credentialsHelper: helper,
			});
		await sandbox.configure({ throttle: { 'POST /events': 1200 } });
		expect((await run()).error).toBeUndefined();
		expect(sandbox.stored()).toHaveLength(1);
		expect(trail()).toContain('POST /events 429 bearer');
		await sandbox.configure({ faults: { 'POST /events': ['400'] } });
		const { error } = await run();
		expect(error?.message).toBe('Brevo answered 400 internal_error: Injected fault 400 [item 0]');
		expect(sandbox.stored()).toHaveLength(1);
	});

	test('OAuth2: Get Many reads the stored events with the token', async () => {
		const helper = new TestCredentialsHelper(sandbox.oauth2Credentials());
		await runBrevoEventNode({
			parameters: oauth2,
			items: seedItem,
			credentials: {},
			credentialsHelper: helper,
		});
		const { output, error } = await runBrevoEventNode({
			parameters: {
				authentication: 'oAuth2',
				resource: 'event',
				operation: 'getAll',
				returnAll: false,
				limit: 5,
			},
			items: seedItem,
			credentials: {},
			credentialsHelper: helper,
		});
		expect(error).toBeUndefined();
		expect(output?.map((item) => item.json.event_name)).toEqual(['video_played']);
		expect(trail().at(-1)).toBe('GET /events 200 bearer');
	});

	test.each([
		[
			'a wrong client secret',
			{ clientSecret: 'not-the-secret' },
			'Brevo refused to issue an OAuth2 access token (invalid_client: Invalid client or Invalid client credentials) [item 0]',
		],
		[
			'a scope the app was not granted',
			{ scope: 'events:write crm:read' },
			'Brevo refused to issue an OAuth2 access token (invalid_scope: Invalid scopes: crm:read) [item 0]',
		],
	])(
		'OAuth2 with %s: a clear error at once, no retries, nothing sent',
		async (_, overrides, message) => {
			const { error } = await runBrevoEventNode({
				parameters: oauth2,
				items: seedItem,
				credentials: {},
				credentialsHelper: new TestCredentialsHelper(sandbox.oauth2Credentials(overrides)),
			});
			expect(error?.message).toBe(message);
			expect(error?.description).toContain('Client ID, Client Secret and Scope');
			expect(JSON.stringify(error)).not.toContain(testKeys.oauthClientSecret);
			expect(trail()).toEqual([expect.stringMatching(new RegExp(`^${TOKEN_ROUTE} 40[01]$`))]);
		},
	);

	test('OAuth2, client ID and secret in the body instead of a Basic header', async () => {
		const { error } = await runBrevoEventNode({
			parameters: oauth2,
			items: seedItem,
			credentials: {},
			credentialsHelper: new TestCredentialsHelper(
				sandbox.oauth2Credentials({ authentication: 'body' }),
			),
		});
		expect(error).toBeUndefined();
		expect(sandbox.stored()).toHaveLength(1);
	});

	test('an API key restricted to events stores the seed event', async () => {
		const { output, error } = await runBrevoEventNode({
			parameters: seedParameters,
			items: seedItem,
			credentials: { apiKey: testKeys.eventsOnly, baseUrl: sandbox.baseUrl },
		});
		expect(error).toBeUndefined();
		expect(output?.[0].json).toMatchObject({ success: true, status: 'stored' });
		expect(JSON.stringify(sandbox.stored()[0].event)).toBe(JSON.stringify(seedEvent));
	});

	test('an events-only key with "Type of the Brevo Attribute": the error says which access is missing', async () => {
		const { error } = await runBrevoEventNode({
			parameters: {
				...seedParameters,
				specifyContactProperties: 'keypair',
				contactProperties: { property: [{ name: 'AGE', type: 'attribute', value: '32' }] },
			},
			items: seedItem,
			credentials: { apiKey: testKeys.eventsOnly, baseUrl: sandbox.baseUrl },
		});
		expect(error?.message).toBe(
			'Brevo answered 403 permission_denied: This API key does not have read access to contacts',
		);
		expect(error?.description).toContain('Contacts read access');
		expect(sandbox.stored()).toHaveLength(0);
	});

	test('an expired API key: a clear error saying it expired, no key in it', async () => {
		const { error } = await runBrevoEventNode({
			parameters: seedParameters,
			items: seedItem,
			credentials: { apiKey: testKeys.expired, baseUrl: sandbox.baseUrl },
		});
		expect(error?.message).toBe('Brevo answered 401 unauthorized: API key expired [item 0]');
		expect(error?.description).toContain('wrong, expired or revoked');
		expect(JSON.stringify(error)).not.toContain(testKeys.expired);
		expect(sandbox.stored()).toHaveLength(0);
	});
});
