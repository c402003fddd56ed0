import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { errorItem } from '../output/items';
import * as event from './event/Event.resource';
import type { BrevoEventMap, BrevoEventType } from './node.type';

type Operation = (this: IExecuteFunctions) => Promise<INodeExecutionData[]>;

/** Every operation by resource, typed so that none of the node's operations lacks its execute(). */
const operations: { [R in keyof BrevoEventMap]: Record<BrevoEventMap[R], Operation> } = {
	event: { create: event.create.execute, getAll: event.getAll.execute },
};

/** The operations throw n8n's errors already; anything else is wrapped so n8n shows it well. */
function asNodeError(ctx: IExecuteFunctions, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error);
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as BrevoEventType['resource'];
	const operation = this.getNodeParameter('operation', 0) as string;
	// Read as strings: a workflow may name an operation this version does not have.
	const execute = (operations[resource] as Record<string, Operation> | undefined)?.[operation];
	if (!execute) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of resource "${resource}" is not supported`,
		);
	}
	try {
		return [await execute.call(this)];
	} catch (error) {
		// n8n's Continue options pass the *input* items to the success output when a node throws,
		// which would look like success downstream. So a failure of the whole run (credential,
		// Base URL, the attribute list) becomes an error item for every input item instead.
		if (!this.continueOnFail()) throw asNodeError(this, error);
		return [this.getInputData().map((_, itemIndex) => errorItem(error as Error, itemIndex))];
	}
}
