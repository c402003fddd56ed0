import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { EventFilters, EventQueryInput } from '../payload/query';
import { FILTER, GET_MANY } from './names';

/** What one item of Get Many asks for, before any checking (the query builder does that). */
export function readEventQueryInput(ctx: IExecuteFunctions, itemIndex: number): EventQueryInput {
	return {
		returnAll: ctx.getNodeParameter(GET_MANY.returnAll, itemIndex, false) as boolean,
		limit: ctx.getNodeParameter(GET_MANY.limit, itemIndex, 50) as number,
		filters: readFilters(ctx.getNodeParameter(GET_MANY.filters, itemIndex, {}) as IDataObject),
	};
}

/** The Filters collection (Get Many's, or the trigger's) as the query builder's input. */
export function readFilters(filters: IDataObject): EventFilters {
	return {
		contactIds: filters[FILTER.contactIds],
		eventNames: filters[FILTER.eventNames],
		objectTypes: filters[FILTER.objectTypes],
		startDate: filters[FILTER.startDate],
		endDate: filters[FILTER.endDate],
	};
}
