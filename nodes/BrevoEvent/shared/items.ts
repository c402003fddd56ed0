import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { FieldError } from './errors';
import type { BrevoEventPayload } from './payload';

/** Output items of the node, success and error, and how an item's error reads. */

/** A FieldError from the payload builder, as n8n shows errors: naming the item and the field. */
export function fieldErrorToNodeError(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): Error {
	if (!(error instanceof FieldError)) return error as Error;
	return new NodeOperationError(
		ctx.getNode(),
		`Invalid ${error.field} in item ${itemIndex}: ${error.message}`,
		{
			itemIndex,
			description: error.hint,
		},
	);
}

/** The output item of a failed input item under Continue On Fail: the error, paired with its input. */
export function errorItem(
	error: Error,
	itemIndex: number,
	event?: BrevoEventPayload,
): INodeExecutionData {
	const details = error as Error & { httpCode?: string | null; description?: string | null };
	const json: IDataObject = { error: error.message, itemIndex };
	if (details.description) json.description = details.description;
	if (details.httpCode) json.httpCode = details.httpCode;
	if (event) json.event = event as unknown as IDataObject;
	return { json, pairedItem: { item: itemIndex } };
}
