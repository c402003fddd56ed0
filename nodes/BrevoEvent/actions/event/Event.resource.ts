import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as getAll from './getAll.operation';

export { create, getAll };

export const description: INodeProperties[] = [
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
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many events',
				description:
					'List events Brevo has stored (GET /v3/events), newest first, filtered by contact, event name, object type or dates',
			},
		],
		default: 'create',
	},
	...create.description,
	...getAll.description,
];
