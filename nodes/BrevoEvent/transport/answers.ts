import { NodeApiError, type IDataObject, type INode, type JsonObject } from 'n8n-workflow';

import { BREVO_API_CREDENTIAL } from '../../../credentials/BrevoApi.credentials';
import { BrevoApiError } from '../output/errors';
import type { BrevoCredentialType } from './authentication';
import { redactSecrets } from './redact';

/**
 * What an answer (or a failure to get one) means. Only Brevo's documented success counts as
 * success; everything else becomes a NodeApiError built from the answer alone — never from the
 * request, which holds the API key — and says whether the event may have been stored.
 */

export interface BrevoResponse {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

/** n8n's convention for naming the item at the end of a message: "… [item 3]". */
export function forItem(message: string, itemIndex?: number): string {
	return itemIndex === undefined ? message : `${message} [item ${itemIndex}]`;
}

/** The first bytes of a body, for an error message: enough to recognise an HTML page. */
function preview(body: unknown): string {
	const text = typeof body === 'string' ? body : (JSON.stringify(body) ?? '');
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length > 80 ? `${flat.slice(0, 80)}…` : flat;
}

function headerText(headers: IDataObject, name: string): string {
	const raw = headers[name];
	return String((Array.isArray(raw) ? raw[0] : raw) ?? '');
}

/**
 * Whether a response among the expected statuses really looks like Brevo's: 204 has no body to
 * check; every other documented answer is a JSON object.
 */
export function looksLikeBrevo({ statusCode, headers, body }: BrevoResponse): boolean {
	if (statusCode === 204) return true;
	const json = /json/i.test(headerText(headers, 'content-type'));
	return json && typeof body === 'object' && body !== null && !Array.isArray(body);
}

/** A redirect, or a success status Brevo does not use here, or a body that is not Brevo's. */
export function unexpectedAnswer(
	node: INode,
	response: BrevoResponse,
	expected: number[],
	itemIndex?: number,
): NodeApiError {
	const { statusCode, headers, body } = response;
	const contentType = headerText(headers, 'content-type') || 'no content type';
	if (statusCode >= 300 && statusCode < 400) {
		const location = headerText(headers, 'location');
		return new BrevoApiError(node, { status: statusCode } as JsonObject, {
			message: forItem(
				`The Base URL answered ${statusCode}, a redirect${location ? ` to ${location.split('?')[0]}` : ''}; the node does not follow redirects`,
				itemIndex,
			),
			description:
				"Following it would send the API key to another address. Nothing was stored by this request: set the credential's Base URL to the final address (Brevo: https://api.brevo.com/v3).",
			httpCode: String(statusCode),
			itemIndex,
			stored: 'no',
		});
	}
	const shown = preview(body);
	return new BrevoApiError(node, { status: statusCode } as JsonObject, {
		message: forItem(
			`The Base URL did not answer like Brevo: HTTP ${statusCode} (${contentType})${shown ? `, starting "${shown}"` : ', empty'}`,
			itemIndex,
		),
		description: `Brevo answers ${expected.join(' or ')} with ${expected.includes(204) ? 'no body' : 'JSON'} here, so this is not counted as stored — but the request did reach something, which may have forwarded it. A proxy, captive portal or wrong Base URL answers like this.`,
		httpCode: String(statusCode),
		itemIndex,
		stored: 'unknown',
	});
}

/** What a status means for the user, under Brevo's own message. */
function hintFor(statusCode: number, credentialType: BrevoCredentialType): string | undefined {
	if (statusCode === 400) return 'Brevo rejected the request as invalid, so nothing was stored.';
	if (statusCode === 401 && credentialType === BREVO_API_CREDENTIAL) {
		return 'Brevo refused the API key of the Brevo API credential: it is wrong, expired or revoked (Brevo keys can expire). Create a new v3 API key (xkeysib-…) in Brevo → SMTP & API → API Keys; the ma-key of the legacy event tracker does not work here.';
	}
	if (statusCode === 401) {
		return 'Brevo refused the OAuth2 access token even after n8n fetched a new one: the token was revoked or the Brevo app changed. Check the Brevo OAuth2 credential, and that its Base URL and Access Token URL point to the same Brevo.';
	}
	if (statusCode === 403) {
		return 'The credential may not do this. A restricted API key needs Events access (Create: write, Get Many: read) and Contacts read access for attribute types; an OAuth2 app needs the scopes events:write, events:read or contacts:read to match. Or the IP address is not authorised in Brevo.';
	}
	if (statusCode === 429)
		return 'Brevo rate limit. Lower "Requests per Second" or raise "Max Rate-Limit Wait".';
	if (statusCode >= 500) return 'Brevo had a problem. The request may or may not have been stored.';
	return undefined;
}

/** An answer of Brevo's that is an error (4xx, 5xx), with Brevo's code and message. */
export function apiError(
	node: INode,
	{ statusCode, body }: BrevoResponse,
	itemIndex?: number,
	credentialType: BrevoCredentialType = BREVO_API_CREDENTIAL,
	/** Said after the hint, e.g. which of the answer's headers were ignored. */
	note = '',
): NodeApiError {
	const answer = (typeof body === 'object' && body !== null ? body : {}) as IDataObject;
	const code = typeof answer.code === 'string' ? answer.code : undefined;
	const text =
		typeof answer.message === 'string' ? answer.message : typeof body === 'string' ? body : '';
	const message = `Brevo answered ${statusCode}${code ? ` ${code}` : ''}${text ? `: ${preview(text)}` : ''}`;
	// Brevo's answer goes in as `brevo` so that NodeApiError does not turn its message into the description.
	return new BrevoApiError(node, { brevo: answer, status: statusCode } as JsonObject, {
		message: forItem(message, itemIndex),
		description: `${hintFor(statusCode, credentialType) ?? ''}${note}`.trim() || undefined,
		httpCode: String(statusCode),
		itemIndex,
		stored: statusCode >= 500 ? 'unknown' : 'no',
	});
}

/** How a failure without an answer may be retried. */
export type ConnectionFailure =
	/** Nothing left this machine, and trying again cannot help (bad URL, certificate). */
	| 'permanent'
	/** Nothing reached Brevo (refused, no route, DNS hiccup): trying again is safe. */
	| 'not-sent'
	/** The request may have arrived (timeout, reset after sending): a retry may duplicate. */
	| 'maybe-sent';

const PERMANENT = new Set([
	'ERR_INVALID_URL',
	'ENOTFOUND',
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'ERR_SSL_WRONG_VERSION_NUMBER',
	'EPROTO',
]);
const NOT_SENT = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

interface SystemError {
	code?: string;
	message?: string;
}

/**
 * The system error behind a failed request. n8n wraps the HTTP client's error in a NodeApiError
 * (its `cause`), whose httpCode may hold the code too.
 */
function systemError(error: unknown): SystemError {
	const outer = (error ?? {}) as SystemError & { cause?: SystemError; httpCode?: unknown };
	const inner = outer.cause ?? {};
	const httpCode =
		typeof outer.httpCode === 'string' && /^[A-Z_]+$/.test(outer.httpCode)
			? outer.httpCode
			: undefined;
	return {
		code: inner.code ?? outer.code ?? httpCode,
		message: inner.message ?? outer.message,
	};
}

export function classifyConnectionFailure(error: unknown): ConnectionFailure {
	const { code, message } = systemError(error);
	if ((code && PERMANENT.has(code)) || /invalid url/i.test(message ?? '')) return 'permanent';
	if (code && NOT_SENT.has(code)) return 'not-sent';
	return 'maybe-sent';
}

const EXPLANATION: Record<ConnectionFailure, string> = {
	permanent:
		"Nothing was sent, and trying again will not help: check the credential's Base URL (address, https certificate).",
	'not-sent': 'Nothing reached Brevo, so nothing was stored.',
	'maybe-sent':
		'The connection failed after the request went out and before Brevo answered. It may or may not have been stored.',
};

/** A failure without an answer from Brevo. */
export function connectionError(
	node: INode,
	error: unknown,
	failure: ConnectionFailure,
	itemIndex?: number,
	timeoutMs?: number,
): NodeApiError {
	const { message, code } = systemError(error);
	const timedOut = code === 'ECONNABORTED' || /timeout/i.test(message ?? '');
	// Rebuilt from the message and code only: the original error holds the request, with its key.
	// n8n replaces the message of well-known codes (ECONNRESET, ETIMEDOUT…) with its own wording.
	return new BrevoApiError(
		node,
		// A timeout's code stays out: n8n would put its "The connection was aborted" in place of
		// the message that names the item and the node's Timeout.
		{ message: message ?? 'unknown error', code: timedOut ? null : (code ?? null) },
		{
			message: forItem(
				timedOut
					? `Brevo did not answer within ${Math.round((timeoutMs ?? 0) / 1000)} s (the node's Timeout)`
					: `Could not reach Brevo: ${message ?? 'unknown error'}${code ? ` (${code})` : ''}`,
				itemIndex,
			),
			description: EXPLANATION[failure],
			itemIndex,
			stored: failure === 'maybe-sent' ? 'unknown' : 'no',
		},
	);
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
export function answerInError(error: unknown): BrevoResponse | undefined {
	const response = chain(error).find((e) => typeof e.response?.status === 'number')?.response;
	if (!response) return undefined;
	return {
		statusCode: response.status as number,
		headers: (response.headers ?? {}) as IDataObject,
		body: response.data,
	};
}

/**
 * The error to report when Brevo's token endpoint refused to issue a token (wrong client ID or
 * secret, deleted app, a scope the app was not granted). Not retried: asking again gives the same
 * answer. A token endpoint that failed (5xx), asked to wait (408, 429) or could not be reached is
 * left to the retries.
 */
export function tokenRefusal(
	error: unknown,
	node: INode,
	itemIndex: number | undefined,
	/** The credential's secrets, replaced wherever the refusal quotes them (redact.ts). */
	secrets: readonly string[] = [],
): NodeApiError | undefined {
	// @n8n/client-oauth2 throws code EAUTH with the OAuth error body, or ESTATUS with the status.
	// A 408 or 429 says "not now", not "no": left to the retries (found by a hostile-server probe).
	const notNow = (status: unknown) => Number(status) === 408 || Number(status) === 429;
	const refusal = chain(error).find(
		(e) =>
			(e.code === 'EAUTH' && !notNow(e.status)) ||
			(e.code === 'ESTATUS' && Number(e.status) < 500 && !notNow(e.status)),
	);
	if (!refusal) return undefined;
	const body = redactSecrets(
		typeof refusal.body === 'object' && refusal.body !== null ? refusal.body : {},
		secrets,
	) as { error?: unknown; error_description?: unknown };
	const reason = [body.error, body.error_description]
		.filter((part) => typeof part === 'string' && part !== '')
		.join(': ');
	return new BrevoApiError(node, { oauth: body } as JsonObject, {
		message: forItem(
			`Brevo refused to issue an OAuth2 access token${reason ? ` (${reason})` : ''}`,
			itemIndex,
		),
		description:
			'Check Client ID, Client Secret and Scope of the Brevo OAuth2 credential: Brevo answers invalid_client for a wrong, rotated or deleted client, and invalid_scope for a scope the app was not granted.',
		itemIndex,
		tokenRefused: true,
	});
}

/**
 * n8n's token request failed (the token endpoint answered 5xx, 408 or 429, or could not be reached): the API
 * request was never sent, so nothing can have been stored and a retry cannot duplicate.
 */
export class TokenRequestFailed extends BrevoApiError {}

/**
 * The error to report when n8n could not get an access token for reasons other than a refusal.
 * Recognised by n8n-core's wording for a first token, or by a failed request whose address is not
 * under the API's base URL (a token renewed after a 401 fails without that wording). Checked
 * before answerInError: the token endpoint's 5xx is not an answer of Brevo's API.
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
	const status =
		links.find((e) => typeof e.response?.status === 'number')?.response?.status ??
		// @n8n/client-oauth2's own error for a status it does not read as an OAuth answer.
		links.find((e) => e.code === 'ESTATUS' && typeof e.status === 'number')?.status;
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
		stored: 'no',
	});
}

/** Whether the error is a token refusal, which retrying cannot fix. */
export function isTokenRefusal(error: unknown): boolean {
	return error instanceof BrevoApiError && error.tokenRefused === true;
}

/** Whether Brevo refused a request for lack of access (a restricted key, a missing scope). */
export function isPermissionDenied(error: unknown): boolean {
	if (!(error instanceof NodeApiError)) return false;
	const brevo = (error.errorResponse as { brevo?: { code?: unknown } } | undefined)?.brevo;
	return error.httpCode === '403' || brevo?.code === 'permission_denied';
}
