import { REDACTED, redactSecrets, secretsOf } from '../../../../nodes/BrevoEvent/transport/redact';

describe('secretsOf', () => {
	test('the API key', () => {
		expect(
			secretsOf({ apiKey: 'xkeysib-0123456789', baseUrl: 'https://api.brevo.com/v3' }),
		).toEqual(['xkeysib-0123456789']);
	});

	test('OAuth2: the client secret and the stored tokens; not the client ID', () => {
		expect(
			secretsOf({
				clientId: 'brevo-app-id',
				clientSecret: 'client-secret-value',
				oauthTokenData: {
					access_token: 'access-token-value',
					refresh_token: 'refresh-token-value',
				},
			}),
		).toEqual(['client-secret-value', 'access-token-value', 'refresh-token-value']);
	});

	test('values too short to be secrets are left alone, so answers are not garbled', () => {
		expect(secretsOf({ apiKey: 'abc' })).toEqual([]);
	});
});

describe('redactSecrets', () => {
	const secret = 'xkeysib-0123456789';

	test('in text, nested objects, lists and keys, every occurrence', () => {
		expect(
			redactSecrets(
				{
					message: `key ${secret} not found, again ${secret}`,
					request: { headers: { 'api-key': secret }, [secret]: [1, secret] },
					count: 3,
					ok: true,
					none: null,
				},
				[secret],
			),
		).toEqual({
			message: `key ${REDACTED} not found, again ${REDACTED}`,
			request: { headers: { 'api-key': REDACTED }, [REDACTED]: [1, REDACTED] },
			count: 3,
			ok: true,
			none: null,
		});
	});

	test('an answer without the secret comes back equal', () => {
		const body = { count: 2, events: [{ event_name: 'a', event_properties: { n: 1 } }] };
		expect(redactSecrets(body, [secret])).toEqual(body);
		expect(redactSecrets('<!DOCTYPE html>', [secret])).toBe('<!DOCTYPE html>');
	});
});
