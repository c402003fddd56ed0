/** Made-up secrets for the sandbox and a throwaway n8n; none of them is real. */
export const TEST_KEYS = {
	/** The key the sandbox accepts. */
	sandbox: 'xkeysib-sandbox-test-key-7f3a',
	/** The key of the hand-made execute() context (no server behind it). */
	fake: 'xkeysib-test-0123456789abcdef',
	/** A key the sandbox refuses with 401. */
	wrong: 'xkeysib-wrong-9d8c7b6a',
	/** A restricted key: Events read-write, nothing else (no account, no contacts). */
	eventsOnly: 'xkeysib-sandbox-events-only-41c2',
	/** A key past its expiry date. */
	expired: 'xkeysib-sandbox-expired-5e07',
	/** The OAuth2 (machine-to-machine) app the sandbox's token endpoint knows. */
	oauthClientId: 'brevo-event-e2e-client',
	oauthClientSecret: 'sandbox-client-secret-0b9e',
	/** Password of the owner account of a throwaway n8n. */
	ownerPassword: 'Sandbox-pass-123',
};
