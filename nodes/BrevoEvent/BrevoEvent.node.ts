import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { getContactAttributes } from './methods/loadOptions';
import { createEvents, eventDescription, getManyEvents } from './resources/event';

export class BrevoEvent implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Brevo Event',
		name: 'brevoEvent',
		icon: { light: 'file:brevo.svg', dark: 'file:brevo.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			"Send behavioural events (e.g. order_created) to Brevo's Events API so Brevo automations and segments react to them",
		defaults: { name: 'Brevo Event' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'brevoApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Event', value: 'event' }],
				default: 'event',
			},
			...eventDescription,
		],
	};

	methods = {
		loadOptions: { getContactAttributes },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = this.getNodeParameter('resource', 0);
		const operation = this.getNodeParameter('operation', 0);
		if (resource === 'event' && operation === 'create') return [await createEvents.call(this)];
		if (resource === 'event' && operation === 'getAll') return [await getManyEvents.call(this)];
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of resource "${resource}" is not supported`,
		);
	}
}
