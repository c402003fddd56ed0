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
