import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import * as event from './event/Event.resource';

type Operation = (this: IExecuteFunctions) => Promise<INodeExecutionData[]>;

/** Every operation by resource: the router's whole map, and the node's only entry into actions/. */
const operations: Record<string, Record<string, Operation>> = {
	event: { create: event.create.execute, getAll: event.getAll.execute },
};

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
	return [await execute.call(this)];
}
