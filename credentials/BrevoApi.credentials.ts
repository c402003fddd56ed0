import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/** The credential's type name and Brevo's API root: the node's transport reads both from here. */
export const BREVO_API_CREDENTIAL = 'brevoApi';
export const BREVO_DEFAULT_BASE_URL = 'https://api.brevo.com/v3';

/**
 * Hosts where plain http:// never leaves the machine: the only ones a key or secret may be sent to
 * without TLS. Execution (the node's transport) and the credential tests apply the same rule.
 */
export const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** The same rule on a whole URL, for the credential tests' expressions (no URL parser there). */
const SAFE_URL = String.raw`/^(https:\/\/[^\/?#]|http:\/\/(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?([\/?#]|$))/i`;

/**
 * An n8n expression that stops the credential test with `message`. n8n resolves the test request
 * before it sends anything (and, for OAuth2, before it fetches a token), but an expression cannot
 * throw an error of its own: the only errors n8n lets out of an expression are those of its
 * extension functions, so the message travels as toDateTime()'s "Unsupported format '…'".
 */
export function refusal(message: string): string {
	return `(0).toDateTime(${JSON.stringify(`Refused: ${message}`)})`;
}

/** An expression: whether the credential's `field` is an address a secret may travel to. */
export function isSafeUrl(field: string, fallback = ''): string {
	return `${SAFE_URL}.test(String($credentials.${field} || ${JSON.stringify(fallback)}).trim())`;
}

/**
 * "Test credential" for both authentications: GET /events?limit=1, the lightest call a key or token
 * restricted to events may make (GET /account needs account access, which such a key lacks).
 * Brevo's 401 and 403 get a message that says what to fix instead of n8n's bare status text. A
 * Base URL (or, with OAuth2, a token URL) the node would refuse is refused here too, before
 * anything is sent: `refusedUnless` lists those conditions, each an expression, with its message.
 */
export function brevoCredentialTest(messages: {
	unauthorized: string;
	forbidden: string;
	refusedUnless?: Array<[condition: string, message: string]>;
}): ICredentialTestRequest {
	const baseUrl = `String($credentials.baseUrl || ${JSON.stringify(BREVO_DEFAULT_BASE_URL)}).trim().replace(/\\/+$/, "")`;
	const checks: Array<[string, string]> = [
		[
			isSafeUrl('baseUrl', BREVO_DEFAULT_BASE_URL),
			'the Base URL must start with https:// (plain http:// only to localhost or 127.0.0.1): the key would travel unencrypted',
		],
		...(messages.refusedUnless ?? []),
	];
	const resolved = checks.reduceRight(
		(otherwise, [condition, message]) => `(${condition} ? ${otherwise} : ${refusal(message)})`,
		baseUrl,
	);
	return {
		request: {
			baseURL: `={{ ${resolved} }}`,
			url: '/events',
			qs: { limit: 1 },
			method: 'GET',
			// A redirect would carry the key to another address, as for every request of the node.
			disableFollowRedirect: true,
		},
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: messages.unauthorized } },
			{ type: 'responseCode', properties: { value: 403, message: messages.forbidden } },
		],
	};
}

export class BrevoApi implements ICredentialType {
	name = BREVO_API_CREDENTIAL;

	displayName = 'Brevo API';

	icon: Icon = {
		light: 'file:../nodes/BrevoEvent/brevo.svg',
		dark: 'file:../nodes/BrevoEvent/brevo.dark.svg',
	};

	documentationUrl = 'https://developers.brevo.com/docs/getting-started';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'A Brevo API v3 key (starts with "xkeysib-"), from Brevo → SMTP & API → API Keys. Not the "ma-key" of the legacy tracker.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: BREVO_DEFAULT_BASE_URL,
			description:
				'Where requests go. Keep the default for Brevo; change it only to use a proxy or a local Brevo-compatible test server.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'api-key': '={{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = brevoCredentialTest({
		unauthorized:
			'Brevo refused the API key (401): it is wrong, expired or revoked (Brevo keys can expire). Create a new v3 key (xkeysib-…) in Brevo → SMTP & API → API Keys.',
		forbidden:
			'The key is valid but may not read events. In Brevo → SMTP & API → API Keys, give it access to Events (read and write); the node needs nothing else, except Contacts (read) for the contact attribute picker and "Type of the Brevo Attribute".',
	});
}
