import {
	type NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import type { BrevoEventPayload } from '../payload/event';
import { FieldError } from '../payload/FieldError';
import { BrevoApiError, factsOf, InvalidItemError } from './errors';

/** Output items of the node, success and error, and how an item's error reads. */

/** Output items: the outcome and the event sent (default), or the outcome only (bulk sends). */
export type OutputMode = 'event' | 'outcome';

/**
 * What an item shows of its event: all of it, or (Output: Outcome Only) only its identifiers, so
 * that a bulk send does not hold a second copy of every event in memory.
 */
function eventFields(event: BrevoEventPayload, output: OutputMode): IDataObject {
	return output === 'outcome'
		? { identifiers: event.identifiers as IDataObject }
		: { event: event as unknown as IDataObject };
}

/** An event Brevo took: stored (single mode, 204) or queued (batch mode, 202/207). */
export function successItem(
	event: BrevoEventPayload,
	status: 'stored' | 'queued',
	statusCode: number,
	itemIndex: number,
	output: OutputMode = 'event',
): INodeExecutionData {
	return {
		json: { success: true, status, statusCode, ...eventFields(event, output) },
		pairedItem: { item: itemIndex },
	};
}

/** A FieldError from the payload builder, as n8n shows errors: naming the item and the field. */
export function fieldErrorToNodeError(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): Error {
	if (!(error instanceof FieldError)) return error as Error;
	return new InvalidItemError(
		ctx.getNode(),
		`Invalid ${error.field} in item ${itemIndex}: ${error.message}`,
		{ itemIndex, description: error.hint, reason: `Invalid ${error.field}` },
	);
}

/**
 * The output item of a failed input item under Continue On Fail, paired with its input.
 *
 * Shaped for n8n's error output: n8n moves an item to the red "error" output (On Error → Continue
 * (using error output)) only when its json holds nothing but `error`, `message` and `details`
 * (an item-level `error` property would also route it, but n8n then replaces its json with the bare
 * message, losing Brevo's answer and the event). So everything else lives under `details`.
 */
export function errorItem(
	error: Error,
	itemIndex: number,
	event?: BrevoEventPayload,
	output: OutputMode = 'event',
): INodeExecutionData {
	const facts = error as Error & {
		httpCode?: string | null;
		description?: string | null;
		context?: IDataObject;
	};
	const details: IDataObject = { itemIndex };
	if (facts.description) details.description = facts.description;
	if (facts.httpCode) details.httpCode = facts.httpCode;
	// Whether Brevo may have stored the event: "no", or "unknown" (a timeout, a reset after
	// sending, a 5xx: Brevo has no idempotency key to ask). Set where the error is built.
	const { stored } = factsOf(error);
	if (stored) details.stored = stored;
	if (event) Object.assign(details, eventFields(event, output));
	return { json: { error: error.message, details }, pairedItem: { item: itemIndex } };
}

/**
 * An item Brevo confirmed in an earlier try of this node run (n8n's Retry On Fail), not sent again.
 * Its event is shown when this try built the very one Brevo confirmed; otherwise (a value that
 * changes on each try, such as {{ $now }}) the event sent then is not known here, and left out.
 */
export function confirmedEarlierItem(
	{ status, statusCode }: { status: 'stored' | 'queued'; statusCode: number },
	itemIndex: number,
	output: OutputMode,
	event?: BrevoEventPayload,
): INodeExecutionData {
	return {
		json: {
			success: true,
			status,
			statusCode,
			confirmedInEarlierTry: true,
			...(event ? eventFields(event, output) : {}),
		},
		pairedItem: { item: itemIndex },
	};
}

/** Items named compactly: "item 3", "items 0–2, 5, 7–9"; after 20 ranges, how many more. */
export function itemList(sortedIndexes: number[]): string {
	const ranges: string[] = [];
	for (let k = 0; k < sortedIndexes.length; ) {
		let end = k;
		while (end + 1 < sortedIndexes.length && sortedIndexes[end + 1] === sortedIndexes[end] + 1)
			end++;
		ranges.push(end === k ? `${sortedIndexes[k]}` : `${sortedIndexes[k]}–${sortedIndexes[end]}`);
		k = end + 1;
	}
	const shown = ranges.slice(0, 20).join(', ');
	const more = ranges.length > 20 ? ` and ${ranges.length - 20} more ranges` : '';
	return `${sortedIndexes.length === 1 ? 'item' : 'items'} ${shown}${more}`;
}

/** "items 200–399": the items of one batch, for its error messages. */
function batchRange(itemIndexes: number[]): string {
	const [first, last] = [itemIndexes[0], itemIndexes[itemIndexes.length - 1]];
	return first === last ? `item ${first}` : `items ${first}–${last}`;
}

/** "200 events", "1 event". */
const eventCount = (n: number) => `${n} ${n === 1 ? 'event' : 'events'}`;

/** One event of a batch that Brevo turned down: 207 (the others were queued) or 400 (all failed). */
export function rejectedInBatch(
	node: INode,
	message: string,
	statusCode: number,
	itemIndex: number,
): NodeApiError {
	return new BrevoApiError(node, { status: statusCode, brevo: message } as JsonObject, {
		message: `Brevo rejected the event of item ${itemIndex}: ${message}`,
		description:
			statusCode === 207
				? 'Brevo accepted the other events of its batch (HTTP 207); this one was not stored.'
				: 'Brevo refused every event of its batch (HTTP 400); this one was not stored.',
		httpCode: String(statusCode),
		itemIndex,
		stored: 'no',
		reason: `Brevo rejected the event (HTTP ${statusCode}): ${message}`,
	});
}

/**
 * A batch request that failed as a whole: every item in it gets the reason. Only a 4xx is Brevo
 * rejecting the batch; a 5xx, a timeout or a lost connection leave it unknown what Brevo did.
 */
export function wholeBatchFailed(
	node: INode,
	error: NodeApiError,
	itemIndexes: number[],
	itemIndex: number,
): NodeApiError {
	const range = batchRange(itemIndexes);
	const rejected = /^4\d\d$/.test(error.httpCode ?? '');
	const what = rejected
		? `Brevo rejected the whole batch of ${eventCount(itemIndexes.length)}`
		: `The batch of ${eventCount(itemIndexes.length)} failed`;
	return new BrevoApiError(node, { status: error.httpCode ?? null } as JsonObject, {
		message: `${what} (${range}): ${error.message}`,
		description: error.description ?? undefined,
		httpCode: error.httpCode ?? undefined,
		itemIndex,
		stored: factsOf(error).stored,
		reason: `${rejected ? 'Brevo rejected a whole batch' : 'A whole batch failed'}: ${error.message}`,
	});
}

/** A 207 whose per-event list cannot be read: no event of the batch may be reported as queued. */
export function unreadableBatchAnswer(
	node: INode,
	{ statusCode }: { statusCode: number },
	itemIndexes: number[],
	itemIndex: number,
): NodeApiError {
	const range = batchRange(itemIndexes);
	return new BrevoApiError(node, { status: statusCode } as JsonObject, {
		message: `Brevo's answer to the batch of ${eventCount(itemIndexes.length)} (${range}) could not be read: HTTP ${statusCode} without a valid list of rejected events`,
		description:
			'Brevo may have queued some or all of these events, so they are not reported as queued.',
		httpCode: String(statusCode),
		itemIndex,
		stored: 'unknown',
		reason: `Brevo's answer to a batch could not be read (HTTP ${statusCode})`,
	});
}

/**
 * A batch answer whose counts do not add up (see batchAnswerMismatch): which events Brevo queued is
 * unknown, so none of the batch is reported as queued, and none is remembered as confirmed.
 */
export function inconsistentBatchAnswer(
	node: INode,
	{ statusCode }: { statusCode: number },
	itemIndexes: number[],
	itemIndex: number,
	mismatch: string,
): NodeApiError {
	const range = batchRange(itemIndexes);
	return new BrevoApiError(node, { status: statusCode } as JsonObject, {
		message: `Brevo's answer to the batch of ${eventCount(itemIndexes.length)} (${range}) does not add up: ${mismatch}`,
		description:
			'Brevo may have queued some or all of these events, so none is reported as queued. Check in Brevo which arrived before sending them again.',
		httpCode: String(statusCode),
		itemIndex,
		stored: 'unknown',
		reason: `Brevo's answer to a batch did not add up (HTTP ${statusCode})`,
	});
}
