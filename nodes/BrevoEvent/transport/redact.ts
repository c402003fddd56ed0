import type { IDataObject } from 'n8n-workflow';

/** What a secret is replaced with. */
export const REDACTED = '[redacted]';

/** Shorter strings are no secrets worth the name, and replacing them would garble answers. */
const MIN_SECRET_LENGTH = 8;

/**
 * The credential's secrets the node could meet in an answer: the API key; for OAuth2, the client
 * secret and the tokens n8n had stored when the run started.
 */
export function secretsOf(credentials: IDataObject): string[] {
	const token = (credentials.oauthTokenData ?? {}) as IDataObject;
	return [credentials.apiKey, credentials.clientSecret, token.access_token, token.refresh_token]
		.filter((secret): secret is string => typeof secret === 'string')
		.filter((secret) => secret.length >= MIN_SECRET_LENGTH);
}

/**
 * `value` with every occurrence of `secrets` replaced, at any depth. Brevo never repeats a key, but
 * a proxy, a firewall's error page or an echo service behind a wrong Base URL may quote the request's
 * `api-key` header; the node builds messages, error details and log lines from answers.
 */
export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
	if (secrets.length === 0) return value;
	const walk = (node: unknown): unknown => {
		if (typeof node === 'string')
			return secrets.reduce((text, secret) => text.split(secret).join(REDACTED), node);
		if (Array.isArray(node)) return node.map(walk);
		if (typeof node === 'object' && node !== null && !Buffer.isBuffer(node))
			return Object.fromEntries(
				Object.entries(node).map(([key, entry]) => [walk(key), walk(entry)]),
			);
		return node;
	};
	return walk(value) as T;
}
