import type { IDataObject } from 'n8n-workflow';

/**
 * The rate-limit headers of one answer, read with bounded trust: a value Brevo cannot mean (a reset
 * beyond its longest window, a negative count, a year-long Retry-After, text) is treated as absent
 * and named in `ignored`, so that one odd answer (a broken proxy, a hostile server) can neither
 * crash the node, nor make it wait for years, nor block later executions for longer than Brevo's
 * longest window.
 */

/**
 * Brevo's longest rate-limit window is an hour (its limits are per second and per hour,
 * developers.brevo.com/docs/api-limits): no reset or Retry-After of Brevo's lasts longer.
 */
export const LONGEST_WINDOW_S = 3_600;

/** Far above Brevo's largest documented limit (3,600,000 requests per hour). */
const LARGEST_LIMIT = 100_000_000;

export interface RateLimitHeaders {
	/** x-sib-ratelimit-limit: requests per window (a whole number from 1). */
	limit?: number;
	/** x-sib-ratelimit-remaining: what is left of the window (0 to limit). */
	remaining?: number;
	/** x-sib-ratelimit-reset: seconds until the window resets (relative, 0 to an hour). */
	reset?: number;
	/** Retry-After, in seconds (given as seconds or as an HTTP date; 0 to an hour). */
	retryAfter?: number;
	/** Headers present with a value outside what Brevo can mean, e.g. `x-sib-ratelimit-reset: 1e20`. */
	ignored: string[];
}

function headerValue(headers: IDataObject, name: string): string | undefined {
	const raw = headers[name];
	const value = Array.isArray(raw) ? raw[0] : raw;
	if (value === undefined || value === null) return undefined;
	const text = String(value).trim();
	return text === '' ? undefined : text;
}

/** A decimal number as an HTTP header writes it ("12", "0.5"), nothing else ("1e3", "0x10", "12abc"). */
function decimal(text: string): number | undefined {
	return /^\d{1,15}(\.\d{1,6})?$/.test(text) ? Number(text) : undefined;
}

/** Retry-After: delay-seconds or an HTTP date (RFC 9110 §10.2.3), as seconds from `now`. */
function retryAfterSeconds(text: string, now: number): number | undefined {
	const seconds = decimal(text);
	if (seconds !== undefined) return seconds;
	// An HTTP date names its weekday and month in letters: "Wed, 21 Oct 2026 07:28:00 GMT".
	if (!/^[A-Za-z]{3},? [\w -]+ \d{2}:\d{2}:\d{2} GMT$/.test(text)) return undefined;
	const at = Date.parse(text);
	if (!Number.isFinite(at)) return undefined;
	// A date already past means "now".
	return Math.max(0, (at - now) / 1000);
}

/** Reads and bounds the rate-limit headers of an answer received at `now` (ms since the epoch). */
export function readRateLimitHeaders(headers: IDataObject, now = Date.now()): RateLimitHeaders {
	const ignored: string[] = [];
	const read = (
		name: string,
		parse: (text: string) => number | undefined,
		valid: (value: number) => boolean,
	): number | undefined => {
		const text = headerValue(headers, name);
		if (text === undefined) return undefined;
		const value = parse(text);
		if (value !== undefined && Number.isFinite(value) && valid(value)) return value;
		ignored.push(`${name}: ${text.length > 30 ? `${text.slice(0, 30)}…` : text}`);
		return undefined;
	};
	const limit = read(
		'x-sib-ratelimit-limit',
		decimal,
		(v) => Number.isInteger(v) && v >= 1 && v <= LARGEST_LIMIT,
	);
	const remaining = read(
		'x-sib-ratelimit-remaining',
		decimal,
		(v) => Number.isInteger(v) && v <= (limit ?? LARGEST_LIMIT),
	);
	const reset = read('x-sib-ratelimit-reset', decimal, (v) => v <= LONGEST_WINDOW_S);
	const retryAfter = read(
		'retry-after',
		(text) => retryAfterSeconds(text, now),
		(v) => v <= LONGEST_WINDOW_S,
	);
	return { limit, remaining, reset, retryAfter, ignored };
}

/** A sentence for an error's description naming what was ignored, or '' when nothing was. */
export function ignoredHeadersNote(ignored: string[]): string {
	if (ignored.length === 0) return '';
	return ` The answer's ${ignored.join(', ')} ${ignored.length === 1 ? 'is' : 'are'} outside what Brevo can mean (no Brevo window lasts more than ${LONGEST_WINDOW_S / 60} min) and ${ignored.length === 1 ? 'was' : 'were'} ignored.`;
}
