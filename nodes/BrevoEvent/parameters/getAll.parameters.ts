import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { EventQueryInput } from '../payload/query';
import { GET_MANY } from './names';

/** What one item of Get Many asks for, before any checking (the query builder does that). */
export function readEventQueryInput(ctx: IExecuteFunctions, itemIndex: number): EventQueryInput {
	return {
		returnAll: ctx.getNodeParameter(GET_MANY.returnAll, itemIndex, false) as boolean,
		limit: ctx.getNodeParameter(GET_MANY.limit, itemIndex, 50) as number,
		filters: ctx.getNodeParameter(GET_MANY.filters, itemIndex, {}) as IDataObject,
	};
}
