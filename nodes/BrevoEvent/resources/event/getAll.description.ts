import type { INodeProperties } from 'n8n-workflow';

const showForGetAll = { resource: ['event'], operation: ['getAll'] };

export const eventGetAllDescription: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show: showForGetAll },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...showForGetAll, returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description:
			'Brevo returns the events of the last 6 months, newest first, unless dates are given',
		displayOptions: { show: showForGetAll },
		options: [
			{
				displayName: 'Contact IDs',
				name: 'contactIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. 42, 43',
				description: 'Only events of these Brevo contact IDs (comma-separated)',
			},
			{
				displayName: 'End Date',
				name: 'endDate',
				type: 'dateTime',
				default: '',
				description: 'Only events on or before this date. Brevo needs Start Date with it.',
			},
			{
				displayName: 'Event Names',
				name: 'eventNames',
				type: 'string',
				default: '',
				placeholder: 'e.g. order_created, video_played',
				description: 'Only events with one of these names (comma-separated)',
			},
			{
				displayName: 'Object Types',
				name: 'objectTypes',
				type: 'string',
				default: '',
				placeholder: 'e.g. subscription',
				description: 'Only events linked to objects of these types (comma-separated)',
			},
			{
				displayName: 'Start Date',
				name: 'startDate',
				type: 'dateTime',
				default: '',
				description: 'Only events on or after this date. Brevo needs End Date with it.',
			},
		],
	},
];
