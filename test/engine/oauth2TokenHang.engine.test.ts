import seedParameters from '../fixtures/seed-parameters.json';
import { runBrevoEventNode, TestCredentialsHelper } from '../helpers/n8n-engine';
import { TOKEN_ROUTE, useSandbox } from '../helpers/sandbox';

/**
 * With OAuth2, n8n fetches the token inside the node's own request call, through
 * @n8n/client-oauth2's request (its own 300 s idle timeout, no abort signal). A token endpoint that
 * accepts the connection and never answers must not hold the node beyond its Timeout (found by a
 * hostile-server probe: the run did not end until the server closed).
 */
describe('a token endpoint that never answers, in n8n-core', () => {
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
});
