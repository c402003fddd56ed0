import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import {
	CONTACT_IDS_FILTER,
	EVENT_NAMES_FILTER,
	OBJECT_TYPES_FILTER,
} from '../common.descriptions';
import { errorItem, fieldErrorToNodeError } from '../../output/items';
import { readEventQueryInput } from '../../parameters/getAll.parameters';
import { FILTER, GET_MANY } from '../../parameters/names';
import { buildEventQuery } from '../../payload/query';
import { BrevoTransport } from '../../transport/BrevoTransport';
import { apiRequestAllItems } from '../../transport/index';

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: GET_MANY.returnAll,
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: GET_MANY.limit,
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { [GET_MANY.returnAll]: [false] } },
	},
	{
		displayName: 'Filters',
		name: GET_MANY.filters,
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description:
			'Brevo returns the events of the last 6 months, newest first, unless dates are given',
		options: [
			CONTACT_IDS_FILTER,
			{
				displayName: 'End Date',
				name: FILTER.endDate,
				type: 'dateTime',
				default: '',
				description: 'Only events on or before this date. Brevo needs Start Date with it.',
			},
			EVENT_NAMES_FILTER,
			OBJECT_TYPES_FILTER,
			{
				displayName: 'Start Date',
				name: FILTER.startDate,
				type: 'dateTime',
				default: '',
				description: 'Only events on or after this date. Brevo needs End Date with it.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['event'], operation: ['getAll'] } },
	properties,
);

/**
 * Get Many: GET /events for each input item, with its filters. Return All pages through Brevo's
 * limit/offset (transport); otherwise stops at Limit. One output item per event, newest first as
 * Brevo returns them, each paired with the input item whose query found it.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const zone = this.getTimezone();
	const transport = await BrevoTransport.create(this);
	const results: INodeExecutionData[] = [];

	let failure: Error | undefined;

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const query = buildEventQuery(readEventQueryInput(this, itemIndex), zone);
			const pages = apiRequestAllItems(transport, {
				path: '/events',
				listKey: 'events',
				qs: query.qs,
				max: query.max,
				itemIndex,
			});
			for await (const events of pages)
				for (const event of events) results.push({ json: event, pairedItem: { item: itemIndex } });
		} catch (error) {
			const nodeError = fieldErrorToNodeError(this, error, itemIndex);
			if (!this.continueOnFail()) {
				failure = nodeError;
				break;
			}
			results.push(errorItem(nodeError, itemIndex));
		}
	}
	if (failure) throw failure;
	return results;
}
