import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type ILoadOptionsFunctions,
	type INode,
	type IPollFunctions,
	type JsonObject,
} from 'n8n-workflow';

import {
	BREVO_API_CREDENTIAL,
	BREVO_DEFAULT_BASE_URL,
	LOOPBACK_HOST,
} from '../../../credentials/BrevoApi.credentials';
import { BREVO_OAUTH2_CREDENTIAL } from '../../../credentials/BrevoOAuth2Api.credentials';
import { NotSentError } from '../output/errors';
import {
	answerInError,
	apiError,
	forItem,
	classifyConnectionFailure,
	connectionError,
	isTokenRefusal,
	looksLikeBrevo,
	tokenRefusal,
	tokenRequestFailure,
	TokenRequestFailed,
	unexpectedAnswer,
	type BrevoResponse,
} from './answers';
import {
	checkTokenUrl,
	credentialTypeOf,
	statusErrorsFor,
	type BrevoCredentialType,
} from './authentication';
import { Deadline, deadlinePassed } from './deadline';
import { redactSecrets, secretsOf } from './redact';
import { Cancelled, HeldTooLong, Spacing, systemClock, wait } from './pacer';
import { ignoredHeadersNote, readRateLimitHeaders } from './rateLimitHeaders';
import {
	bucketOf,
	processRateLimits,
	QuotaExhausted,
	type AccountLimits,
	type RateLimits,
} from './rateLimits';

export type { BrevoResponse } from './answers';

type Context = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export interface TransportOptions {
	/** Requests started per second, at most (Brevo: 10/s on every plan, 20/s on Pro/Enterprise). */
	requestsPerSecond: number;
	/** Requests awaiting an answer at once, so that latency does not cap throughput. */
	maxInFlight: number;
	/** Retry 5xx answers and dropped connections (Brevo has no idempotency key: may duplicate). */
	retryServerErrors: boolean;
	/** Retries of one request after a 5xx or dropped connection. */
	maxServerRetries: number;
	/** Total time one request may spend waiting out 429s before it is reported as failed. */
	maxRateLimitWaitMs: number;
	/** How long one request may wait for Brevo's answer (n8n's own default is 300 s). */
	timeoutMs: number;
	/** Where the account's pacers live: the process-wide registry, or a test's own. */
	rateLimits?: RateLimits;
}

export const DEFAULT_TRANSPORT_OPTIONS: TransportOptions = {
	requestsPerSecond: 10,
	maxInFlight: 10,
	retryServerErrors: true,
	maxServerRetries: 3,
	maxRateLimitWaitMs: 120_000,
	timeoutMs: 30_000,
};

export interface BrevoRequest {
	method: IHttpRequestMethods;
	/** Path below the base URL, e.g. "/events". */
	path: string;
	body?: unknown;
	qs?: IDataObject;
	/**
	 * The statuses returned to the caller: Brevo's documented success answers (204 for POST /events,
	 * 202/207 for a batch, 200 for reads), plus any error answer the caller reads itself (a batch's
	 * 400 names its events). Anything else throws.
	 */
	expect: number[];
	/** The input item the request belongs to, carried into errors. */
	itemIndex?: number;
}

const FIRST_BACKOFF_MS = 1_000;
function isServerError(statusCode: number): boolean {
	return statusCode >= 500;
}

/**
 * The credential's Base URL, checked before anything is sent: a malformed one would fail on every
 * request, and plain http:// to another machine would carry the API key in clear text.
 */
function checkedBaseUrl(ctx: Context, raw: unknown): string {
	const text = String(raw || BREVO_DEFAULT_BASE_URL)
		.trim()
		.replace(/\/+$/, '');
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new NodeOperationError(
			ctx.getNode(),
			`The credential's Base URL "${text}" is not a URL`,
			{
				description: 'Use https://api.brevo.com/v3, or the https address of your proxy',
			},
		);
	}
	if (url.protocol === 'http:' && !LOOPBACK_HOST.test(url.hostname)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The credential's Base URL uses plain http:// to ${url.hostname}: the API key would travel unencrypted`,
			{ description: 'Use https://. Plain http:// is accepted only for localhost / 127.0.0.1.' },
		);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new NodeOperationError(
			ctx.getNode(),
			`The credential's Base URL "${text}" is not an http(s) address`,
		);
	}
	return text;
}

/** A request of an item (Create, Get Many) speaks of the item; others (a poll, the attribute list) not. */
function nothingSent(itemIndex: number | undefined): string {
	return itemIndex === undefined ? 'Nothing was sent.' : 'Nothing was sent for this item.';
}

/**
 * The only place that talks to Brevo. Every request goes through n8n's
 * httpRequestWithAuthentication with the credential Authentication picks (API key or OAuth2), is paced under the configured
 * rate, slows down when Brevo's x-sib-ratelimit headers say the window is nearly used up, waits out
 * 429s (safe: Brevo stored nothing) and retries 5xx and dropped connections with exponential
 * backoff. Failures become NodeApiErrors built from Brevo's answer alone, never from the request,
 * so the API key cannot leak into an error.
 */
export class BrevoTransport {
	private inFlight = 0;

	/** Requests waiting for an in-flight slot, first come first served. */
	private readonly waiting: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];

	/** Aborted by stop(): no request starts after it. */
	private readonly stopping = new AbortController();

	/** The execution's cancel signal and stop(), as one. */
	private signal: AbortSignal | undefined;

	/** The user's Requests per Second, per bucket, for this execution alone. */
	private readonly spacing = new Map<string, Spacing>();

	/** The account's buckets, shared with the other executions of this process. */
	private readonly limits: AccountLimits;

	/** The node the requests belong to, for the errors built from its answers. */
	get node(): INode {
		return this.ctx.getNode();
	}

	get maxInFlight(): number {
		return this.options.maxInFlight;
	}

	constructor(
		private readonly ctx: Context,
		readonly baseUrl: string,
		private readonly options: TransportOptions = DEFAULT_TRANSPORT_OPTIONS,
		private readonly credentialType: BrevoCredentialType = BREVO_API_CREDENTIAL,
		/** Replaced in every answer before anything reads it (redact.ts). */
		private readonly secrets: readonly string[] = [],
	) {
		const { requestsPerSecond } = options;
		if (!Number.isFinite(requestsPerSecond) || requestsPerSecond <= 0) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Requests per Second must be a number above 0, not ${String(requestsPerSecond)}`,
				{
					description:
						"Set it to your Brevo plan's limit: 10 on every plan, 20 on Professional and Enterprise.",
				},
			);
		}
		// One account = one credential at one base URL; the key itself is never used as a name.
		const credentialId = ctx.getNode().credentials?.[credentialType]?.id ?? '';
		this.limits = (options.rateLimits ?? processRateLimits).account(`${baseUrl} ${credentialId}`);
	}

	static async create(ctx: Context, options?: Partial<TransportOptions>): Promise<BrevoTransport> {
		const credentialType = credentialTypeOf(ctx);
		const credentials = await ctx.getCredentials(credentialType);
		const baseUrl = checkedBaseUrl(ctx, credentials.baseUrl);
		if (credentialType === BREVO_OAUTH2_CREDENTIAL) checkTokenUrl(ctx.getNode(), credentials);
		return new BrevoTransport(
			ctx,
			baseUrl,
			{ ...DEFAULT_TRANSPORT_OPTIONS, ...options },
			credentialType,
			secretsOf(credentials),
		);
	}

	/**
	 * No request starts after this (Create stops at its first failure under Stop Workflow): those
	 * waiting for an in-flight slot, a pacer turn or a retry end as not sent; those already sent run
	 * to their answer.
	 */
	stop(): void {
		this.stopping.abort();
		for (const waiter of this.waiting.splice(0)) waiter.reject(new Cancelled());
	}

	/** Sends one request; resolves with an expected answer, throws a NodeApiError otherwise. */
	async request(request: BrevoRequest): Promise<BrevoResponse> {
		try {
			await this.enter();
		} catch {
			throw this.cancelledError(request);
		}
		try {
			return await this.withRetries(request);
		} finally {
			this.leave();
		}
	}

	private async withRetries(request: BrevoRequest): Promise<BrevoResponse> {
		const bucketName = bucketOf(request.method, request.path);
		const { requestsPerSecond, maxRateLimitWaitMs } = this.options;
		const bucket = this.limits.bucket(bucketName, requestsPerSecond);
		let spacing = this.spacing.get(bucketName);
		if (!spacing) this.spacing.set(bucketName, (spacing = new Spacing(requestsPerSecond)));
		const signal = this.cancelSignal();
		let rateLimitWaited = 0;
		// A 429's pause, counted when the 429 came: the retry's hold up to that long is that pause.
		let pauseCounted = 0;
		let serverRetries = 0;
		// An earlier attempt Brevo may have stored: a cancelled retry reports it, not "not sent".
		let mayHaveStored: (() => NodeApiError) | undefined;
		for (;;) {
			let ticket;
			try {
				// A cancelled execution sends nothing more, and spends no pacing slot on the way out.
				if (signal?.aborted) throw new Cancelled();
				// Another execution of this process may allow the bucket more than this one does.
				if (requestsPerSecond < bucket.ceiling) await spacing.next(signal);
				ticket = await bucket.start({
					ceiling: requestsPerSecond,
					maxWaitMs: maxRateLimitWaitMs - rateLimitWaited + pauseCounted,
					signal,
				});
				rateLimitWaited += ticket.quotaWaitMs + Math.max(0, ticket.heldMs - pauseCounted);
				pauseCounted = 0;
			} catch (error) {
				if (error instanceof QuotaExhausted) throw this.quotaError(error, request);
				if (error instanceof HeldTooLong) throw this.heldError(error, request);
				if (error instanceof Cancelled) throw mayHaveStored?.() ?? this.cancelledError(request);
				throw new NodeOperationError(this.ctx.getNode(), error as Error, {
					itemIndex: request.itemIndex,
				});
			}
			let response: BrevoResponse;
			try {
				response = await this.send(request);
			} catch (error) {
				bucket.finish(ticket);
				// Same instance: NodeApiError hands back an error that already is one.
				if (isTokenRefusal(error)) throw new NodeApiError(this.ctx.getNode(), error as JsonObject);
				if (error instanceof TokenRequestFailed) {
					// Nothing was sent: retried like a connection that never reached Brevo.
					if (serverRetries >= this.options.maxServerRetries)
						throw new NodeApiError(this.ctx.getNode(), error as unknown as JsonObject);
					await this.backOff(serverRetries++, signal, request, mayHaveStored);
					continue;
				}
				const failure = classifyConnectionFailure(error);
				// Nothing reached Brevo: a retry cannot duplicate, so it does not need the user's consent.
				const retry =
					failure === 'not-sent'
						? serverRetries < this.options.maxServerRetries
						: failure === 'maybe-sent' && this.canRetryServerError(serverRetries);
				const reported = () =>
					connectionError(
						this.ctx.getNode(),
						error,
						failure,
						request.itemIndex,
						this.options.timeoutMs,
					);
				if (!retry) throw reported();
				if (failure === 'maybe-sent') mayHaveStored = reported;
				await this.backOff(serverRetries++, signal, request, mayHaveStored);
				continue;
			}
			// Every answer teaches the bucket's pacer (x-sib-ratelimit-* headers, 429s, quotas).
			const verdict = bucket.finish(ticket, response);
			if (verdict.ignored?.length) {
				this.ctx.logger?.warn(
					`Brevo Event: ${request.method} ${request.path} answered rate-limit headers outside what Brevo can mean; ignored: ${verdict.ignored.join(', ')}`,
				);
			}
			const { statusCode } = response;
			if (request.expect.includes(statusCode)) {
				if (statusCode >= 400 || looksLikeBrevo(response)) return response;
				throw unexpectedAnswer(this.ctx.getNode(), response, request.expect, request.itemIndex);
			}
			if (statusCode < 400) {
				throw unexpectedAnswer(this.ctx.getNode(), response, request.expect, request.itemIndex);
			}
			if (verdict.kind === 'quota') {
				// The next start waits for the reset, or fails at once if the reset is too far.
				if (rateLimitWaited + verdict.quota.resetAt - Date.now() > maxRateLimitWaitMs)
					throw this.quotaError(verdict.quota, request, verdict.ignored);
				continue;
			}
			if (verdict.kind === 'retry') {
				if (rateLimitWaited + verdict.waitMs > maxRateLimitWaitMs) {
					throw apiError(
						this.ctx.getNode(),
						response,
						request.itemIndex,
						this.credentialType,
						ignoredHeadersNote(verdict.ignored),
					);
				}
				rateLimitWaited += verdict.waitMs;
				pauseCounted = verdict.waitMs;
				continue;
			}
			if (isServerError(statusCode) && this.canRetryServerError(serverRetries)) {
				mayHaveStored = () =>
					apiError(this.ctx.getNode(), response, request.itemIndex, this.credentialType);
				// A Retry-After (e.g. on a 503) lengthens the pause; one beyond Max Rate-Limit Wait ends the retries.
				const { retryAfter } = readRateLimitHeaders(response.headers);
				const retryAfterMs = (retryAfter ?? 0) * 1000;
				if (rateLimitWaited + retryAfterMs <= maxRateLimitWaitMs) {
					rateLimitWaited += retryAfterMs;
					await this.backOff(serverRetries++, signal, request, mayHaveStored, retryAfterMs);
					continue;
				}
			}
			throw apiError(this.ctx.getNode(), response, request.itemIndex, this.credentialType);
		}
	}

	/** Waits before a retry of a server error; a cancelled execution does not wait it out. */
	private async backOff(
		retry: number,
		signal: AbortSignal,
		request: BrevoRequest,
		mayHaveStored: (() => NodeApiError) | undefined,
		atLeastMs = 0,
	) {
		try {
			await wait(systemClock, Math.max(FIRST_BACKOFF_MS * 2 ** retry, atLeastMs), signal);
		} catch {
			// wait() throws only when the execution is cancelled or the transport stopped.
			throw mayHaveStored?.() ?? this.cancelledError(request);
		}
	}

	private cancelSignal(): AbortSignal {
		if (!this.signal) {
			const execution = this.cancelSignalOfExecution();
			this.signal = execution
				? AbortSignal.any([execution, this.stopping.signal])
				: this.stopping.signal;
		}
		return this.signal;
	}

	/** A request that never left: the execution was cancelled, or the node stopped at an error. */
	private cancelledError({ itemIndex }: BrevoRequest): NodeOperationError {
		if (this.stopping.signal.aborted && !this.cancelSignalOfExecution()?.aborted) {
			return new NotSentError(
				this.ctx.getNode(),
				forItem("Not sent: the node stopped at an earlier item's error", itemIndex),
				{ itemIndex },
			);
		}
		return new NodeOperationError(
			this.ctx.getNode(),
			'The execution was cancelled before this request was sent',
			{ itemIndex },
		);
	}

	private cancelSignalOfExecution(): AbortSignal | undefined {
		return 'getExecutionCancelSignal' in this.ctx ? this.ctx.getExecutionCancelSignal() : undefined;
	}

	/** A quota (a long window, e.g. Brevo's hourly limit) ran out and resets too late to wait. */
	private quotaError(
		quota: QuotaExhausted,
		{ method, path, itemIndex }: BrevoRequest,
		ignored: string[] = [],
	): NodeApiError {
		const seconds = Math.max(Math.ceil((quota.resetAt - Date.now()) / 1000), 0);
		const inTime = seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${seconds} s`;
		const at = new Date(quota.resetAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
		const perWindow =
			quota.limit === undefined
				? ''
				: ` (${quota.limit} ${quota.limit === 1 ? 'request' : 'requests'} per window)`;
		const route = `${method} ${path}`;
		const what =
			quota.source === 'retry-after'
				? `Brevo asked to retry ${route} later (Retry-After): in ${inTime}, at ${at}`
				: `Brevo's rate-limit quota for ${route} is used up${perWindow}: it resets in ${inTime}, at ${at}`;
		return new NodeApiError(
			this.ctx.getNode(),
			{ message: 'quota used up', route, resetAt: at } as JsonObject,
			{
				message: `${what}. ${nothingSent(itemIndex)}`,
				description: `Max Rate-Limit Wait (${Math.round(this.options.maxRateLimitWaitMs / 1000)} s) is shorter than the time until the reset. Run the items again after the reset, raise Max Rate-Limit Wait to wait for it, or send fewer requests (batch mode sends up to 200 events per request).${ignoredHeadersNote(ignored)}`,
				httpCode: '429',
				itemIndex,
			},
		);
	}

	/**
	 * The account's per-second window stayed full (other senders, or Brevo's answers said so) and
	 * the pacer would hold this request back beyond Max Rate-Limit Wait.
	 */
	private heldError(held: HeldTooLong, { method, path, itemIndex }: BrevoRequest): NodeApiError {
		const route = `${method} ${path}`;
		const maxS = Math.round(this.options.maxRateLimitWaitMs / 1000);
		return new NodeApiError(
			this.ctx.getNode(),
			{ message: 'rate limit wait too long', route } as JsonObject,
			{
				message: forItem(
					`Brevo's rate limit for ${route} kept this ${itemIndex === undefined ? 'request' : 'item'} waiting ${(held.waitedMs / 1000).toFixed(1)} s for its turn, and would hold it back longer than Max Rate-Limit Wait (${maxS} s). ${nothingSent(itemIndex)}`,
					itemIndex,
				),
				description:
					"Brevo's answers said the account's per-second window was full (x-sib-ratelimit-remaining), so the node slowed down to leave room for the account's other senders. Run the item again, raise Max Rate-Limit Wait, or send fewer requests (batch mode sends up to 200 events per request).",
				httpCode: '429',
				itemIndex,
			},
		);
	}

	private canRetryServerError(retries: number): boolean {
		return this.options.retryServerErrors && retries < this.options.maxServerRetries;
	}

	private async send({ method, path, body, qs, itemIndex }: BrevoRequest): Promise<BrevoResponse> {
		let response: { statusCode: number; headers: IDataObject; body: unknown };
		// The execution's cancel only: a transport stopped at an error lets requests already on their
		// way finish, so that their outcome is known.
		const deadline = new Deadline(this.options.timeoutMs, this.cancelSignalOfExecution());
		try {
			response = await deadline.race(
				this.authenticatedRequest({ method, path, body, qs }, deadline.signal),
			);
		} catch (error) {
			if (deadline.passed) throw deadlinePassed(this.ctx.getNode(), deadline.ms);
			if (this.credentialType === BREVO_OAUTH2_CREDENTIAL) {
				const refused = tokenRefusal(error, this.ctx.getNode(), itemIndex, this.secrets);
				if (refused) throw refused;
				// Before reading an answer out of the error: a token endpoint's 5xx is not Brevo's API's.
				const failed = tokenRequestFailure(error, this.ctx.getNode(), itemIndex, this.baseUrl);
				if (failed) throw failed;
			}
			const answer = answerInError(error);
			if (answer) return this.redacted(answer);
			throw tokenRefusal(error, this.ctx.getNode(), itemIndex, this.secrets) ?? error;
		} finally {
			deadline.end();
		}
		return this.redacted({
			statusCode: response.statusCode,
			headers: response.headers ?? {},
			body: response.body,
		});
	}

	/** The answer without the credential's secrets, should it quote them (redact.ts). */
	private redacted(answer: BrevoResponse): BrevoResponse {
		return {
			statusCode: answer.statusCode,
			headers: redactSecrets(answer.headers, this.secrets),
			body: redactSecrets(answer.body, this.secrets),
		};
	}

	private async authenticatedRequest(
		{ method, path, body, qs }: Pick<BrevoRequest, 'method' | 'path' | 'body' | 'qs'>,
		signal: AbortSignal,
	) {
		// n8n's helper gives the request the execution's cancel signal, read from `this`, in place of
		// any signal of the request's own: it reads the deadline's (which also aborts on cancel) here.
		const context =
			'getExecutionCancelSignal' in this.ctx
				? Object.create(this.ctx, { getExecutionCancelSignal: { value: () => signal } })
				: this.ctx;
		return (await this.ctx.helpers.httpRequestWithAuthentication.call(
			context as Context,
			this.credentialType,
			{
				method,
				url: `${this.baseUrl}${path}`,
				headers: { accept: 'application/json', 'content-type': 'application/json' },
				body: body as IDataObject,
				qs,
				// Brevo repeats a filter for several values: ?event_name=a&event_name=b
				arrayFormat: 'repeat',
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: statusErrorsFor(this.credentialType),
				// A redirect would carry the api-key header to wherever it points (n8n strips only
				// Authorization and Cookie); it is reported instead (answers.ts).
				disableFollowRedirect: true,
				// Both: n8n's `timeout` bounds a silence, the deadline's signal the whole request.
				timeout: this.options.timeoutMs,
				abortSignal: signal,
			},
		)) as { statusCode: number; headers: IDataObject; body: unknown };
	}

	/** Waits for a free in-flight slot, first come first served. */
	private async enter(): Promise<void> {
		if (this.stopping.signal.aborted) throw new Cancelled();
		if (this.inFlight < this.options.maxInFlight && this.waiting.length === 0) {
			this.inFlight++;
			return;
		}
		await new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
	}

	/** Hands the slot straight to the next waiter, so that no later caller slips in between. */
	private leave(): void {
		const next = this.waiting.shift();
		if (next) next.resolve();
		else this.inFlight--;
	}
}
