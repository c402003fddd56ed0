import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { BREVO_DEFAULT_BASE_URL, brevoCredentialTest } from './BrevoApi.credentials';

/** The credential's type name: the node's description and transport read it from here. */
export const BREVO_OAUTH2_CREDENTIAL = 'brevoOAuth2Api';
/** Brevo's client_credentials token endpoint (changelog 2026-10-13; oauth.brevo.com still works). */
export const BREVO_TOKEN_URL = 'https://api.brevo.com/realms/partner/oauth/token';
/** What the node can use: Create (events:write), Get Many (events:read), attribute types (contacts:read). */
export const BREVO_DEFAULT_SCOPES = 'events:write events:read contacts:read';

/**
 * Brevo's machine-to-machine OAuth2 (client credentials): n8n's OAuth2 helper fetches a short-lived
 * access token with the client ID and secret, sends it as `Authorization: Bearer`, and fetches a new
 * one when Brevo answers 401 (Brevo's M2M tokens last about an hour and have no refresh token).
 */
export class BrevoOAuth2Api implements ICredentialType {
	name = BREVO_OAUTH2_CREDENTIAL;

	extends = ['oAuth2Api'];

	displayName = 'Brevo OAuth2 API';

	icon: Icon = {
		light: 'file:../nodes/BrevoEvent/brevo.svg',
		dark: 'file:../nodes/BrevoEvent/brevo.dark.svg',
	};

	documentationUrl = 'https://developers.brevo.com/docs/oauth-m2m-authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'clientCredentials',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'string',
			default: BREVO_TOKEN_URL,
			required: true,
			description:
				"Brevo's token endpoint. Keep the default; change it only for a proxy or a local Brevo-compatible test server.",
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'string',
			default: BREVO_DEFAULT_SCOPES,
			description:
				'Space-separated scopes to ask for; each must be granted to the Brevo app, or Brevo refuses the token (invalid_scope). Create needs events:write, Get Many events:read, the contact attribute picker and "Type of the Brevo Attribute" contacts:read, the credential test events:read.',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'Header',
					value: 'header',
					description: 'Send the client ID and secret as a Basic Auth header',
				},
				{
					name: 'Body',
					value: 'body',
					description: 'Send the client ID and secret in the token request body',
				},
			],
			default: 'header',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: BREVO_DEFAULT_BASE_URL,
			description:
				'Where API requests go. Keep the default for Brevo; change it only to use a proxy or a local Brevo-compatible test server.',
		},
	];

	test: ICredentialTestRequest = brevoCredentialTest({
		unauthorized:
			'Brevo refused the access token (401), even a freshly fetched one: check that Base URL and Access Token URL point to the same Brevo, and that the Brevo app still exists.',
		forbidden:
			'The token is valid but may not read events: grant the Brevo app the events:read scope and add it to Scope (Create itself needs only events:write).',
	});
}
