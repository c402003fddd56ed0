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
}

type ApiErrorOptions = NonNullable<ConstructorParameters<typeof NodeApiError>[2]>;

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
		{
			reason,
			...options
		}: NonNullable<ConstructorParameters<typeof NodeOperationError>[2]> & {
			reason: string;
		},
	) {
		super(node, message, options);
		this.reason = reason;
	}
}

/** The facts of any error: those of the node's own errors, none of others. */
export function factsOf(error: unknown): FailureFacts {
	return error instanceof BrevoApiError || error instanceof InvalidItemError ? error : {};
}
