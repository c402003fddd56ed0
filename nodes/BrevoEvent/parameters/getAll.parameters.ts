import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { EventQueryInput } from '../payload/query';

/** What one item of Get Many asks for, before any checking (the query builder does that). */
export function readEventQueryInput(ctx: IExecuteFunctions, itemIndex: number): EventQueryInput {
	return {
		returnAll: ctx.getNodeParameter('returnAll', itemIndex, false) as boolean,
		limit: ctx.getNodeParameter('limit', itemIndex, 50) as number,
		filters: ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject,
	};
}
