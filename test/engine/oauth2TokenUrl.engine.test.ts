import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import { BrevoApi } from '../../credentials/BrevoApi.credentials';
import { BrevoOAuth2Api } from '../../credentials/BrevoOAuth2Api.credentials';
import seedParameters from '../fixtures/seed-parameters.json';
import { testCredential } from '../helpers/credential-test';
import { TEST_KEYS as testKeys } from '../helpers/keys';
import { runBrevoEventNode, TestCredentialsHelper } from '../helpers/n8n-engine';
import { TOKEN_ROUTE, useSandbox } from '../helpers/sandbox';

/**
 * Where the OAuth2 client secret may go, in n8n-core's real engine. n8n's OAuth2 client follows
 * the token endpoint's redirects (no option stops it), so the node refuses, before anything is
 * sent, a token URL that would expose the secret: plain http:// to another machine, and with
 * Authentication: Body any host but Brevo's and this machine. `[::ffff:127.0.0.1]` is 127.0.0.1
 * written as a non-local host: the connection stays on this machine, the rule treats it as remote.
 */
describe('OAuth2 token URL and token endpoint failures', () => {
	jest.setTimeout(30_000);
	const sandbox = useSandbox();
	let other: Server;
	let otherRequests: Array<{ url?: string; body: string; authorization?: string }> = [];
	let otherUrl = '';
	beforeAll(async () => {
		other = createServer((req, res) => {
			let body = '';
			req.on('data', (chunk: Buffer) => (body += chunk.toString()));
			req.on('end', () => {
				otherRequests.push({ url: req.url, body, authorization: req.headers.authorization });
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end('{"access_token":"stolen","token_type":"Bearer","expires_in":3600}');
			});
		});
		await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
		otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
	});
	beforeEach(() => (otherRequests = []));
	afterAll(() => new Promise((resolve) => other.close(resolve)));

	const remoteLooking = () => sandbox.server.url.replace('127.0.0.1', '[::ffff:127.0.0.1]');
	const run = async (overrides: Record<string, string>) =>
		await runBrevoEventNode({
			parameters: { ...seedParameters, authentication: 'oAuth2' },
			items: [{ json: {} }],
			credentials: {},
			credentialsHelper: new TestCredentialsHelper(sandbox.oauth2Credentials(overrides)),
			continueOnFail: true,
		});
	const details = (json: IDataObject) => json.details as IDataObject;

	test('Authentication Body: a token URL that redirects elsewhere is refused before the secret is sent', async () => {
		await sandbox.configure({ faults: { [TOKEN_ROUTE]: [`redirect:${otherUrl}/token`] } });
		const { output, error } = await run({
			authentication: 'body',
			accessTokenUrl: `${remoteLooking()}/realms/partner/oauth/token`,
		});
		const message = String(error?.message ?? output?.[0].json.error);
		expect(message).toMatch(/^Refused: .*Access Token URL must start with https:\/\//);
		// Nobody received the secret: not the token URL, not the server it redirects to.
		expect(otherRequests).toEqual([]);
		expect(sandbox.requests()).toEqual([]);
	});

	test('Authentication Body to a host that is neither Brevo nor this machine is refused, naming Header as the way', async () => {
		const { output, error } = await run({
			authentication: 'body',
			accessTokenUrl: 'https://token-proxy.example.invalid/oauth/token',
		});
		const message = String(error?.message ?? output?.[0].json.error);
		expect(message).toMatch(
			/^Refused: with Authentication Body, the Access Token URL must be Brevo's/,
		);
		expect(message).toContain('Choose Authentication Header');
		expect(sandbox.requests()).toEqual([]);
	});

	test('plain http:// to a non-local token URL is refused, as for the Base URL (Header too)', async () => {
		const { output, error } = await run({
			accessTokenUrl: `${remoteLooking()}/realms/partner/oauth/token`,
		});
		expect(String(error?.message ?? output?.[0].json.error)).toMatch(
			/^Refused: the Access Token URL must start with https:\/\//,
		);
		expect(sandbox.requests()).toEqual([]);
	});

	test('the token endpoint answering 503: "nothing was sent", stored no, retried, no event request', async () => {
		await sandbox.configure({ faults: { [TOKEN_ROUTE]: ['503', '503', '503', '503'] } });
		const { output } = await run({});
		const json = output![0].json;
		expect(json.error).toBe(
			"Brevo's OAuth2 token endpoint answered 503: no access token, so nothing was sent to Brevo [item 0]",
		);
		expect(details(json).stored).toBe('no');
		expect(String(json.error)).not.toMatch(/may .*have been stored/);
		expect(sandbox.requests().map((r) => `${r.route} ${r.status}`)).toEqual(
			Array(4).fill(`${TOKEN_ROUTE} 503`),
		);
	});

	test('the token endpoint answering 503 once: the token is fetched again and the event stored once', async () => {
		await sandbox.configure({ faults: { [TOKEN_ROUTE]: ['503'] } });
		const { output } = await run({});
		expect(output![0].json).toMatchObject({ success: true });
		expect(sandbox.stored()).toHaveLength(1);
	});

	test('a token renewed after a 401 failing with 503 is not reported as Brevo’s 5xx either', async () => {
		const helper = new TestCredentialsHelper(sandbox.oauth2Credentials());
		const again = async () =>
			await runBrevoEventNode({
				parameters: { ...seedParameters, authentication: 'oAuth2' },
				items: [{ json: {} }],
				credentials: {},
				credentialsHelper: helper,
				continueOnFail: true,
			});
		expect((await again()).output![0].json).toMatchObject({ success: true });
		await sandbox.configure({
			revokeTokens: true,
			faults: { [TOKEN_ROUTE]: ['503', '503', '503', '503', '503', '503', '503', '503'] },
		});
		const json = (await again()).output![0].json;
		expect(json.error).toMatch(/^Brevo's OAuth2 token endpoint answered 503: .*nothing was sent/);
		expect(details(json).stored).toBe('no');
	});
});

describe('"Test credential" refuses what execution refuses, before anything is sent', () => {
	jest.setTimeout(30_000);
	const sandbox = useSandbox();
	const remoteLooking = () => sandbox.server.url.replace('127.0.0.1', '[::ffff:127.0.0.1]');

	test('OAuth2: the sandbox passes (token fetched, GET /events read)', async () => {
		expect(await testCredential(new BrevoOAuth2Api(), sandbox.oauth2Credentials())).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(sandbox.requests().map((r) => r.route)).toEqual([TOKEN_ROUTE, 'GET /events']);
	});

	test.each([
		[
			'plain http:// token URL to a non-local host',
			{ accessTokenUrl: 'REMOTE/realms/partner/oauth/token' },
			/Access Token URL must start with https:\/\//,
		],
		[
			'Authentication Body to a non-Brevo host',
			{ authentication: 'body', accessTokenUrl: 'https://token-proxy.example.invalid/token' },
			/with Authentication Body, the Access Token URL must be Brevo's/,
		],
		[
			'plain http:// Base URL to a non-local host',
			{ baseUrl: 'REMOTE/v3' },
			/Base URL must start with https:\/\//,
		],
	])('OAuth2, %s: refused, no token request', async (_, overrides, message) => {
		const data = sandbox.oauth2Credentials(
			Object.fromEntries(
				Object.entries(overrides).map(([k, v]) => [k, v.replace('REMOTE', remoteLooking())]),
			),
		);
		const result = await testCredential(new BrevoOAuth2Api(), data);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
		expect(result.message).not.toContain(testKeys.oauthClientSecret);
		expect(sandbox.requests()).toEqual([]);
	});

	test('API key: the sandbox passes; a plain http:// Base URL to a non-local host is refused, nothing sent', async () => {
		expect(await testCredential(new BrevoApi(), sandbox.credentials)).toMatchObject({
			status: 'OK',
		});
		const refused = await testCredential(new BrevoApi(), {
			...sandbox.credentials,
			baseUrl: `${remoteLooking()}/v3`,
		});
		expect(refused.status).toBe('Error');
		expect(refused.message).toMatch(/Refused: the Base URL must start with https:\/\//);
		expect(sandbox.requests().map((r) => `${r.route} ${r.apiKey}`)).toEqual(['GET /events true']);
	});
});
