import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { errorItem, fieldErrorToNodeError } from '../../shared/items';
import { buildEventQuery } from '../../shared/query';
import { BrevoTransport } from '../../shared/transport';

/** Brevo allows up to 10,000 per page; smaller pages keep each answer (and memory) modest. */
const PAGE_SIZE = 500;

/**
 * Get Many: GET /events for each input item, with its filters. Return All pages through Brevo's
 * limit/offset; otherwise stops at Limit. One output item per event, newest first as Brevo returns
 * them, each paired with the input item whose query found it.
 */
export async function getManyEvents(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const zone = this.getTimezone();
	const transport = await BrevoTransport.create(this);
	const results: INodeExecutionData[] = [];

	let failure: Error | undefined;

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const query = buildEventQuery(
				{
					returnAll: this.getNodeParameter('returnAll', itemIndex, false) as boolean,
					limit: this.getNodeParameter('limit', itemIndex, 50) as number,
					filters: this.getNodeParameter('filters', itemIndex, {}) as IDataObject,
				},
				zone,
			);
			let offset = 0;
			for (;;) {
				const pageSize = Math.min(PAGE_SIZE, query.max - offset);
				const response = await transport.request({
					method: 'GET',
					path: '/events',
					qs: { ...query.qs, limit: pageSize, offset },
					itemIndex,
				});
				const body = (response.body ?? {}) as { count?: number; events?: IDataObject[] };
				const events = body.events ?? [];
				for (const event of events) results.push({ json: event, pairedItem: { item: itemIndex } });
				offset += events.length;
				const total = typeof body.count === 'number' ? body.count : Infinity;
				if (events.length < pageSize || offset >= total || offset >= query.max) break;
			}
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
