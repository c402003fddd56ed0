import seedParameters from '../fixtures/seed-parameters.json';
import { runBrevoEventNode, TestCredentialsHelper } from '../helpers/n8n-engine';
import { TOKEN_ROUTE, useSandbox } from '../helpers/sandbox';

/**
 * With OAuth2, n8n fetches the token inside the node's own request call, through
 * @n8n/client-oauth2's request (its own 300 s idle timeout, no abort signal). Found by a
 * hostile-server probe: a token endpoint that accepts the connection and never answers held the
 * run until the server closed; one that answered 429 once was reported as a refused client.
 */
describe('an OAuth2 token endpoint that hangs or asks to wait, in n8n-core', () => {
	const sandbox = useSandbox();

	test('Timeout 2 s: the item fails as a timeout within the Timeout, the run goes on', async () => {
		await sandbox.configure({ faults: { [TOKEN_ROUTE]: ['hang'] } });
		const started = Date.now();
		const { output, error } = await runBrevoEventNode({
			parameters: {
				...seedParameters,
				authentication: 'oAuth2',
				options: { timeout: 2, retryServerErrors: false },
			},
			items: [{ json: {} }],
			credentials: {},
			credentialsHelper: new TestCredentialsHelper(sandbox.oauth2Credentials()),
			continueOnFail: true,
		});
		const tookMs = Date.now() - started;
		expect(error).toBeUndefined();
		expect(output).toHaveLength(1);
		expect(output![0].json.error).toBe(
			"Brevo did not answer within 2 s (the node's Timeout) [item 0]",
		);
		expect(output![0].pairedItem).toEqual({ item: 0 });
		// 2 s, plus the engine's start; before the fix: not ended after 10 s.
		expect(tookMs).toBeLessThan(10_000);
		expect(sandbox.requests().map((r) => r.route)).toEqual([TOKEN_ROUTE]);
		expect(sandbox.stored()).toHaveLength(0);
	}, 30_000);

	test('429 once: retried (nothing was sent), the event stored once, not reported as a refused client', async () => {
		await sandbox.configure({ faults: { [TOKEN_ROUTE]: ['429'] } });
		const { output, error } = await runBrevoEventNode({
			parameters: { ...seedParameters, authentication: 'oAuth2' },
			items: [{ json: {} }],
			credentials: {},
			credentialsHelper: new TestCredentialsHelper(sandbox.oauth2Credentials()),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(output?.[0].json).toMatchObject({ success: true, status: 'stored' });
		expect(sandbox.requests().map((r) => `${r.route} ${r.status}`)).toEqual([
			`${TOKEN_ROUTE} 429`,
			`${TOKEN_ROUTE} 200`,
			'POST /events 204',
		]);
		expect(sandbox.stored()).toHaveLength(1);
	}, 30_000);

	test('429 every time: after the retries, an error that says the token endpoint answered 429', async () => {
		await sandbox.configure({ faults: { [TOKEN_ROUTE]: ['429', '429', '429', '429'] } });
		const { output } = await runBrevoEventNode({
			parameters: { ...seedParameters, authentication: 'oAuth2' },
			items: [{ json: {} }],
			credentials: {},
			credentialsHelper: new TestCredentialsHelper(sandbox.oauth2Credentials()),
			continueOnFail: true,
		});
		expect(output?.[0].json.error).toBe(
			"Brevo's OAuth2 token endpoint answered 429: no access token, so nothing was sent to Brevo [item 0]",
		);
		expect(sandbox.stored()).toHaveLength(0);
	}, 30_000);
});
