import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type ILoadOptionsFunctions,
	type JsonObject,
} from 'n8n-workflow';

import {
	BREVO_API_CREDENTIAL,
	BREVO_DEFAULT_BASE_URL,
} from '../../../credentials/BrevoApi.credentials';
import { Cancelled, Spacing, systemClock, wait } from './pacer';
import {
	bucketOf,
	processRateLimits,
	QuotaExhausted,
	type AccountLimits,
	type RateLimits,
} from './rateLimits';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

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
	/** Where the account's pacers live: the process-wide registry, or a test's own. */
	rateLimits?: RateLimits;
}

export const DEFAULT_TRANSPORT_OPTIONS: TransportOptions = {
	requestsPerSecond: 10,
	maxInFlight: 10,
	retryServerErrors: true,
	maxServerRetries: 3,
	maxRateLimitWaitMs: 120_000,
};

export interface BrevoResponse {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

export interface BrevoRequest {
	method: IHttpRequestMethods;
	/** Path below the base URL, e.g. "/events". */
	path: string;
	body?: unknown;
	qs?: IDataObject;
	/** The input item the request belongs to, carried into errors. */
	itemIndex?: number;
}

const FIRST_BACKOFF_MS = 1_000;

function isServerError(statusCode: number): boolean {
	return statusCode >= 500;
}

/** What a status means for the user, under Brevo's own message. */
function hintFor(statusCode: number): string | undefined {
	if (statusCode === 400) return 'Brevo rejected the request as invalid, so nothing was stored.';
	if (statusCode === 401) {
		return 'Check the API key of the Brevo API credential: it must be a v3 API key (xkeysib-…), not the ma-key of the legacy event tracker.';
	}
	if (statusCode === 403)
		return 'The API key is not allowed to do this, or the IP address is not authorised in Brevo.';
	if (statusCode === 429)
		return 'Brevo rate limit. Lower "Requests per Second" or raise "Max Rate-Limit Wait".';
	if (statusCode >= 500) return 'Brevo had a problem. The request may or may not have been stored.';
	return undefined;
}

/**
 * The only place that talks to Brevo. Every request goes through n8n's
 * httpRequestWithAuthentication with the Brevo API credential, is paced under the configured
 * rate, slows down when Brevo's x-sib-ratelimit headers say the window is nearly used up, waits out
 * 429s (safe: Brevo stored nothing) and retries 5xx and dropped connections with exponential
 * backoff. Failures become NodeApiErrors built from Brevo's answer alone, never from the request,
 * so the API key cannot leak into an error.
 */
export class BrevoTransport {
	private inFlight = 0;

	private readonly waiting: Array<() => void> = [];

	/** The user's Requests per Second, per bucket, for this execution alone. */
	private readonly spacing = new Map<string, Spacing>();

	/** The account's buckets, shared with the other executions of this process. */
	private readonly limits: AccountLimits;

	get maxInFlight(): number {
		return this.options.maxInFlight;
	}

	constructor(
		private readonly ctx: Context,
		private readonly baseUrl: string,
		private readonly options: TransportOptions = DEFAULT_TRANSPORT_OPTIONS,
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
		const credentialId = ctx.getNode().credentials?.[BREVO_API_CREDENTIAL]?.id ?? '';
		this.limits = (options.rateLimits ?? processRateLimits).account(`${baseUrl} ${credentialId}`);
	}

	static async create(ctx: Context, options?: Partial<TransportOptions>): Promise<BrevoTransport> {
		const credentials = await ctx.getCredentials(BREVO_API_CREDENTIAL);
		const baseUrl = String(credentials.baseUrl || BREVO_DEFAULT_BASE_URL).replace(/\/+$/, '');
		return new BrevoTransport(ctx, baseUrl, { ...DEFAULT_TRANSPORT_OPTIONS, ...options });
	}

	/** Sends one request; resolves with a 2xx response, throws a NodeApiError otherwise. */
	async request(request: BrevoRequest): Promise<BrevoResponse> {
		await this.enter();
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
		let serverRetries = 0;
		for (;;) {
			let ticket;
			try {
				// A cancelled execution sends nothing more, and spends no pacing slot on the way out.
				if (signal?.aborted) throw new Cancelled();
				// Another execution of this process may allow the bucket more than this one does.
				if (requestsPerSecond < bucket.ceiling) await spacing.next(signal);
				ticket = await bucket.start({
					ceiling: requestsPerSecond,
					maxWaitMs: maxRateLimitWaitMs - rateLimitWaited,
					signal,
				});
				rateLimitWaited += ticket.quotaWaitMs;
			} catch (error) {
				if (error instanceof Cancelled) throw this.cancelledError(request);
				if (error instanceof QuotaExhausted) throw this.quotaError(error, request);
				throw error;
			}
			let response: BrevoResponse;
			try {
				response = await this.send(request);
			} catch (error) {
				bucket.finish(ticket);
				if (!this.canRetryServerError(serverRetries)) throw this.connectionError(error, request);
				await this.backOff(serverRetries++, signal, request);
				continue;
			}
			const verdict = bucket.finish(ticket, response);
			const { statusCode } = response;
			if (statusCode >= 200 && statusCode < 300) return response;
			if (verdict.kind === 'quota') {
				// The next start waits for the reset, or fails at once if the reset is too far.
				if (rateLimitWaited + verdict.quota.resetAt - Date.now() > maxRateLimitWaitMs)
					throw this.quotaError(verdict.quota, request);
				continue;
			}
			if (verdict.kind === 'retry') {
				if (rateLimitWaited + verdict.waitMs > maxRateLimitWaitMs)
					throw this.apiError(response, request);
				rateLimitWaited += verdict.waitMs;
				continue;
			}
			if (isServerError(statusCode) && this.canRetryServerError(serverRetries)) {
				await this.backOff(serverRetries++, signal, request);
				continue;
			}
			throw this.apiError(response, request);
		}
	}

	/** Waits before a server-error retry; a cancelled execution does not wait it out. */
	private async backOff(retry: number, signal: AbortSignal | undefined, request: BrevoRequest) {
		try {
			await wait(systemClock, FIRST_BACKOFF_MS * 2 ** retry, signal);
		} catch (error) {
			if (error instanceof Cancelled) throw this.cancelledError(request);
			throw error;
		}
	}

	private cancelSignal(): AbortSignal | undefined {
		return 'getExecutionCancelSignal' in this.ctx ? this.ctx.getExecutionCancelSignal() : undefined;
	}

	private cancelledError({ itemIndex }: BrevoRequest): NodeOperationError {
		return new NodeOperationError(
			this.ctx.getNode(),
			'The execution was cancelled before this request was sent',
			{ itemIndex },
		);
	}

	/** A quota (a long window, e.g. Brevo's hourly limit) ran out and resets too late to wait. */
	private quotaError(
		quota: QuotaExhausted,
		{ method, path, itemIndex }: BrevoRequest,
	): NodeApiError {
		const seconds = Math.max(Math.ceil((quota.resetAt - Date.now()) / 1000), 0);
		const inTime = seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${seconds} s`;
		const at = new Date(quota.resetAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
		const perWindow =
			quota.limit === undefined
				? ''
				: ` (${quota.limit} ${quota.limit === 1 ? 'request' : 'requests'} per window)`;
		const route = `${method} ${path}`;
		return new NodeApiError(
			this.ctx.getNode(),
			{ message: 'quota used up', route, resetAt: at } as JsonObject,
			{
				message: `Brevo's rate-limit quota for ${route} is used up${perWindow}: it resets in ${inTime}, at ${at}. Nothing was sent for this item.`,
				description: `Max Rate-Limit Wait (${Math.round(this.options.maxRateLimitWaitMs / 1000)} s) is shorter than the time until the reset. Run the items again after the reset, raise Max Rate-Limit Wait to wait for it, or send fewer requests (batch mode sends up to 200 events per request).`,
				httpCode: '429',
				itemIndex,
			},
		);
	}

	private canRetryServerError(retries: number): boolean {
		return this.options.retryServerErrors && retries < this.options.maxServerRetries;
	}

	private async send({ method, path, body, qs }: BrevoRequest): Promise<BrevoResponse> {
		const response = (await this.ctx.helpers.httpRequestWithAuthentication.call(
			this.ctx,
			BREVO_API_CREDENTIAL,
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
				ignoreHttpStatusErrors: true,
			},
		)) as { statusCode: number; headers: IDataObject; body: unknown };
		return {
			statusCode: response.statusCode,
			headers: response.headers ?? {},
			body: response.body,
		};
	}

	/** Waits for a free in-flight slot. */
	private async enter(): Promise<void> {
		if (this.inFlight >= this.options.maxInFlight) {
			await new Promise<void>((resolve) => this.waiting.push(resolve));
		}
		this.inFlight++;
	}

	private leave(): void {
		this.inFlight--;
		this.waiting.shift()?.();
	}

	private apiError({ statusCode, body }: BrevoResponse, { itemIndex }: BrevoRequest): NodeApiError {
		const answer = (typeof body === 'object' && body !== null ? body : {}) as IDataObject;
		const code = typeof answer.code === 'string' ? answer.code : undefined;
		const text =
			typeof answer.message === 'string' ? answer.message : typeof body === 'string' ? body : '';
		const message = `Brevo answered ${statusCode}${code ? ` ${code}` : ''}${text ? `: ${text}` : ''}`;
		// Brevo's answer goes in as `brevo` so that NodeApiError does not turn its message into the description.
		return new NodeApiError(
			this.ctx.getNode(),
			{ brevo: answer, status: statusCode } as JsonObject,
			{
				message,
				description: hintFor(statusCode),
				httpCode: String(statusCode),
				itemIndex,
			},
		);
	}

	private connectionError(error: unknown, { itemIndex }: BrevoRequest): NodeApiError {
		const { message, code } = (error ?? {}) as { message?: string; code?: string };
		// Rebuilt from the message and code only: the original error holds the request, with its key.
		// n8n replaces the message of well-known codes (ECONNRESET, ETIMEDOUT…) with its own wording.
		return new NodeApiError(
			this.ctx.getNode(),
			{ message: message ?? 'unknown error', code: code ?? null },
			{
				message: `Could not reach Brevo: ${message ?? 'unknown error'}${code ? ` (${code})` : ''}`,
				description:
					'The connection failed before Brevo answered. The request may or may not have been stored.',
				itemIndex,
			},
		);
	}
}
