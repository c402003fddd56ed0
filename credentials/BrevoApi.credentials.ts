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

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/account',
			method: 'GET',
		},
		// What the editor shows under "Couldn't connect with these settings" (n8n's default is the
		// bare HTTP status text, "Unauthorized").
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Brevo refused this API key (401). Use a v3 API key (xkeysib-…) from Brevo → SMTP & API → API Keys, not the ma-key of the legacy event tracker.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Brevo refused this request (403): the key lacks the permission, or this IP address is not authorised in Brevo (Security → Authorised IPs).',
				},
			},
		],
	};
}
