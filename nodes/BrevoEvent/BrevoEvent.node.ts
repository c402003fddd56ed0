import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { AUTHENTICATION_PROPERTY, BREVO_CREDENTIALS } from './actions/common.descriptions';
import * as event from './actions/event/Event.resource';
import { router } from './actions/router';
import { loadOptions, resourceMapping } from './methods';

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
		credentials: BREVO_CREDENTIALS,
		properties: [
			AUTHENTICATION_PROPERTY,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Event', value: 'event' }],
				default: 'event',
			},
			...event.description,
		],
	};

	methods = { loadOptions, resourceMapping };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
