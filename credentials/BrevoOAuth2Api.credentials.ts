import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import {
	BREVO_DEFAULT_BASE_URL,
	brevoCredentialTest,
	isSafeUrl,
	LOOPBACK_HOST,
} from './BrevoApi.credentials';

/** The credential's type name: the node's description and transport read it from here. */
export const BREVO_OAUTH2_CREDENTIAL = 'brevoOAuth2Api';
/** Brevo's client_credentials token endpoint (changelog 2026-10-13; oauth.brevo.com still works). */
export const BREVO_TOKEN_URL = 'https://api.brevo.com/realms/partner/oauth/token';
/** What the node can use: Create (events:write), Get Many (events:read), attribute types (contacts:read). */
export const BREVO_DEFAULT_SCOPES = 'events:write events:read contacts:read';

/** Brevo's own token hosts: the only ones, besides this machine, a secret in the body may go to. */
export const BREVO_TOKEN_HOSTS = ['api.brevo.com', 'oauth.brevo.com'];

const TOKEN_URL_UNENCRYPTED =
	'the Access Token URL must start with https:// (plain http:// only to localhost or 127.0.0.1): the client ID and secret would travel unencrypted';
const BODY_SECRET_MAY_FOLLOW_REDIRECT =
	"with Authentication Body, the Access Token URL must be Brevo's (https://api.brevo.com or https://oauth.brevo.com) or on localhost: n8n follows redirects of the token request, and a redirect would carry the client secret in the body to another server. Choose Authentication Header (n8n drops that header on a redirect to another host).";

/**
 * Why the token request would expose the client ID and secret, or undefined if it cannot. n8n's
 * OAuth2 client (@n8n/client-oauth2, axios) follows the token endpoint's redirects and has no
 * option to stop it: a 307/308 resends the body (Authentication: Body, with the secret) to
 * wherever it points, while the Basic header (Authentication: Header) is dropped on a redirect to
 * another host or to plain http. So a secret in the body goes only to Brevo's own hosts or to
 * this machine, and plain http:// only to this machine.
 */
export function tokenUrlProblem(url: string, authentication: unknown): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url.trim());
	} catch {
		return `the Access Token URL "${url}" is not a URL`;
	}
	const local = LOOPBACK_HOST.test(parsed.hostname);
	if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && local))
		return TOKEN_URL_UNENCRYPTED;
	const brevo = parsed.protocol === 'https:' && BREVO_TOKEN_HOSTS.includes(parsed.hostname);
	if (authentication === 'body' && !brevo && !local) return BODY_SECRET_MAY_FOLLOW_REDIRECT;
	return undefined;
}

/** tokenUrlProblem's body rule as an expression, for the credential test. */
const BODY_SAFE = String.raw`/^(https:\/\/(api|oauth)\.brevo\.com(:443)?([\/?#]|$)|https?:\/\/(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?([\/?#]|$))/i`;

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
				"Brevo's token endpoint. Keep the default; change it only for an https:// proxy or a local Brevo-compatible test server (plain http:// only on localhost). With Authentication Body, only Brevo's own token URL or localhost is accepted.",
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
					description:
						"Send the client ID and secret in the token request body. Only to Brevo's own token URL or localhost: n8n follows the token URL's redirects, and the body would go with them.",
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
		// Checked before n8n fetches a token, so a refused token URL receives nothing.
		refusedUnless: [
			[isSafeUrl('accessTokenUrl'), TOKEN_URL_UNENCRYPTED],
			[
				`($credentials.authentication !== "body" || ${BODY_SAFE}.test(String($credentials.accessTokenUrl || "").trim()))`,
				BODY_SECRET_MAY_FOLLOW_REDIRECT,
			],
		],
	});
}
