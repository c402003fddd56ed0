import { captureN8nLogs } from './captured-logs';
import { answerJson, useHostileServer } from '../helpers/hostile-server';
import { runBrevoEventNode, TestCredentialsHelper } from '../helpers/n8n-engine';
import { oauth2CredentialData } from '../helpers/sandbox';
import { TEST_KEYS as testKeys } from '../helpers/keys';

/**
 * "The API key never appears in outputs, errors or logs." The node builds its errors from the
 * answer alone, but an answer may echo the request's api-key header (a debugging proxy, a
 * firewall's "invalid header" page, an echo service behind a wrong Base URL). Found by a
 * hostile-server probe: the key reached the items, the error and n8n's log. Now every answer is
 * redacted before anything reads it.
 */
describe('an answer that echoes the api-key header', () => {
	jest.setTimeout(30_000);
	const logs = captureN8nLogs();
	const server = useHostileServer();
	const key = () => server.credentials.apiKey as string;
	const run = (sendMode: 'single' | 'batch', continueOnFail = true) =>
		runBrevoEventNode({
			parameters: {
				resource: 'event',
				operation: 'create',
				eventName: 'order_created',
				identifiers: { extId: 'u-1' },
				options: { sendMode, retryServerErrors: false, maxRateLimitWait: 1, timeout: 2 },
			},
			items: [{ json: {} }, { json: {} }],
			credentials: server.credentials,
			continueOnFail,
		});
	const everything = (r: Awaited<ReturnType<typeof run>>) =>
		JSON.stringify({
			output: r.output,
			errorOutput: r.errorOutput,
			error: r.error,
			data: r.run.data,
		});

	test('single: a 401 whose message quotes the key it received', async () => {
		server.answerWith((req, res) =>
			answerJson(res, 401, {
				code: 'unauthorized',
				message: `Key ${String(req.headers['api-key'])} not found`,
			}),
		);
		const r = await run('single');
		expect(everything(r)).not.toContain(key());
		expect(r.output?.[0].json.error).toBe(
			'Brevo answered 401 unauthorized: Key [redacted] not found [item 0]',
		);
	});

	test('single, Stop Workflow: a 400 body that reflects the request headers', async () => {
		server.answerWith((req, res) =>
			answerJson(res, 400, {
				code: 'invalid_parameter',
				message: 'bad',
				request: { headers: req.headers },
			}),
		);
		const r = await run('single', false);
		expect(everything(r)).not.toContain(key());
	});

	test('batch: a 207 whose per-event message quotes the key', async () => {
		server.answerWith((req, res) =>
			answerJson(res, 207, {
				status: 'partial_success',
				total_events: 2,
				successful_events: 1,
				failed_events: 1,
				errors: [
					{
						eventIndex: [1],
						message: `account of key ${String(req.headers['api-key'])} is blocked`,
					},
				],
			}),
		);
		const r = await run('batch');
		expect(everything(r)).not.toContain(key());
		expect(everything(r)).toContain('account of key [redacted] is blocked');
	});

	test('a rate-limit header echoing the key is logged as "ignored"', async () => {
		const before = logs.length;
		server.answerWith((req, res) => {
			res.writeHead(204, {
				'x-sib-ratelimit-limit': '10',
				'x-sib-ratelimit-remaining': '9',
				'x-sib-ratelimit-reset': String(req.headers['api-key']),
			});
			res.end();
		});
		const r = await run('single');
		expect(r.output?.[0].json.success).toBe(true);
		expect(logs.slice(before).filter((l) => l.includes(key()))).toEqual([]);
		expect(logs.slice(before).some((l) => l.includes('[redacted]'))).toBe(true);
	});

	test('OAuth2: a token endpoint whose refusal quotes the client secret', async () => {
		server.answerWith((_req, res) =>
			answerJson(res, 401, {
				error: 'invalid_client',
				// As if read back from the request's Basic authorization.
				error_description: `client secret ${testKeys.oauthClientSecret} is wrong`,
			}),
		);
		const r = await runBrevoEventNode({
			parameters: {
				resource: 'event',
				operation: 'create',
				eventName: 'order_created',
				identifiers: { extId: 'u-1' },
				authentication: 'oAuth2',
			},
			items: [{ json: {} }],
			credentials: {},
			credentialsHelper: new TestCredentialsHelper(oauth2CredentialData(server.url)),
			continueOnFail: true,
		});
		expect(JSON.stringify({ output: r.output, error: r.error, data: r.run.data })).not.toContain(
			testKeys.oauthClientSecret,
		);
		expect(r.output?.[0].json.error).toBe(
			'Brevo refused to issue an OAuth2 access token (invalid_client: client secret [redacted] is wrong) [item 0]',
		);
	});
});
