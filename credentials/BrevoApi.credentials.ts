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
 * "Test credential" for both authentications: GET /events?limit=1, the lightest call a key or token
 * restricted to events may make (GET /account needs account access, which such a key lacks).
 * Brevo's 401 and 403 get a message that says what to fix instead of n8n's bare status text.
 */
export function brevoCredentialTest(messages: {
	unauthorized: string;
	forbidden: string;
}): ICredentialTestRequest {
	return {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
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
