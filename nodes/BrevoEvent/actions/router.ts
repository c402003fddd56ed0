import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { errorItem } from '../output/items';
import * as event from './event/Event.resource';

type Operation = (this: IExecuteFunctions) => Promise<INodeExecutionData[]>;

/** Every operation by resource: the router's whole map, and the node's only entry into actions/. */
const operations: Record<string, Record<string, Operation>> = {
	event: { create: event.create.execute, getAll: event.getAll.execute },
};

/** The operations throw n8n's errors already; anything else is wrapped so n8n shows it well. */
function asNodeError(ctx: IExecuteFunctions, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error);
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = operations[resource]?.[operation];
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
