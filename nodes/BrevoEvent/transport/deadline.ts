import { NodeOperationError, type INode } from 'n8n-workflow';

import { systemClock, wait, type Clock } from './pacer';

/**
 * A deadline for a whole request. n8n's `timeout` is an idle timeout (the HTTP client's socket
 * timeout restarts with every byte), so a server trickling its answer a byte at a time holds a
 * request for as long as it likes; the node's Timeout promises a bound on the whole request, so
 * the request is aborted through its abort signal when the deadline passes. Waited on the pacer's
 * clock (n8n's `sleep`, in slices of at most a second), so any Timeout is a real wait: Node's own
 * timers turn a delay above 2^31-1 ms (~24.8 days) into 1 ms.
 */
export class Deadline {
	private readonly expired = new AbortController();

	private readonly ended = new AbortController();

	/** Aborts when the deadline passes, or when `cancel` (the execution's cancel signal) does. */
	readonly signal: AbortSignal;

	constructor(
		readonly ms: number,
		cancel?: AbortSignal,
		clock: Clock = systemClock,
	) {
		this.signal = cancel ? AbortSignal.any([cancel, this.expired.signal]) : this.expired.signal;
		wait(clock, ms, this.ended.signal).then(
			() => this.expired.abort(),
			// Ended (the request finished first): nothing to abort.
			() => {},
		);
	}

	/** Whether the deadline passed (and aborted the request). */
	get passed(): boolean {
		return this.expired.signal.aborted;
	}

	/** The request finished: stop waiting. */
	end(): void {
		this.ended.abort();
	}

	/**
	 * `request`, or a rejection as soon as the deadline passes or the execution is cancelled. n8n's
	 * helper hands the signal to Brevo's request but not to the OAuth2 token request it may make
	 * first (@n8n/client-oauth2: its own 300 s idle timeout, no signal): a token endpoint that never
	 * answers would otherwise hold the node far beyond its Timeout, and past a cancel.
	 */
	async race<T>(request: Promise<T>): Promise<T> {
		let onAbort = () => {};
		const aborted = new Promise<never>((_resolve, reject) => {
			// What the HTTP client rejects with when its signal aborts the request.
			onAbort = () => reject(Object.assign(new Error('canceled'), { code: 'ERR_CANCELED' }));
		});
		if (this.signal.aborted) onAbort();
		else this.signal.addEventListener('abort', onAbort, { once: true });
		try {
			return await Promise.race([request, aborted]);
		} finally {
			this.signal.removeEventListener('abort', onAbort);
		}
	}
}

/**
 * What a request aborted by its deadline fails with, before it is reported: read as a timeout
 * (answers.ts: the request may have been stored).
 */
export class DeadlinePassed extends NodeOperationError {
	readonly code = 'ECONNABORTED';
}

export function deadlinePassed(node: INode, ms: number): DeadlinePassed {
	return new DeadlinePassed(node, `timeout: no complete answer within ${ms} ms`);
}
