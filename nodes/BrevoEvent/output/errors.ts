import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

/**
 * The node's errors carry what they know beyond their message as typed fields, set when they are
 * built: the output items and the run's tally read them there, never from a side table.
 */

/** Whether Brevo may have stored what a failed request carried. */
export type StoredVerdict = 'no' | 'unknown';

export interface FailureFacts {
	/** "no", or "unknown" (a timeout, a reset after sending, a 5xx: Brevo has no idempotency key). */
	readonly stored?: StoredVerdict;
	/** What the tally groups it under, shared by every item failing the same way (no item, no value). */
	readonly reason?: string;
	/** Brevo's token endpoint refused to issue a token: asking again gives the same answer. */
	readonly tokenRefused?: boolean;
	/** The request never left: the node stopped at an earlier item's error (Stop Workflow). */
	readonly notSent?: boolean;
}

type ApiErrorOptions = NonNullable<ConstructorParameters<typeof NodeApiError>[2]>;
type OperationErrorOptions = NonNullable<ConstructorParameters<typeof NodeOperationError>[2]>;

/**
 * n8n names an error after its class and tells its own apart by that name (WorkflowExecute rethrows
 * only a "NodeApiError" or "NodeOperationError" as it is): the subclasses keep n8n's name.
 */
function keepName(error: Error, name: 'NodeApiError' | 'NodeOperationError'): void {
	Object.defineProperty(error, 'name', {
		value: name,
		writable: true,
		enumerable: true,
		configurable: true,
	});
}

/** An answer of Brevo's (or the lack of one) that is not a success, with what it means. */
export class BrevoApiError extends NodeApiError implements FailureFacts {
	declare readonly stored?: StoredVerdict;

	declare readonly reason?: string;

	declare readonly tokenRefused?: boolean;

	constructor(
		node: INode,
		response: JsonObject,
		{ stored, reason, tokenRefused, ...options }: ApiErrorOptions & FailureFacts,
	) {
		super(node, response, options);
		keepName(this, 'NodeApiError');
		if (stored) {
			this.stored = stored;
			// n8n keeps an error's context with the execution: the verdict shows there too.
			this.context.stored = stored;
		}
		if (reason !== undefined) this.reason = reason;
		if (tokenRefused) this.tokenRefused = true;
	}
}

/** An item whose parameters could not become an event, naming the item and the field. */
export class InvalidItemError extends NodeOperationError implements FailureFacts {
	declare readonly reason?: string;

	constructor(
		node: INode,
		message: string,
		{ reason, ...options }: OperationErrorOptions & { reason: string },
	) {
		super(node, message, options);
		keepName(this, 'NodeOperationError');
		this.reason = reason;
	}
}

/** A request the node did not send because it stopped at an earlier item's error. */
export class NotSentError extends NodeOperationError implements FailureFacts {
	readonly stored = 'no' as const;

	readonly notSent = true;

	constructor(node: INode, message: string, options: OperationErrorOptions) {
		super(node, message, options);
		keepName(this, 'NodeOperationError');
	}
}

/** The facts of any error: those of the node's own errors, none of others. */
export function factsOf(error: unknown): FailureFacts {
	if (error instanceof BrevoApiError) {
		const { stored, reason, tokenRefused } = error;
		return { stored, reason, tokenRefused };
	}
	if (error instanceof NotSentError) return { stored: 'no', notSent: true };
	return error instanceof InvalidItemError ? { reason: error.reason } : {};
}

/**
 * The error that stopped a run, with `more` after its description: n8n drops execution hints with a
 * failed node, so what was sent before the stop travels in the error. Built anew (same kind,
 * message, item, HTTP code and facts), not by editing the error that was caught.
 */
export function restated(node: INode, error: Error, more: string): Error {
	const known = error as Error & { description?: string | null; context?: { itemIndex?: unknown } };
	const description = known.description ? `${known.description}\n\n${more}` : more;
	const itemIndex =
		typeof known.context?.itemIndex === 'number' ? known.context.itemIndex : undefined;
	if (error instanceof NodeApiError) {
		return new BrevoApiError(node, error.errorResponse ?? {}, {
			message: error.message,
			description,
			httpCode: error.httpCode ?? undefined,
			itemIndex,
			...factsOf(error),
		});
	}
	if (error instanceof InvalidItemError) {
		return new InvalidItemError(node, error.message, {
			description,
			itemIndex,
			reason: error.reason ?? error.message,
		});
	}
	return new NodeOperationError(node, error.message, { description, itemIndex });
}
