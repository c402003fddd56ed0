import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IHttpRequestOptions,
	type INode,
} from 'n8n-workflow';

import { BREVO_API_CREDENTIAL } from '../../../credentials/BrevoApi.credentials';
import {
	BREVO_OAUTH2_CREDENTIAL,
	BREVO_TOKEN_URL,
	tokenUrlProblem,
} from '../../../credentials/BrevoOAuth2Api.credentials';

/**
 * The node's "Authentication" parameter and its values. It lives with the transport, which signs
 * every request with the credential it picks; the node's description declares it from here.
 */
export const AUTHENTICATION_PARAMETER = 'authentication';
export const AUTHENTICATION = { apiKey: 'apiKey', oAuth2: 'oAuth2' } as const;

export type BrevoCredentialType = typeof BREVO_API_CREDENTIAL | typeof BREVO_OAUTH2_CREDENTIAL;

/**
 * The credential the node's Authentication parameter picks. Read from the node itself, so that
 * execute() and the attribute picker (loadOptions) agree; n8n does not store a parameter left at its
 * default, so a node saved before OAuth2 existed reads as API Key.
 */
export function credentialTypeOf(ctx: { getNode(): INode }): BrevoCredentialType {
	const authentication = ctx.getNode().parameters?.[AUTHENTICATION_PARAMETER];
	return authentication === AUTHENTICATION.oAuth2 ? BREVO_OAUTH2_CREDENTIAL : BREVO_API_CREDENTIAL;
}

/**
 * The OAuth2 credential's token URL, checked before anything is sent (n8n fetches the token inside
 * the first request): plain http:// to another machine would carry the client secret in clear
 * text, and a secret in the body would follow a redirect to another server (tokenUrlProblem).
 */
export function checkTokenUrl(node: INode, credentials: ICredentialDataDecryptedObject): void {
	const url = String(credentials.accessTokenUrl || BREVO_TOKEN_URL);
	const problem = tokenUrlProblem(url, credentials.authentication);
	if (!problem) return;
	throw new NodeOperationError(node, `Refused: ${problem}`, {
		description: `The Brevo OAuth2 credential's Access Token URL is ${url.split('?')[0]}. Nothing was sent. Brevo's is ${BREVO_TOKEN_URL}.`,
	});
}

/**
 * Whether n8n's helper returns error statuses instead of throwing them. n8n's OAuth2 helper fetches
 * a new token and resends only when the request throws a 401, so with OAuth2 error statuses throw
 * (n8n 1.x has no way to make only 401 throw) and the transport reads the answer back from the
 * error (answerInError); with an API key every status comes back as an answer.
 */
export function statusErrorsFor(
	credentialType: BrevoCredentialType,
): IHttpRequestOptions['ignoreHttpStatusErrors'] {
	return credentialType !== BREVO_OAUTH2_CREDENTIAL;
}
