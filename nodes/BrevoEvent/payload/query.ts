import type { IDataObject } from 'n8n-workflow';

import { toBrevoDateTime } from './dates';
import { FieldError } from './FieldError';
import { formatValue, isBlank, toNumber, toStringList } from './values';

export interface EventQueryInput {
	returnAll: boolean;
	limit: number;
	filters: EventFilters;
}

/** GET /events filters as the user gave them, unchecked (comma-separated lists, dates). */
export interface EventFilters {
	contactIds?: unknown;
	eventNames?: unknown;
	objectTypes?: unknown;
	startDate?: unknown;
	endDate?: unknown;
}

export interface EventQuery {
	/** Filters for GET /events; arrays become repeated parameters (?event_name=a&event_name=b). */
	qs: IDataObject;
	/** How many events to return at most. */
	max: number;
}

/** Turns the Get Many parameters of one item into Brevo's query, checking what Brevo would refuse. */
export function buildEventQuery(
	{ returnAll, limit, filters }: EventQueryInput,
	zone: string,
): EventQuery {
	const qs: IDataObject = {};
	const contactIds = toStringList(filters.contactIds, 'Filters › Contact IDs').map((id) => {
		// Decimal digits only, as for Create's Contact ID: "0x10" or "1e3" are not IDs.
		const n = /^\d+$/.test(id) ? toNumber(id, 'Filters › Contact IDs') : NaN;
		if (!Number.isInteger(n) || n <= 0)
			throw new FieldError('Filters › Contact IDs', `"${id}" is not a Brevo contact ID`);
		return n;
	});
	if (contactIds.length) qs.contact_id = contactIds;
	const names = toStringList(filters.eventNames, 'Filters › Event Names');
	if (names.length) qs.event_name = names;
	const objectTypes = toStringList(filters.objectTypes, 'Filters › Object Types');
	if (objectTypes.length) qs.object_type = objectTypes;

	const hasStart = !isBlank(filters.startDate);
	const hasEnd = !isBlank(filters.endDate);
	if (hasStart !== hasEnd) {
		throw new FieldError(
			hasStart ? 'Filters › End Date' : 'Filters › Start Date',
			'is needed too: Brevo takes a start and an end date together, or neither',
		);
	}
	if (hasStart) {
		qs.startDate = toBrevoDateTime(filters.startDate, 'Filters › Start Date', zone);
		qs.endDate = toBrevoDateTime(filters.endDate, 'Filters › End Date', zone);
		if (Date.parse(qs.startDate as string) > Date.parse(qs.endDate as string)) {
			throw new FieldError(
				'Filters › End Date',
				`${qs.endDate as string} is before the start date ${qs.startDate as string}`,
			);
		}
	}
	if (!returnAll && (!Number.isInteger(limit) || limit < 1)) {
		throw new FieldError('Limit', `${formatValue(limit)} is not a whole number of at least 1`);
	}
	return { qs, max: returnAll ? Infinity : limit };
}
