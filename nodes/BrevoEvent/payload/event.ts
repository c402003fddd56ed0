import type { IDataObject } from 'n8n-workflow';

import type { ContactAttributes } from './attributes';
import { toBrevoDateTime } from './dates';
import { FieldError } from './FieldError';
import { EVENT_PROPERTIES_MAX_BYTES } from './limits';
import { buildProperties, checkName, type PropertiesInput } from './properties';
import { formatValue, isBlank, toIdentifierText } from './values';

/** The six contact identifiers Brevo knows, keyed by their parameter names in the node. */
export const IDENTIFIERS = {
	contactId: { key: 'contact_id', label: 'Contact ID' },
	emailId: { key: 'email_id', label: 'Email' },
	extId: { key: 'ext_id', label: 'External ID' },
	phoneId: { key: 'phone_id', label: 'Phone (SMS)' },
	whatsappId: { key: 'whatsapp_id', label: 'WhatsApp' },
	landlineNumberId: { key: 'landline_number_id', label: 'Landline Number' },
} as const;

export type IdentifierParameter = keyof typeof IDENTIFIERS;

export interface BrevoIdentifiers {
	contact_id?: number;
	email_id?: string;
	ext_id?: string;
	phone_id?: string;
	whatsapp_id?: string;
	landline_number_id?: string;
}

export interface BrevoObject {
	type: string;
	identifiers: { id?: string; ext_id?: string };
}

/** The body of POST /events, and one element of POST /events/batch's `events`. */
export interface BrevoEventPayload {
	event_name: string;
	identifiers: BrevoIdentifiers;
	event_date?: string;
	contact_properties?: IDataObject;
	event_properties?: IDataObject;
	object?: BrevoObject;
}

/** What the node read for one item, before any conversion. */
export interface EventInput {
	eventName: unknown;
	identifiers: Partial<Record<IdentifierParameter, unknown>>;
	eventDate?: unknown;
	contactProperties?: PropertiesInput;
	eventProperties?: PropertiesInput;
	object?: { type?: unknown; idType?: 'id' | 'ext_id'; id?: unknown };
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const DIGITS = /^\d+$/;

/**
 * One value as trimmed text; a list or an object is refused rather than written out, and so is an
 * invisible character (a zero-width space would make an identifier that matches no contact).
 */
function text(value: unknown, field: string): string {
	return toIdentifierText(value, field);
}

export function buildEventName(value: unknown): string {
	if (isBlank(value)) throw new FieldError('Event Name', 'is empty', 'Example: video_played');
	const name = text(value, 'Event Name');
	checkName(name, 'Event Name', 'Event Name');
	return name;
}

/** A whole number, or text of decimal digits only: "0x10", "1e3" or [7] are not contact IDs. */
function toContactId(value: unknown): number {
	const field = 'Identifiers › Contact ID';
	const digits = typeof value === 'string' ? toIdentifierText(value, field) : undefined;
	const id =
		typeof value === 'number' ? value : digits && DIGITS.test(digits) ? Number(digits) : NaN;
	if (!Number.isInteger(id) || id <= 0) {
		throw new FieldError(
			field,
			`${formatValue(value)} is not a Brevo contact ID (a positive whole number)`,
		);
	}
	if (!Number.isSafeInteger(id)) {
		throw new FieldError(
			field,
			`${formatValue(value)} is too large to be sent exactly (at most ${Number.MAX_SAFE_INTEGER})`,
			'Brevo contact IDs are far smaller: check the mapped field',
		);
	}
	return id;
}

/** Keeps the identifiers that have a value (an empty mapped field is dropped, not sent). */
export function buildIdentifiers(input: EventInput['identifiers']): BrevoIdentifiers {
	const identifiers: BrevoIdentifiers = {};
	for (const [parameter, { key, label }] of Object.entries(IDENTIFIERS)) {
		const value = input[parameter as IdentifierParameter];
		if (isBlank(value)) continue;
		if (key === 'contact_id') {
			identifiers.contact_id = toContactId(value);
			continue;
		}
		const id = text(value, `Identifiers › ${label}`);
		if (key === 'email_id' && !EMAIL.test(id)) {
			throw new FieldError(`Identifiers › ${label}`, `"${id}" is not an email address`);
		}
		(identifiers as Record<string, string>)[key] = id;
	}
	if (Object.keys(identifiers).length === 0) {
		throw new FieldError(
			'Identifiers',
			'no identifier has a value; Brevo needs at least one to know which contact did this',
			'Add Email, External ID, Contact ID, Phone (SMS), WhatsApp or Landline Number, and check that the mapped field is not empty',
		);
	}
	return identifiers;
}

function buildObject(input: NonNullable<EventInput['object']>): BrevoObject | undefined {
	if (isBlank(input.type) && isBlank(input.id)) return undefined;
	if (isBlank(input.type))
		throw new FieldError('Object › Type', 'is empty while an object ID is set');
	const type = text(input.type, 'Object › Type');
	if (isBlank(input.id))
		throw new FieldError('Object › ID', `is empty while object type "${type}" is set`);
	const idType = input.idType === 'ext_id' ? 'ext_id' : 'id';
	return { type, identifiers: { [idType]: text(input.id, 'Object › ID') } };
}

function checkEventPropertiesSize(properties: IDataObject): void {
	const bytes = Buffer.byteLength(JSON.stringify(properties), 'utf8');
	if (bytes > EVENT_PROPERTIES_MAX_BYTES) {
		throw new FieldError(
			'Event Properties',
			`are ${bytes} bytes as JSON; Brevo accepts at most ${EVENT_PROPERTIES_MAX_BYTES} (50 KB)`,
		);
	}
}

/**
 * Turns the parameters of one item into the JSON body Brevo expects, or throws a FieldError naming
 * the field Brevo would reject. Pure: no n8n context, no I/O; `zone` is the workflow's time zone,
 * `attributes` the account's contact attributes when a row takes its type from them.
 */
export function buildEventPayload(
	input: EventInput,
	zone: string,
	attributes?: ContactAttributes,
): BrevoEventPayload {
	const payload: BrevoEventPayload = {
		event_name: buildEventName(input.eventName),
		identifiers: buildIdentifiers(input.identifiers),
	};
	if (!isBlank(input.eventDate)) {
		payload.event_date = toBrevoDateTime(input.eventDate, 'Event Date', zone);
	}
	if (input.contactProperties) {
		const contact = buildProperties(input.contactProperties, 'Contact Properties', {
			target: 'contact',
			zone,
			attributes,
		});
		if (Object.keys(contact).length > 0) payload.contact_properties = contact;
	}
	if (input.eventProperties) {
		const event = buildProperties(input.eventProperties, 'Event Properties', {
			target: 'event',
			zone,
		});
		if (Object.keys(event).length > 0) {
			checkEventPropertiesSize(event);
			payload.event_properties = event;
		}
	}
	if (input.object) {
		const object = buildObject(input.object);
		if (object) payload.object = object;
	}
	return payload;
}
