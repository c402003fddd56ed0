import {
	NodeApiError,
	NodeOperationError,
	sleep,
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
import { Pacer } from './pacer';

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
/** Brevo sends no Retry-After; a 429 without x-sib-ratelimit-reset is retried after this. */
const DEFAULT_RESET_MS = 1_000;

function header(headers: IDataObject, name: string): number | undefined {
	const raw = headers[name];
	if (raw === undefined || raw === null || raw === '') return undefined;
	const value = Number(Array.isArray(raw) ? raw[0] : raw);
	return Number.isFinite(value) ? value : undefined;
}

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

	private readonly pacer: Pacer;

	get maxInFlight(): number {
		return this.options.maxInFlight;
	}

	constructor(
		private readonly ctx: Context,
		readonly baseUrl: string,
		private readonly options: TransportOptions = DEFAULT_TRANSPORT_OPTIONS,
	) {
		this.pacer = new Pacer(options.requestsPerSecond);
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
		let rateLimitWaited = 0;
		let serverRetries = 0;
		for (;;) {
			await this.pacer.next();
			// A cancelled execution sends nothing more, even from requests still waiting their turn.
			if (this.cancelled()) {
				throw new NodeOperationError(
					this.ctx.getNode(),
					'The execution was cancelled before this request was sent',
					{
						itemIndex: request.itemIndex,
					},
				);
			}
			let response: BrevoResponse;
			try {
				response = await this.send(request);
			} catch (error) {
				if (!this.canRetryServerError(serverRetries)) throw this.connectionError(error, request);
				await sleep(FIRST_BACKOFF_MS * 2 ** serverRetries++);
				continue;
			}
			this.observe(response);
			const { statusCode } = response;
			if (statusCode >= 200 && statusCode < 300) return response;
			if (statusCode === 429) {
				const wait =
					(header(response.headers, 'x-sib-ratelimit-reset') ?? 0) * 1000 || DEFAULT_RESET_MS;
				if (rateLimitWaited + wait > this.options.maxRateLimitWaitMs)
					throw this.apiError(response, request);
				rateLimitWaited += wait;
				this.pacer.pauseFor(wait);
				continue;
			}
			if (isServerError(statusCode) && this.canRetryServerError(serverRetries)) {
				await sleep(FIRST_BACKOFF_MS * 2 ** serverRetries++);
				continue;
			}
			throw this.apiError(response, request);
		}
	}

	private cancelled(): boolean {
		return (
			'getExecutionCancelSignal' in this.ctx &&
			this.ctx.getExecutionCancelSignal()?.aborted === true
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

	/**
	 * Slows down before a long Brevo window (e.g. the hourly quota) runs out instead of bouncing off
	 * 429s. A reset of 1 s is the per-second window, which the pacing above already respects: waiting
	 * it out each time it reaches 0 would halve throughput, as Brevo rounds the reset up to 1 s.
	 */
	private observe({ headers }: BrevoResponse): void {
		const remaining = header(headers, 'x-sib-ratelimit-remaining');
		const reset = header(headers, 'x-sib-ratelimit-reset');
		if (remaining === undefined || reset === undefined || reset <= 1) return;
		// Requests already on their way will use up what remains.
		if (remaining < this.inFlight) this.pacer.pauseFor(reset * 1000);
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
