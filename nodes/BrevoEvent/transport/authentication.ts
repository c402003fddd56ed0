import {
	NodeApiError,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type JsonObject,
} from 'n8n-workflow';

import { BREVO_API_CREDENTIAL } from '../../../credentials/BrevoApi.credentials';
import {
	BREVO_OAUTH2_CREDENTIAL,
	BREVO_TOKEN_URL,
	tokenUrlProblem,
} from '../../../credentials/BrevoOAuth2Api.credentials';
import { AUTHENTICATION, AUTHENTICATION_PARAMETER } from '../parameters/names';
import { forItem } from './answers';

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

interface HttpAnswer {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

type ErrorChain = {
	cause?: unknown;
	code?: unknown;
	status?: unknown;
	body?: unknown;
	message?: unknown;
	config?: { url?: unknown };
	response?: { status?: unknown; headers?: unknown; data?: unknown };
};

/** The error and its causes, innermost last (n8n wraps the HTTP client's error once or twice). */
function chain(error: unknown): ErrorChain[] {
	const links: ErrorChain[] = [];
	for (let e = error; typeof e === 'object' && e !== null && links.length < 5; ) {
		links.push(e as ErrorChain);
		e = (e as ErrorChain).cause;
	}
	return links;
}

/**
 * Brevo's answer inside an error n8n's helper threw (with OAuth2: any error status, including a 401
 * that a fresh token did not cure). It is read like any other answer: a 429 is waited out, a 400
 * names Brevo's reason, exactly as with an API key.
 */
export function answerInError(error: unknown): HttpAnswer | undefined {
	const response = chain(error).find((e) => typeof e.response?.status === 'number')?.response;
	if (!response) return undefined;
	return {
		statusCode: response.status as number,
		headers: (response.headers ?? {}) as IDataObject,
		body: response.data,
	};
}

/** Token refusals made by tokenRefusal(), which retrying cannot fix. */
const refusals = new WeakSet<Error>();

/**
 * The error to report when Brevo's token endpoint refused to issue a token (wrong client ID or
 * secret, deleted app, a scope the app was not granted). Not retried: asking again gives the same
 * answer. A token endpoint that failed (5xx) or could not be reached is left to the retries.
 */
export function tokenRefusal(
	error: unknown,
	node: INode,
	itemIndex: number | undefined,
): NodeApiError | undefined {
	// @n8n/client-oauth2 throws code EAUTH with the OAuth error body, or ESTATUS with the status.
	const refusal = chain(error).find(
		(e) => e.code === 'EAUTH' || (e.code === 'ESTATUS' && Number(e.status) < 500),
	);
	if (!refusal) return undefined;
	const body = (typeof refusal.body === 'object' && refusal.body !== null ? refusal.body : {}) as {
		error?: unknown;
		error_description?: unknown;
	};
	const reason = [body.error, body.error_description]
		.filter((part) => typeof part === 'string' && part !== '')
		.join(': ');
	const refused = new NodeApiError(node, { oauth: body } as JsonObject, {
		message: forItem(
			`Brevo refused to issue an OAuth2 access token${reason ? ` (${reason})` : ''}`,
			itemIndex,
		),
		description:
			'Check Client ID, Client Secret and Scope of the Brevo OAuth2 credential: Brevo answers invalid_client for a wrong, rotated or deleted client, and invalid_scope for a scope the app was not granted.',
		itemIndex,
	});
	refusals.add(refused);
	return refused;
}

/**
 * n8n's token request failed (the token endpoint answered 5xx, or could not be reached): the API
 * request was never sent, so nothing can have been stored and a retry cannot duplicate.
 */
export class TokenRequestFailed extends NodeApiError {}

/**
 * The error to report when n8n could not get an access token for reasons other than a refusal.
 * Recognised by n8n-core's wording for a first token, or by a failed request whose address is not
 * under the API's base URL (a token renewed after a 401 fails without that wording).
 */
export function tokenRequestFailure(
	error: unknown,
	node: INode,
	itemIndex: number | undefined,
	apiBaseUrl: string,
): TokenRequestFailed | undefined {
	const links = chain(error);
	const elsewhere = links.some(
		(e) => typeof e.config?.url === 'string' && !e.config.url.startsWith(apiBaseUrl),
	);
	const firstToken = links.some(
		(e) =>
			typeof e.message === 'string' &&
			e.message.startsWith('Failed to acquire OAuth2 access token'),
	);
	if (!elsewhere && !firstToken) return undefined;
	const status = links.find((e) => typeof e.response?.status === 'number')?.response?.status;
	const code = links.find((e) => typeof e.code === 'string' && e.code !== 'ESTATUS')?.code;
	const what =
		status !== undefined
			? `answered ${String(status)}`
			: `could not be reached${code ? ` (${String(code)})` : ''}`;
	return new TokenRequestFailed(node, { oauth: { status: status ?? null } } as JsonObject, {
		message: forItem(
			`Brevo's OAuth2 token endpoint ${what}: no access token, so nothing was sent to Brevo`,
			itemIndex,
		),
		description:
			"The event was not sent and cannot have been stored. Check the Brevo OAuth2 credential's Access Token URL; if Brevo's token endpoint is down, run the items again later.",
		httpCode: status !== undefined ? String(status) : undefined,
		itemIndex,
	});
}

/** Whether the error is a token refusal, which retrying cannot fix. */
export function isTokenRefusal(error: unknown): boolean {
	return error instanceof Error && refusals.has(error);
}

/** Whether Brevo refused a request for lack of access (a restricted key, a missing scope). */
export function isPermissionDenied(error: unknown): boolean {
	if (!(error instanceof NodeApiError)) return false;
	const brevo = (error.errorResponse as { brevo?: { code?: unknown } } | undefined)?.brevo;
	return error.httpCode === '403' || brevo?.code === 'permission_denied';
}
