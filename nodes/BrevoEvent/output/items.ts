import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import type { OutputMode } from '../parameters/names';
import type { BrevoEventPayload } from '../payload/event';
import { FieldError } from '../payload/FieldError';
import { withReason } from './summary';

/** Output items of the node, success and error, and how an item's error reads. */

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
	return withReason(
		new NodeOperationError(
			ctx.getNode(),
			`Invalid ${error.field} in item ${itemIndex}: ${error.message}`,
			{
				itemIndex,
				description: error.hint,
			},
		),
		`Invalid ${error.field}`,
	);
}

/** The output item of a failed input item under Continue On Fail: the error, paired with its input. */
export function errorItem(
	error: Error,
	itemIndex: number,
	event?: BrevoEventPayload,
	output: OutputMode = 'event',
): INodeExecutionData {
	const details = error as Error & { httpCode?: string | null; description?: string | null };
	const json: IDataObject = { error: error.message, itemIndex };
	if (details.description) json.description = details.description;
	if (details.httpCode) json.httpCode = details.httpCode;
	if (event) Object.assign(json, eventFields(event, output));
	return { json, pairedItem: { item: itemIndex } };
}

/** One event of a batch that Brevo rejected (HTTP 207) while accepting the others. */
export function rejectedInBatch(node: INode, message: string, itemIndex: number): NodeApiError {
	return withReason(
		new NodeApiError(node, { status: 207, brevo: message } as JsonObject, {
			message: `Brevo rejected the event of item ${itemIndex}: ${message}`,
			description:
				'Brevo accepted the other events of its batch (HTTP 207); this one was not stored.',
			httpCode: '207',
			itemIndex,
		}),
		`Brevo rejected the event (HTTP 207): ${message}`,
	);
}

/** A batch request that failed as a whole: every item in it gets the reason. */
export function wholeBatchRejected(
	node: INode,
	error: NodeApiError,
	itemIndexes: number[],
	itemIndex: number,
): NodeApiError {
	const range = `items ${itemIndexes[0]}–${itemIndexes[itemIndexes.length - 1]}`;
	return withReason(
		new NodeApiError(node, { status: error.httpCode ?? null } as JsonObject, {
			message: `Brevo rejected the whole batch of ${itemIndexes.length} events (${range}): ${error.message}`,
			description: error.description ?? undefined,
			httpCode: error.httpCode ?? undefined,
			itemIndex,
		}),
		`Brevo rejected a whole batch: ${error.message}`,
	);
}
