import type { INodeProperties } from 'n8n-workflow';

import { eventCreateDescription } from './create.description';
import { eventCreateOptions } from './create.options';

export { createEvents } from './create.operation';

export const eventDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['event'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create an event',
				description:
					'Tell Brevo that a contact did something (POST /v3/events), so automations and segments can react',
			},
		],
		default: 'create',
	},
	...eventCreateDescription,
	eventCreateOptions,
];
